/**
 * 法律援助绿色通道 in Chromium, as each kind of user: a grandmother files a maintenance request for her
 * granddaughter with a photo (a real upload through the page) and sees what happens next; the centre's officer
 * acknowledges, approves and assigns the proposed lawyer; the lawyer accepts and asks for one more document; the
 * grandmother sees every step on her timeline and sends the document.
 */
import type { Locator, Page } from 'playwright-core'
import { answerReminders, byTestId, countCalls, doubleTap, e2eDescribe, e2eSession, largeText, see, shot } from '../support/e2e'
import { callAs } from '../support/localcloud'

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
    // A quick double tap on 提交 files one request.
    const submits = countCalls(page, 'legalaid', 'submit')
    await doubleTap(byTestId(page, 'submit'))

    // What happens next, by when; the exemptions with their articles.
    await see(page, '✓ 申请已提交')
    expect(submits()).toBe(1)
    const steps = await byTestId(page, 'next-step').allInnerTexts()
    expect(steps[0]).toMatch(/申请编号 \d{4}-\d{4}。由孩子所在县的青山县法律援助中心办理。/)
    expect(steps[1]).toMatch(/青山县法律援助中心会在 \d+月\d+日 \d\d:\d\d 前确认收到。/)
    expect(steps[2]).toMatch(/前告诉您是否给予法律援助（法律规定最迟/)
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

  /**
   * The legal-aid rules as their people meet them: the mother sees where her work-injury claim went and why, its
   * reference and the centre's phone; the officer assigns a lawyer first to an urgent request and the approval
   * follows; the county justice admin reassigns a stuck request and enters next year's holiday arrangement; the lawyer
   * keeps their profile. Normal and large text. The clock is frozen on Monday 7 December 2026.
   */
  describe('legal-aid rules as their people meet them (h5 in Chromium)', () => {
    const LI = 'demo-parent-li'
    const GRANNY = 'demo-guardian-zhang'
    const submit = async (who: string, draft: object) => (await callAs(session.cloud, who, 'legalaid', 'submit', { draft: { childId: 'child-01', people: '', files: [], ...draft }, idempotencyKey: `k-${Math.random()}` })).body.data
    let liRequest = ''

    beforeAll(async () => { await session.cloud.clock.set('2026-12-07T10:00:00+08:00', { frozen: true }) })

    it('shows the mother her reference, the 深圳 centre with its phone, and why her claim went there (normal and large text)', async () => {
      liRequest = (await submit(LI, { matter: 'parentWorkInjury', people: '深圳某电子厂', story: '在流水线上压伤了手，厂里不认工伤。' })).requestId
      for (const large of [false, true]) {
        const page = await session.signedIn('李秀英')
        if (large) await largeText(page, session.cloud.url)
        await page.goto(`${session.cloud.url}${PKG}/request/index?id=${liRequest}`)
        await byTestId(page, 'legalaid-request').waitFor()
        expect(await byTestId(page, 'reference').innerText()).toMatch(/^2026-\d{4}$/)
        expect(await byTestId(page, 'centre-name').innerText()).toBe('由深圳市宝安区法律援助中心办理')
        expect(await byTestId(page, 'routed-why').innerText()).toContain('您在深圳打工，工资、工伤的事由打工所在地的深圳市宝安区法律援助中心办理')
        expect(await byTestId(page, 'call-centre').innerText()).toBe('打电话给中心 0755-2779148')
        await shot(page, `la-mother-request${large ? '-large' : ''}`)
      }
    }, 120000)

    it('lets the officer assign a lawyer at once to an urgent request, then approve it: the timeline shows both', async () => {
      const urgent = (await submit(GRANNY, { matter: 'maintenance', story: '下周五就要开庭了，还没有律师。', deadline: '2026-12-11', deadlineWhat: '开庭' })).requestId
      const page = await session.signedIn('吴敏')
      await page.goto(`${session.cloud.url}${PKG}/case/index?id=${urgent}`)
      const first = byTestId(page, 'assign-first-panel')
      await first.waitFor()
      expect(await byTestId(page, 'assign-first-why').innerText()).toContain('开庭在')
      await shot(page, 'la-officer-urgent')
      await byTestId(first, 'proposed-lawyer').first().click()
      await byTestId(first, 'assign').filter({ hasText: '先行指派给' }).click()
      await byTestId(page, 'waiting-lawyer').waitFor()
      const followUp = byTestId(page, 'decision-panel')
      expect(await followUp.innerText()).toContain('补办审查：律师已先行帮助，请作出决定')
      await byTestId(followUp, 'approve').click()
      await page.locator('.taro-model__confirm').filter({ visible: true }).click()
      await page.waitForFunction(() => [...document.querySelectorAll('.la-tl__text')].some((e) => e.textContent === '审查完成，批准法律援助（律师已先行提供帮助）'))
      expect(await timeline(page)).toEqual([
        '已提交到青山县法律援助中心',
        expect.stringMatching(/^情况紧急，先行提供法律援助：已安排志愿律师.+，审查随后补办（法律援助法第四十四条）$/),
        '审查完成，批准法律援助（律师已先行提供帮助）'
      ])
      await shot(page, 'la-officer-after-first')
      // The control: a routine request offers no lawyer before the approval.
      const routine = (await submit(GRANNY, { matter: 'guardianship', story: '想变更孩子的监护人。' })).requestId
      await page.goto(`${session.cloud.url}${PKG}/case/index?id=${routine}`)
      await byTestId(page, 'decision-panel').waitFor()
      expect(await byTestId(page, 'assign-first-panel').count()).toBe(0)
    }, 120000)

    it('lets the county justice admin reassign a request stuck at a centre nobody can act at (normal and large text)', async () => {
      const user = (await require('wx-server-sdk').database().collection('users').doc('demo-officer-sz').get()).data
      await require('wx-server-sdk').database().collection('users').doc('demo-officer-sz').update({ data: { roles: user.roles.map((r: any) => ({ ...r, status: 'suspended' })) } })
      const large = await session.signedIn('唐正')
      await largeText(large, session.cloud.url)
      await large.goto(`${session.cloud.url}${PKG}/stuck/index`)
      await byTestId(large, 'stuck-item').first().waitFor()
      await shot(large, 'la-admin-stuck-large')

      const page = await session.signedIn('唐正')
      await page.goto(`${session.cloud.url}${PKG}/stuck/index`)
      const card = byTestId(page, 'stuck-item').filter({ hasText: '家长工伤' })
      await card.waitFor()
      expect(await byTestId(card, 'stuck-why').innerText()).toBe('· 深圳市宝安区法律援助中心没有在岗的工作人员，没人能办理')
      await byTestId(card, 'reassign-open').click()
      await byTestId(card, 'reassign-centre-centre-qs').click()
      await byTestId(card, 'reassign').click()
      await byTestId(card, 'reassign-form').getByText('请写明转办的原因（申请人会看到）').waitFor()
      await shot(page, 'la-admin-reassign-error')
      await byTestId(card, 'reassign-reason').locator('textarea').fill('深圳中心暂时无人在岗，先由县中心办理')
      await byTestId(card, 'reassign').click()
      await byTestId(page, 'empty').filter({ hasText: '没有卡住的申请' }).waitFor()
      const mine = (await callAs(session.cloud, LI, 'legalaid', 'detail', { requestId: liRequest })).body.data
      expect(mine.centreName).toBe('青山县法律援助中心')
    }, 120000)

    it('lets the county admin enter 2027\'s published arrangement in the app, checked before it is saved', async () => {
      const page = await session.signedIn('唐正')
      await page.goto(`${session.cloud.url}/#/packages/admin/pages/holidays/index`)
      const y2027 = byTestId(page, 'year-2027')
      await y2027.waitFor()
      expect(await byTestId(y2027, 'year-status').innerText()).toBe('按法定假日推算（未含调休）')
      expect(await y2027.innerText()).toContain('春节：2月5日至2月10日，共6天')
      await shot(page, 'la-admin-holidays')
      await byTestId(y2027, 'edit-year').click()
      await byTestId(page, 'holiday-form').waitFor()
      await byTestId(page, 'save-year').click() // no source yet
      await byTestId(page, 'holiday-form').getByText('请写明放假通知的文号，如 国办发明电〔2026〕7号').waitFor()
      // 春节 runs to 13 February in the notice: three more days on the last day's wheel.
      await byTestId(page, 'holiday-1-to').locator('.nut-cell').click()
      await page.locator('.nut-pickerview-list').first().waitFor()
      await page.waitForTimeout(500)
      await rollWheel(page, 2, 3)
      await page.locator('.nut-picker-confirm-btn').filter({ visible: true }).click()
      expect(await byTestId(page, 'holiday-1-to').innerText()).toContain('2027年2月13日')
      await byTestId(page, 'source').locator('input').fill('国务院办公厅关于2027年部分节假日安排的通知')
      await shot(page, 'la-admin-holiday-form')
      await byTestId(page, 'save-year').click()
      await byTestId(byTestId(page, 'year-2027'), 'year-status').filter({ hasText: '已录入公布的安排' }).waitFor()
      expect(await byTestId(page, 'year-2027').innerText()).toContain('春节：2月5日至2月13日，共9天')
    }, 120000)

    it('lets the lawyer keep their own specialties and declared conflicts', async () => {
      const page = await session.signedIn('林雅')
      await page.goto(`${session.cloud.url}${PKG}/lawyer/index`)
      await byTestId(page, 'legalaid-lawyer').waitFor()
      expect(await byTestId(page, 'conflict').innerText()).toContain('刘强')
      await byTestId(page, 'specialties-maintenance').click()
      await byTestId(page, 'conflict-name').locator('input').fill('王建军')
      await byTestId(page, 'add-conflict').click()
      await shot(page, 'la-lawyer-profile')
      await byTestId(page, 'save-profile').click()
      await page.getByText(/由林雅修改/).waitFor()
      const p = (await callAs(session.cloud, 'demo-lawyer-lin', 'legalaid', 'lawyerProfile')).body.data
      expect(p).toMatchObject({ conflicts: ['刘强', '王建军'], specialties: expect.arrayContaining(['maintenance']) })
    }, 90000)
  })
})

/** Turns one wheel of the open date picker by `rows` with a slow touch drag, as a finger would (see registry.test.ts). */
async function rollWheel (page: Page, column: number, rows: number): Promise<void> {
  const list = page.locator('.nut-pickerview-list').nth(column)
  const box = (await list.boundingBox())!
  const item = (await page.locator('.nut-pickerview-roller-item-tiled').first().boundingBox())!
  const x = box.x + box.width / 2
  const y = box.y + box.height / 2
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] })
  const distance = rows * item.height + (rows < 0 ? -6 : 6)
  for (let i = 1; i <= 12; i++) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y - (distance * i) / 12 }] })
    await page.waitForTimeout(40)
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] })
  await cdp.detach()
  await page.waitForTimeout(1200)
}
