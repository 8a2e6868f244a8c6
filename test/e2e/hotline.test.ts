/**
 * 亲情热线 in Chromium (issue 4), as the parent and the teacher: the parent books the nearest free time for a child
 * as a video call; the teacher marks it held on the day sheet with a note; the parent sees it in the history with
 * the note, and this week marked as held. And a refusal the parent reads: a booking beyond the family limit.
 */
import type { Locator, Page } from 'playwright-core'
import type { LocalCloud } from '../../localcloud'
import { byTestId, e2eDescribe, e2eSession, answerReminders } from '../support/e2e'
import { callAs } from '../support/localcloud'
import { openRoomAllDay } from '../support/hotline'


const OPENID_HEADER = 'x-localcloud-openid'
const WANG = 'demo-parent-wang' // father of 王小雨 (child-01) and 王小川 (child-02), 石桥镇中心小学
const CHEN = 'demo-teacher-chen' // keeps 石桥镇中心小学's care room
const NOTE = '聊了期中考试，孩子很开心'

const SHANGHAI_MS = 8 * 3600000
const minuteOfDayInShanghai = (ms: number) => Math.floor(((ms + SHANGHAI_MS) % 86400000) / 60000)
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Opens the room every day for an hour from a minute or so from now, 10-minute calls, no notice. The nearest free
 * time then starts within two minutes: the teacher may check it in (from 30 minutes before), and the history,
 * which lists calls that have begun, shows it after a short wait. Returns the opening minute.
 */
async function openRoomSoon (cloud: LocalCloud): Promise<void> {
  let start = minuteOfDayInShanghai(Date.now() + 30000) + 1
  if (start + 10 > 24 * 60) {
    // Too late in the day for a call to fit: wait for the next Shanghai day.
    await sleep((24 * 60 - minuteOfDayInShanghai(Date.now())) * 60000 + 5000)
    start = minuteOfDayInShanghai(Date.now() + 30000) + 1
  }
  await openRoomAllDay(cloud, { openHours: [{ days: [1, 2, 3, 4, 5, 6, 7], start: hhmm(start), end: hhmm(Math.min(start + 60, 24 * 60)) }], slotMinutes: 10 })
}

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
    await openRoomSoon(session.cloud)
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
  }, 15 * 60000) // in the last minutes of a Shanghai day, openRoomSoon waits for the next day

  it('lets the teacher mark the call held on the day sheet, with a note', async () => {
    expect(bookingId).not.toBe('')
    const page = await newPage(CHEN)
    await page.goto(`${session.cloud.url}/#/packages/hotline/pages/sheet/index?date=${callDay}`)
    const call = byTestId(page, 'sheet-call').filter({ hasText: '王小雨' })
    await call.waitFor()
    const text = await call.innerText()
    expect(text).toContain('四年级（2）班')
    expect(text).toContain('王建国约的 · 视频通话')
    expect(await call.locator('[data-testid="status"]').innerText()).toBe('已预约')

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
    // The history lists calls whose time has come.
    const wait = callStart + 2000 - Date.now()
    if (wait > 0) await sleep(wait)
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
  }, 15 * 60000)

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
})
