/**
 * Waits and failures as a tired parent lives them, in Chromium: on a slow line (500 kbps, 400 ms, Chromium's own
 * throttling) the splash is painted before any of the app's code arrives, then the page; with the server gone mid-booking the failure
 * stays until read and the booking dialog keeps what was chosen; a page whose code cannot load offers to try again;
 * a refusal says who to ask and offers no 「再试一次」; a subpage has a title bar with a back button.
 * The browser's timers are Playwright's fake clock where a test needs time to pass: nothing waits for the wall clock.
 */
import type { Page } from 'playwright-core'
import { answerReminders, byTestId, e2eDescribe, e2eSession, see, shot } from '../support/e2e'
import { openRoomAllDay } from '../support/hotline'

const OPENID_HEADER = 'x-localcloud-openid'
const WANG = 'demo-parent-wang' // father of 王小雨 (child-01) and 王小川 (child-02)
const MONDAY = '2027-03-08T07:50:00+08:00'
const VIEW = { width: 375, height: 780 }

/** Chromium's network throttling, as a weak 3G line in a village: 500 kbps each way, 400 ms round trips. */
async function slowLine (page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 400,
    downloadThroughput: 500 * 1000 / 8,
    uploadThroughput: 500 * 1000 / 8
  })
}

e2eDescribe('waits and failures (h5 in Chromium)', () => {
  const session = e2eSession(10 * 60000)
  const newPage = (openid: string): Promise<Page> => session.phone({ viewport: VIEW, hasTouch: true, extraHTTPHeaders: { [OPENID_HEADER]: openid } })

  it('shows the splash on a slow line before any of the app\'s code has arrived, then the home page', async () => {
    const page = await newPage(WANG)
    await slowLine(page)
    await page.goto(`${session.cloud.url}/`, { waitUntil: 'commit' })
    const splash = page.getByTestId('splash')
    await splash.waitFor()
    expect(await splash.innerText()).toContain('雏燕')
    await shot(page, 'speed-splash')
    // What the phone first painted, timed by the browser from the start of navigation: the splash, painted before
    // any of the app's scripts or stylesheets had arrived (instead of 18 s of blank cream).
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
      const files = performance.getEntriesByType('resource').filter((r) => /\/(js|css)\//.test(r.name)).map((r) => (r as PerformanceResourceTiming).responseEnd)
      return { paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime, responseEnd: nav.responseEnd, firstFile: Math.min(Infinity, ...files) }
    })
    expect(timing.paint).toBeDefined()
    expect(timing.paint!).toBeLessThan(timing.firstFile)
    // The page itself arrives within half a second on this line; the splash is painted soon after it.
    expect(timing.responseEnd).toBeLessThan(1000)
    // Then the app arrives and the splash goes.
    await byTestId(page, 'home').waitFor({ timeout: 120_000 })
    await splash.waitFor({ state: 'detached' })
    // A tap on 约和孩子通话 shows at once that the page is on its way, while its code crosses the slow line.
    const wait = page.getByTestId('page-wait')
    await byTestId(page, 'entry-hotline').click()
    expect(await wait.isVisible()).toBe(true)
    await shot(page, 'speed-page-wait')
    // Its code here, the page shows grey lines where its content will be while its data crosses the line.
    await byTestId(page, 'loading').waitFor({ timeout: 120_000 })
    // and the moving bar goes (in the next frame or two; on a loaded machine the check can land between them).
    await wait.waitFor({ state: 'hidden', timeout: 5_000 })
    await shot(page, 'speed-skeleton')
    await byTestId(page, 'hotline-book').waitFor({ timeout: 120_000 })
  }, 240_000)

  it('keeps a failed booking on screen until the parent has read it, with the dialog and the chosen way of calling kept', async () => {
    await openRoomAllDay(session.cloud)
    await session.cloud.clock.set(MONDAY, { frozen: true })
    const page = await newPage(WANG)
    // The browser's timers run on a clock the test can move on (time otherwise flows as usual).
    await page.clock.install()
    await page.goto(`${session.cloud.url}/#/packages/hotline/pages/book/index?childId=child-01`)
    const nearest = byTestId(page, 'book-nearest')
    await nearest.waitFor({ timeout: 90_000 })
    await nearest.click()
    const confirm = byTestId(page, 'confirm')
    await confirm.waitFor()
    await confirm.locator('.nut-radio-button', { hasText: '语音通话' }).click()
    // The server goes away.
    await page.route('**/api/functions/**', (route) => route.abort('connectionrefused'))
    await page.locator('.nut-dialog-footer-ok').filter({ visible: true }).click()
    await answerReminders(page, '不允许')
    const failure = page.locator('.taro-modal__content').filter({ visible: true, hasText: '没有成功' })
    await failure.waitFor()
    const words = await failure.innerText()
    expect(words).toContain('网络不好')
    expect(words).toContain('您填的、选的都还在')
    expect(words).toMatch(/再点一次/)
    // Ten seconds later it is still there: it waits for the parent, not for a timer.
    await page.clock.runFor(10_000)
    expect(await failure.isVisible()).toBe(true)
    await shot(page, 'speed-failure-stays')
    await failure.locator('.taro-model__btn').filter({ hasText: '知道了' }).click()
    await failure.waitFor({ state: 'hidden' })
    // The booking dialog is still open, with 语音通话 still chosen: one more tap once the line is back.
    await confirm.waitFor()
    expect(await confirm.locator('.nut-radio-button', { hasText: '语音通话' }).getAttribute('class')).toMatch(/active|checked/)

    await page.unroute('**/api/functions/**')
    await page.locator('.nut-dialog-footer-ok').filter({ visible: true }).click()
    await answerReminders(page, '不允许')
    const done = byTestId(page, 'booked')
    await done.waitFor()
    expect(await done.innerText()).toContain('语音通话')
  }, 240_000)

  it('keeps a typed binding code when the server is gone, with the failure in words under it', async () => {
    const page = await newPage('demo-no-such-person')
    await page.goto(`${session.cloud.url}/#/packages/join/pages/bind/index`)
    const input = byTestId(page, 'code-input').locator('input')
    await input.waitFor()
    await input.fill('12345678')
    await byTestId(page, 'birth-date').locator('.nut-cell').click()
    await page.locator('.nut-picker-confirm-btn').filter({ visible: true }).click()
    await page.route('**/api/functions/**', (route) => route.abort('connectionrefused'))
    await page.locator('.nut-button').filter({ hasText: /^\s*绑定\s*$/, visible: true }).click()
    const failure = byTestId(page, 'bind-failure')
    await failure.waitFor()
    expect(await failure.innerText()).toContain('网络不好')
    expect(await input.inputValue()).toBe('12345678')
  }, 60_000)

  it('gives a subpage a title bar with its title and a back button that goes back', async () => {
    const page = await newPage(WANG)
    await page.goto(`${session.cloud.url}/`)
    await byTestId(page, 'home').waitFor()
    const bar = page.locator('#taro-navigation-bar')
    await see(page, '雏燕')
    await byTestId(page, 'entry-hotline').click()
    await byTestId(page, 'hotline-book').waitFor()
    await bar.locator('.taro-navigation-bar-title').filter({ hasText: /\S/ }).waitFor()
    const back = bar.locator('.taro-navigation-bar-back')
    expect(await back.isVisible()).toBe(true)
    await shot(page, 'speed-title-bar')
    await back.click()
    await byTestId(page, 'home').waitFor()
  }, 60_000)

  it('offers to try again when a page\'s code cannot load, and opens the page when it can', async () => {
    const page = await newPage(WANG)
    await page.goto(`${session.cloud.url}/`)
    await byTestId(page, 'home').waitFor()
    // The home page's code is here; any other page's code never arrives (a dropped line).
    const areaCode = /\/js\/[^/]+\.js$/
    await page.route(areaCode, (route) => route.abort('connectionreset'))
    await byTestId(page, 'entry-hotline').click()
    const retry = page.getByTestId('load-failed')
    await retry.waitFor()
    expect(await retry.innerText()).toContain('页面没有打开')
    await shot(page, 'speed-chunk-failed')
    await page.unroute(areaCode)
    await retry.getByText('再试一次').click()
    await byTestId(page, 'hotline-book').waitFor()
    expect(await retry.isVisible()).toBe(false)
  }, 90_000)

  it('says who to ask when the person may not open a page, and offers no 「再试一次」', async () => {
    const page = await newPage(WANG)
    await page.goto(`${session.cloud.url}/#/packages/admin/pages/access-log/index`)
    const error = byTestId(page, 'error')
    await error.waitFor()
    const words = await error.innerText()
    expect(words).toContain('没有权限')
    expect(words).toMatch(/请找.*(管理员|儿童主任|班主任)/)
    expect(words).not.toContain('再试一次')
    await shot(page, 'speed-forbidden')
  }, 60_000)
})
