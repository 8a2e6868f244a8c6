/**
 * 法律援助绿色通道 in Chromium, as each kind of user (issue 6): a grandmother files a maintenance request for her
 * granddaughter with a photo (a real upload through the page) and sees what happens next; the centre's officer
 * acknowledges, approves and assigns the proposed lawyer; the lawyer accepts and asks for one more document; the
 * grandmother sees every step on her timeline and sends the document.
 */
import type { Locator, Page } from 'playwright-core'
import { byTestId, e2eDescribe, e2eSession, see, answerReminders } from '../support/e2e'


const PKG = '/#/packages/legalaid/pages'
/** A real 1×1 PNG: storage checks the bytes against the name. */
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4280000000049454e44ae426082', 'hex')
const STORY = '孩子爸妈离婚两年了，爸爸一直没给抚养费。'

/** The texts of the timeline on top, oldest first. */
async function timeline (page: Page): Promise<string[]> {
  return await byTestId(page, 'timeline-step').locator('.la-tl__text').allInnerTexts()
}

/** Chooses a photo the way a person does: the button opens the h5 picker's file input, the file goes in. */
async function addPhoto (page: Page, scope: Locator, name: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser')
  await scope.locator('[data-testid="add-photo"]').click()
  await (await chooser).setFiles({ name, mimeType: 'image/png', buffer: PNG })
}

e2eDescribe('legal-aid green channel (h5 in Chromium)', () => {
  const session = e2eSession()

  /** A fresh phone signed in as `name` by tapping it on the persona page. */
  const signedIn = (name: string): Promise<Page> => session.signedIn(name)

  let requestId = ''

  it('lets the grandmother file a maintenance request for 王小雨 with a photo and tells her what happens next', async () => {
    const page = await signedIn('张桂兰')
    await page.goto(`${session.cloud.url}${PKG}/apply/index`)

    // Step 1: which child; step 2: what happened. One tap each.
    await byTestId(page, 'child').filter({ hasText: '王小雨' }).click()
    await byTestId(page, 'matter-maintenance').click()

    // Step 3: too short a story is named in the shared schema's words, and nothing moves on.
    await byTestId(page, 'f-story').locator('textarea').fill('没给')
    await byTestId(page, 'next').click()
    expect(await byTestId(page, 'f-story-error').innerText()).toBe('请简单说说发生了什么（至少5个字）')
    await byTestId(page, 'f-story').locator('textarea').fill(STORY)
    await byTestId(page, 'f-people').locator('textarea').fill('孩子的爸爸王建军')
    await byTestId(page, 'deadline-known-no').click()
    await byTestId(page, 'urgent-no').click()
    // A draft can be kept at any step.
    await byTestId(page, 'save-draft').click()
    await byTestId(page, 'saved').waitFor()
    await byTestId(page, 'next').click()

    // Step 4: a photo, uploaded through the page into her own storage folder, shown as a thumbnail.
    await byTestId(page, 'step-files').waitFor()
    await addPhoto(page, byTestId(page, 'evidence'), 'receipt.png')
    await byTestId(page, 'evidence-item').and(page.locator('[data-status="done"]')).waitFor()
    expect(await byTestId(page, 'evidence-item').locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0)
    await byTestId(page, 'submit').click()

    // What happens next, by when; the exemptions with their articles.
    await see(page, '✓ 申请已提交')
    const steps = await byTestId(page, 'next-step').allInnerTexts()
    expect(steps[0]).toMatch(/青山县法律援助中心会在 \d+月\d+日 \d\d:\d\d 前确认收到。/)
    expect(steps[1]).toMatch(/前告诉您是否给予法律援助（法律规定最迟/)
    const exemptions = await byTestId(page, 'exemption').allInnerTexts()
    expect(exemptions.join('\n')).toContain('法律援助法第四十二条第一项')

    await byTestId(page, 'see-request').click()
    await byTestId(page, 'legalaid-request').waitFor()
    requestId = new URL(page.url().replace('#/', '')).searchParams.get('id') ?? ''
    expect(requestId).not.toBe('')
    expect(await byTestId(page, 'state-label').innerText()).toBe('已提交，等待法律援助中心确认')
    expect(await byTestId(page, 'next').innerText()).toMatch(/法律援助中心会在 .+ 前确认收到/)
    expect(await timeline(page)).toEqual(['已提交到青山县法律援助中心'])
    // The photo is among the evidence, opened through a short-lived link only she (and the case's staff) get.
    await byTestId(page, 'evidence-file').first().waitFor()
    expect(await byTestId(page, 'evidence-file').count()).toBe(1)
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="evidence-file"] img')].some((i) => (i as HTMLImageElement).naturalWidth > 0))

    // The draft went with the request.
    await page.goto(`${session.cloud.url}${PKG}/mine/index`)
    await byTestId(page, 'my-request').first().waitFor()
    expect(await byTestId(page, 'draft').count()).toBe(0)
  }, 120000)

  it('lets the officer acknowledge, approve and assign the proposed lawyer', async () => {
    expect(requestId).not.toBe('')
    const page = await signedIn('吴敏')
    await page.goto(`${session.cloud.url}${PKG}/queue/index`)
    const item = byTestId(page, 'queue-item').filter({ hasText: '王小雨 · 抚养费' })
    await item.waitFor()
    expect(await item.locator('[data-testid="priority"]').innerText()).toBe('绿色通道')
    expect(await item.locator('[data-testid="clock"]').innerText()).toMatch(/^当天确认收到（绿色通道）：.+ 前(按时|即将到期|已超时)$/)
    await item.click()

    await byTestId(page, 'story').filter({ hasText: STORY }).waitFor()
    expect(await byTestId(page, 'evidence-file').count()).toBe(1)
    await byTestId(page, 'acknowledge').click()
    await answerReminders(page) // a natural tap: the officer switches the deadline warnings on
    await see(page, '中心已收到，正在审查')

    await byTestId(page, 'approve').click()
    await page.locator('.taro-model__confirm').filter({ visible: true }).click()
    await byTestId(page, 'assign-panel').waitFor()
    const lawyers = byTestId(page, 'proposed-lawyer')
    await lawyers.first().waitFor()
    expect(await lawyers.first().innerText()).toContain('郑志远')
    expect(await lawyers.first().innerText()).toContain('擅长抚养费')
    await lawyers.first().click()
    await byTestId(page, 'assign').filter({ hasText: '指派给郑志远' }).click()
    await byTestId(page, 'waiting-lawyer').filter({ hasText: '等郑志远律师接案' }).waitFor()
    expect(await timeline(page)).toEqual([
      '已提交到青山县法律援助中心', '青山县法律援助中心已确认收到，正在审查', '已批准法律援助，3日内为您安排律师', '已安排志愿律师郑志远，等待律师接案'
    ])
  }, 90000)

  it('lets the lawyer accept the case and ask for one more document', async () => {
    expect(requestId).not.toBe('')
    const page = await signedIn('郑志远')
    await page.goto(`${session.cloud.url}${PKG}/cases/index`)
    const card = byTestId(page, 'lawyer-case').filter({ hasText: '王小雨 · 抚养费' })
    await card.waitFor()
    expect(await card.innerText()).toContain('等您接案')
    await card.click()

    await byTestId(page, 'accept').click()
    await byTestId(page, 'progress-panel').waitFor()
    await see(page, '律师正在办理')
    await byTestId(page, 'ask-panel').locator('textarea').fill('离婚判决书的照片')
    await byTestId(page, 'ask-documents').click()
    await page.waitForFunction(() => [...document.querySelectorAll('.la-tl__text')].some((e) => e.textContent === '律师需要您补交材料：离婚判决书的照片'))
  }, 90000)

  it('shows the grandmother each step on her timeline, and takes the document the lawyer asked for', async () => {
    expect(requestId).not.toBe('')
    const page = await signedIn('张桂兰')
    await page.goto(`${session.cloud.url}${PKG}/mine/index`)
    const card = byTestId(page, 'my-request').filter({ hasText: '王小雨 · 抚养费' })
    await card.waitFor()
    expect(await card.locator('[data-testid="state"]').innerText()).toBe('律师正在办理')
    expect(await card.locator('[data-testid="lawyer"]').innerText()).toBe('郑志远')
    await card.click()

    await byTestId(page, 'legalaid-request').waitFor()
    expect(await timeline(page)).toEqual([
      '已提交到青山县法律援助中心', '青山县法律援助中心已确认收到，正在审查', '已批准法律援助，3日内为您安排律师',
      '已安排志愿律师郑志远，等待律师接案', '律师郑志远已接案，会联系您', '律师需要您补交材料：离婚判决书的照片'
    ])
    expect(await byTestId(page, 'asked').innerText()).toBe('离婚判决书的照片')

    const box = byTestId(page, 'add-files')
    await addPhoto(page, box, 'judgement.png')
    await box.locator('[data-testid="evidence-item"][data-status="done"]').waitFor()
    await byTestId(page, 'send-files').click()
    await page.waitForFunction(() => [...document.querySelectorAll('.la-tl__text')].some((e) => e.textContent === '已补交1份材料'))
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="evidence-file"]').length === 2)
    expect(await byTestId(page, 'asked').count()).toBe(0)
  }, 90000)
})
