/**
 * 亲情热线 in Chromium, as the parent, the teacher and the grandmother: the parent books the nearest free time for a
 * child as a video call; the teacher sees the father's number to ring and marks the call held on the day sheet with a
 * note, once it has begun; the parent sees it in the history with the note, and this week marked as held. A refusal
 * the parent reads: a booking beyond the family limit. A call made straight to grandma's phone: the father records it
 * in a few taps, grandma (large text) confirms it in one, and the week counts. A time taken while the father looked
 * at it: he taps one offered instead twice, quickly, and books once. The cloud's clock is moved, never waited for.
 */
import type { Locator, Page } from 'playwright-core'
import { byTestId, countCalls, doubleTap, e2eDescribe, e2eSession, answerReminders } from '../support/e2e'
import { callAs } from '../support/localcloud'
import { bindParent, openRoomAllDay } from '../support/hotline'

const OPENID_HEADER = 'x-localcloud-openid'
const WANG = 'demo-parent-wang' // father of 王小雨 (child-01) and 王小川 (child-02), 石桥镇中心小学
const CHEN = 'demo-teacher-chen' // keeps 石桥镇中心小学's care room
const ZHANG = 'demo-guardian-zhang' // their grandmother
const NOTE = '聊了期中考试，孩子很开心'

/** A Monday morning in the cloud's clock, frozen: the room opens all day, so the nearest free time is minutes away. */
const MONDAY = '2027-03-08T07:50:00+08:00'

/** A NutUI button by its exact text; Taro's h5 router keeps earlier pages in the document, hidden. */
function button (page: Page, text: string): Locator {
  return page.locator('.nut-button').filter({ hasText: new RegExp(`^\\s*${text}\\s*$`), visible: true })
}

e2eDescribe('family hotline (h5 in Chromium)', () => {
  const session = e2eSession(15 * 60000)

  const newPage = (openid: string): Promise<Page> => session.phone({ hasTouch: true, extraHTTPHeaders: { [OPENID_HEADER]: openid } })

  // Shared along the story.
  let bookingId = ''
  let callStart = 0
  let callDay = ''

  it('lets the parent book the nearest free time for a child as a video call', async () => {
    await openRoomAllDay(session.cloud)
    await session.cloud.clock.set(MONDAY, { frozen: true })
    const page = await newPage(WANG)
    await page.goto(`${session.cloud.url}/#/packages/hotline/pages/book/index`)
    // Two children: he is asked which.
    await page.getByText('和哪个孩子通话？').waitFor()
    expect(await byTestId(page, 'child-choice').count()).toBe(2)
    await byTestId(page, 'child-choice').filter({ hasText: '王小雨' }).click()
    await page.getByText('和王小雨通话').waitFor()
    expect(await byTestId(page, 'week-state').innerText()).toBe('本周还没通话')

    const nearest = byTestId(page, 'book-nearest')
    const shown = (await nearest.innerText()).replace(/\s+/g, ' ')
    expect(shown).toMatch(/约最近的空位.*\d{1,2}月\d{1,2}日 周. \d{2}:\d{2}/)
    await nearest.click()
    const confirm = byTestId(page, 'confirm')
    await confirm.waitFor()
    await confirm.locator('.nut-radio-button', { hasText: '视频通话' }).click()
    await page.locator('.nut-dialog-footer-ok').filter({ visible: true }).click()
    // On the same tap the app asks to allow the call reminder (WeChat's dialog; here its stand-in).
    await answerReminders(page)

    const done = byTestId(page, 'booked')
    await done.waitFor()
    expect(await done.innerText()).toContain('约好了')
    expect(await done.innerText()).toContain('王小雨 · 视频通话')
    const time = shown.match(/(\d{1,2}月\d{1,2}日 周. \d{2}:\d{2})/)![1]
    expect((await byTestId(page, 'booked-time').innerText()).replace(/\s+/g, ' ')).toBe(time)

    const mine = (await callAs(session.cloud, WANG, 'hotline', 'myBookings')).body.data
    expect(mine.upcoming).toHaveLength(1)
    expect(mine.upcoming[0]).toMatchObject({ childId: 'child-01', mode: 'video', status: 'booked' })
    bookingId = mine.upcoming[0].id
    callStart = new Date(mine.upcoming[0].start).getTime()
    callDay = new Date(callStart).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })

    // Back on the booking page the booked time is listed and no longer offered.
    await button(page, '再约一次').click()
    await byTestId(page, 'already-booked').filter({ hasText: time.slice(-5) }).waitFor()
    expect(await byTestId(page, 'week-state').innerText()).toBe('本周已约好，还没通话')
  }, 90000)

  it('shows the teacher the father\'s number to ring, and lets her mark the call held with a note once it has begun', async () => {
    expect(bookingId).not.toBe('')
    const page = await newPage(CHEN)
    await page.goto(`${session.cloud.url}/#/packages/hotline/pages/sheet/index?date=${callDay}`)
    let call = byTestId(page, 'sheet-call').filter({ hasText: '王小雨' })
    await call.waitFor()
    const text = await call.innerText()
    expect(text).toContain('四年级（2）班')
    expect(text).toContain('王建国约的 · 视频通话')
    expect(await call.locator('[data-testid="status"]').innerText()).toBe('已预约')
    // His number, whole, a tap from the dialer (the read is logged); "held" waits for the call to begin.
    expect((await call.locator('[data-testid="parent-phone"]').innerText()).replace(/\s+/g, ' ')).toContain('王建国（爸爸） 13800005000')
    await call.locator('[data-testid="call-parent"]').waitFor()
    expect(await call.locator('.nut-button', { hasText: /^\s*已通话\s*$/ }).getAttribute('class')).toContain('nut-button-disabled')
    await call.locator('[data-testid="not-begun"]').waitFor()

    await session.cloud.clock.set(new Date(callStart + 2 * 60000).toISOString(), { frozen: true })
    await page.reload()
    call = byTestId(page, 'sheet-call').filter({ hasText: '王小雨' })
    await call.waitFor()
    await call.locator('input').fill(NOTE)
    await call.locator('.nut-button').filter({ hasText: /^\s*已通话\s*$/ }).click()
    // A natural tap: the teacher, who has no alerts switched on yet, is asked to allow them.
    await answerReminders(page)
    await call.locator('[data-testid="status"]').filter({ hasText: '已通话' }).waitFor()

    // Read again from the server: the mark and the note were saved.
    await page.reload()
    const again = byTestId(page, 'sheet-call').filter({ hasText: '王小雨' })
    await again.locator('[data-testid="status"]').filter({ hasText: '已通话' }).waitFor()
    expect(await again.locator('input').inputValue()).toBe(NOTE)
  }, 60000)

  it('shows the parent the call in the history as held, with the note, and this week as held', async () => {
    expect(callStart).toBeGreaterThan(0)
    const page = await newPage(WANG)
    await page.goto(`${session.cloud.url}/#/packages/hotline/pages/history/index?childId=child-01`)
    await page.getByText('和王小雨的通话').waitFor()
    const call = byTestId(page, 'history-call').first()
    await call.waitFor()
    expect(await call.locator('[data-testid="status"]').innerText()).toBe('已通话')
    expect(await call.locator('[data-testid="note"]').innerText()).toBe(`老师说：${NOTE}`)
    expect(await call.innerText()).toContain('视频通话')
    expect(await byTestId(page, 'week-this').getAttribute('data-held')).toBe('yes')
    expect(await byTestId(page, 'this-week').innerText()).toBe('本周已通话 ✓')
    expect(await byTestId(page, 'weeks-summary').innerText()).toBe('1周通过话')

    // The booking page says so too.
    await page.goto(`${session.cloud.url}/#/packages/hotline/pages/book/index?childId=child-01`)
    await byTestId(page, 'week-state').filter({ hasText: '本周已通话' }).waitFor()
  }, 60000)

  it('tells the parent in plain words when a third booking would pass the family limit', async () => {
    const page = await newPage(WANG)
    await page.goto(`${session.cloud.url}/#/packages/hotline/pages/book/index?childId=child-01`)
    for (let i = 0; i < 2; i++) {
      await byTestId(page, 'book-nearest').click()
      await page.locator('.nut-dialog-footer-ok').filter({ visible: true }).click()
      await answerReminders(page, '不允许')
      await byTestId(page, 'booked').waitFor()
      await button(page, '再约一次').click()
    }
    // The page warns before, and the refusal itself is shown in words.
    await byTestId(page, 'limit-notice').waitFor()
    await byTestId(page, 'book-nearest').click()
    await page.locator('.nut-dialog-footer-ok').filter({ visible: true }).click()
    await answerReminders(page, '不允许')
    const problem = byTestId(page, 'book-problem')
    await problem.waitFor()
    expect(await problem.innerText()).toContain('每个孩子在这个关爱室最多同时约2次通话。请先通完或取消一次，再约新的。')
    expect((await callAs(session.cloud, WANG, 'hotline', 'myBookings')).body.data.upcoming).toHaveLength(2)

    // The way on: his bookings, where one can be cancelled (a reason is asked for).
    await button(page, '查看我的预约').click()
    await byTestId(page, 'upcoming').first().waitFor()
    expect(await byTestId(page, 'upcoming').count()).toBe(2)
    await button(page, '取消').first().click()
    await page.locator('.nut-dialog-footer-ok').filter({ visible: true }).click()
    expect(await byTestId(page, 'cancel-error').innerText()).toBe('请说一下取消的原因')
    await page.locator('.hl-chip', { hasText: '要加班' }).filter({ visible: true }).click()
    await page.locator('.nut-dialog-footer-ok').filter({ visible: true }).click()
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="upcoming"]').length === 1)
    expect((await callAs(session.cloud, WANG, 'hotline', 'myBookings')).body.data.upcoming).toHaveLength(1)
  }, 90000)

  it('lets the father record a call made straight to grandma\'s phone in a few taps, and grandma confirm it in one (large text)', async () => {
    await session.cloud.clock.set('2027-03-10T20:40:00+08:00', { frozen: true }) // Wednesday evening, the same week
    const page = await newPage(WANG)
    await page.goto(`${session.cloud.url}/#/packages/hotline/pages/history/index?childId=child-02`)
    await page.getByText('和王小川的通话').waitFor()
    expect(await byTestId(page, 'week-this').getAttribute('data-held')).toBe('no')
    await byTestId(page, 'record-direct').click()
    await byTestId(page, 'hotline-direct').waitFor()
    // Today and just now are chosen already: how long, and save.
    expect(await byTestId(page, 'direct-day-2027-03-10').getAttribute('class')).toContain('chip--on')
    await byTestId(page, 'direct-length-20').click()
    await byTestId(page, 'direct-save').click()
    expect(await byTestId(page, 'asked').innerText()).toBe('已请张桂兰确认。确认以后，这一周就算通过话了。')

    // Grandma, large text on, finds it from her home and confirms with one tap.
    const granny = await session.phone({ hasTouch: true, extraHTTPHeaders: { [OPENID_HEADER]: ZHANG } })
    await granny.addInitScript(() => localStorage.setItem('chuyan.largeText', JSON.stringify({ data: true })))
    await granny.goto(`${session.cloud.url}/`)
    // The call waiting for her word is a card at the top of her home; the card opens it.
    await byTestId(granny, 'home-card').filter({ hasText: '1个电话等您确认' }).click()
    const card = byTestId(granny, 'confirm-call')
    await card.waitFor()
    expect(await granny.locator('.page--large').filter({ visible: true }).count()).toBeGreaterThan(0)
    const said = (await card.innerText()).replace(/\s+/g, ' ')
    expect(said).toContain('王建国（爸爸）说：')
    expect(said).toContain('3月10日 周三 20:40')
    expect(said).toContain('和王小川视频通话，约20分钟')
    await byTestId(granny, 'confirm-yes').click()
    // On the same tap she is asked whether the next such request may come as a WeChat message.
    await answerReminders(granny)
    expect(await byTestId(granny, 'answered').innerText()).toBe('已确认 ✓ 这周算通过话了')

    // The father's record: this week held, the call marked where it happened.
    const again = await newPage(WANG)
    await again.goto(`${session.cloud.url}/#/packages/hotline/pages/history/index?childId=child-02`)
    await byTestId(again, 'week-this').and(again.locator('[data-held="yes"]')).waitFor()
    const direct = byTestId(again, 'history-call').and(again.locator('[data-place="direct"]'))
    expect((await direct.innerText()).replace(/\s+/g, ' ')).toMatch(/张桂兰已确认.*视频通话 · 20分钟 · 直接打到家里/)
  }, 90000)

  it('books one call however fast the father taps a time offered in place of one just taken', async () => {
    const page = await newPage(WANG)
    await page.goto(`${session.cloud.url}/#/packages/hotline/pages/book/index?childId=child-02`)
    await page.getByText('和王小川通话').waitFor()
    const nearest = (await callAs(session.cloud, WANG, 'hotline', 'slots', { childId: 'child-02' })).body.data.slots[0].start
    // Two other families take both seats of that time while he looks at it.
    for (const [openid, childId] of [['e2e-parent-chen', 'child-03'], ['e2e-parent-lin', 'child-04']]) {
      await bindParent(openid, childId)
      expect((await callAs(session.cloud, openid, 'hotline', 'book', { childId, start: nearest, mode: 'video', idempotencyKey: `k-${openid}-taken` })).body.data.outcome).toBe('booked')
    }
    await byTestId(page, 'book-nearest').click()
    await page.locator('.nut-dialog-footer-ok').filter({ visible: true }).click()
    await answerReminders(page, '不允许')
    await byTestId(page, 'taken').waitFor()

    // Two taps on an offered time, faster than the page redraws: one request, one booking.
    const books = countCalls(page, 'hotline', 'book')
    const offered = byTestId(page, 'next-slot').first()
    const time = (await offered.innerText()).replace(/\s+/g, ' ')
    await doubleTap(offered)
    await byTestId(page, 'booked').waitFor()
    expect(books()).toBe(1)
    expect((await byTestId(page, 'booked-time').innerText()).replace(/\s+/g, ' ')).toContain(time.slice(-5))
    const mine = (await callAs(session.cloud, WANG, 'hotline', 'myBookings')).body.data.upcoming.filter((b: { childId: string }) => b.childId === 'child-02')
    expect(mine).toHaveLength(1)
  }, 90000)
})
