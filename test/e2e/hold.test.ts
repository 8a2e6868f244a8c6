/**
 * Large text that holds, forms that help, and the story told by voice, walked in Chromium at 375×780 as the people
 * they serve: the grandmother is offered large text on her first visit (once), fills the legal-aid form in it
 * (nothing cut off, the picker's 确认 a thumb's size, the first error in view) and tells her story by voice; the
 * centre's officer can play the recording, she sees that it is attached; the father's standing-call form drops
 * 「请选择星期」 once he picks a day.
 */
import type { Page } from 'playwright-core'
import { byTestId, e2eDescribe, e2eSession, largeText, see, shot } from '../support/e2e'
import { findingsOn } from '../support/pageCheck'

const PHONE = { viewport: { width: 375, height: 780 } }
const LA = '/#/packages/legalaid/pages'

e2eDescribe('large text, forms and the voice note (h5 in Chromium)', () => {
  const session = e2eSession()

  /** A phone signed in on the persona page; `firstUse`: nothing answered on it before. */
  async function signedIn (name: string, firstUse = false): Promise<Page> {
    const page = await session.phone(PHONE, firstUse)
    await page.context().grantPermissions(['microphone'])
    await page.goto(session.cloud.url + '/')
    await page.getByText(name, { exact: true }).first().click()
    await see(page, `${name}，您好`)
    return page
  }

  const offer = (page: Page) => page.locator('.taro-modal__content').filter({ visible: true, hasText: '把字放大吗？' })

  it('offers the grandmother large text on her first visit, once, and not the father', async () => {
    const granny = await signedIn('张桂兰', true)
    await offer(granny).waitFor()
    await shot(granny, 'hold-offer')
    await offer(granny).locator('.taro-model__btn').filter({ hasText: /^放大$/ }).click()
    await granny.locator('.page--large').filter({ visible: true }).first().waitFor()
    await granny.reload()
    await see(granny, '张桂兰，您好')
    expect(await granny.locator('.page--large').filter({ visible: true }).count()).toBeGreaterThan(0)
    await granny.waitForTimeout(1000)
    expect(await offer(granny).count()).toBe(0)

    const father = await signedIn('王建国', true)
    await father.waitForTimeout(1500)
    expect(await offer(father).count()).toBe(0)
  })

  let requestId = ''

  it('lets her fill the legal-aid form in large text and tell the story by voice', async () => {
    const page = await signedIn('张桂兰')
    await largeText(page, session.cloud.url)
    await page.goto(`${session.cloud.url}${LA}/apply/index`)
    await byTestId(page, 'child').filter({ hasText: '王小雨' }).click()
    await byTestId(page, 'matter-maintenance').click()
    await byTestId(page, 'step-story').waitFor()
    expect(await findingsOn(page)).toEqual([])
    await shot(page, 'hold-legalaid-story-large')

    // Nothing written, nothing recorded: the first error comes into view, in the schema's words.
    await byTestId(page, 'next').scrollIntoViewIfNeeded()
    await byTestId(page, 'next').click()
    const storyError = byTestId(page, 'f-story-error')
    expect(await storyError.innerText()).toBe('请简单说说发生了什么（至少5个字）')
    await page.waitForTimeout(600)
    expect(await storyError.isVisible()).toBe(true)
    const box = await storyError.boundingBox()
    expect(box!.y).toBeGreaterThanOrEqual(0)
    expect(box!.y + box!.height).toBeLessThanOrEqual(780)

    // The court date picker: big rows, a 确认 a thumb can hit.
    await byTestId(page, 'deadline-known-yes').click()
    await byTestId(page, 'deadline-day').locator('.la-picker').click()
    const confirm = page.locator('.nut-picker-confirm-btn').filter({ visible: true })
    await confirm.waitFor()
    await shot(page, 'hold-picker-large', confirm)
    const c = await confirm.boundingBox()
    expect(c!.height).toBeGreaterThanOrEqual(44)
    expect(c!.width).toBeGreaterThanOrEqual(44)
    await confirm.click()
    await byTestId(page, 'deadline-known-no').click()

    // She records instead of typing: the browser's microphone, a few seconds.
    await byTestId(page, 'voice-record').click()
    await byTestId(page, 'voice-recording').waitFor()
    await page.waitForTimeout(2500)
    await byTestId(page, 'voice-stop').click()
    await byTestId(page, 'voice-done').waitFor({ timeout: 15000 })
    expect(await byTestId(page, 'f-story-error').count()).toBe(0) // the stale error went when she answered
    await byTestId(page, 'urgent-no').click()
    await shot(page, 'hold-legalaid-voice-large')
    expect(await findingsOn(page)).toEqual([])
    await byTestId(page, 'next').click()
    await byTestId(page, 'step-files').waitFor()
    await byTestId(page, 'submit').click()
    await byTestId(page, 'see-request').waitFor()
    await byTestId(page, 'see-request').click()
    await byTestId(page, 'voice-attached').waitFor()
    expect(await byTestId(page, 'voice-attached').innerText()).toMatch(/^已附一段录音（\d+秒），只有法律援助中心和律师能听。$/)
    requestId = new URL(page.url().replace('/#/', '/')).searchParams.get('id') ?? ''
    expect(requestId).not.toBe('')
  }, 90000)

  it('lets the centre\'s officer play the recording', async () => {
    const page = await signedIn('吴敏')
    await page.goto(`${session.cloud.url}${LA}/case/index?id=${encodeURIComponent(requestId)}`)
    await byTestId(page, 'voice-player').waitFor()
    expect(await byTestId(page, 'voice-player').innerText()).toMatch(/听申请人的录音（\d+秒）/)
  })

  it('drops 「请选择星期」 from the father\'s standing-call form once he picks a day, in large text', async () => {
    const page = await signedIn('王建国')
    await largeText(page, session.cloud.url)
    await page.goto(`${session.cloud.url}/#/packages/hotline/pages/bookings/index`)
    await page.locator('taro-button-core').filter({ visible: true, hasText: '设每周固定通话' }).first().click()
    await byTestId(page, 'standing-form').waitFor()
    await page.locator('taro-button-core').filter({ visible: true, hasText: '保存每周固定通话' }).click()
    await see(page, '请选择星期')
    await shot(page, 'hold-standing-error-large')
    await byTestId(page, 'standing-form').locator('.nut-radio-button').filter({ hasText: '周三' }).click()
    await page.waitForTimeout(300)
    expect(await page.getByText('请选择星期', { exact: true }).filter({ visible: true }).count()).toBe(0)
    expect(await findingsOn(page)).toEqual([])
    await shot(page, 'hold-standing-picked-large')
  }, 60000)

  it('shows the hotline booking page whole in large text', async () => {
    const page = await signedIn('王建国')
    await largeText(page, session.cloud.url)
    await page.goto(`${session.cloud.url}/#/packages/hotline/pages/book/index?childId=child-01`)
    await page.locator('.page--large').filter({ visible: true }).first().waitFor()
    await page.waitForFunction(() => !document.querySelector('[data-testid="loading"]')?.checkVisibility())
    expect(await findingsOn(page)).toEqual([])
    await shot(page, 'hold-hotline-book-large')
  })
})
