/**
 * 亲情热线 in the weapp build (test/weapp-runtime): 王建国, a father working away, opens the mini-program, books
 * this week's call with his daughter (the nearest free time) as a video call, allows the reminder on the same
 * tap, finds the call in 我的预约, and sees this week marked as booked. Every cloud call goes through wx.cloud.callFunction on the build's env id as his OPENID.
 */
import { ROUND_THE_CLOCK, openRoomAllDay } from '../support/hotline'
import { callAs } from '../support/localcloud'
import { weappSession } from '../weapp-runtime'

const WANG = 'demo-parent-wang' // father of 王小雨 (child-01) and 王小川 (child-02)
const CALL_TIME = /\d{1,2}月\d{1,2}日 周. \d{2}:\d{2}/
/** A Monday morning, the cloud's clock (and so the phone's) frozen there: the room opens all day, so the nearest free time is minutes away. */
const MONDAY = '2027-03-08T07:50:00+08:00'

describe('family hotline (weapp build, headless)', () => {
  const session = weappSession()

  it('lets a parent book this week\'s call with his daughter and see it in 我的预约', async () => {
    await openRoomAllDay(session.cloud, ROUND_THE_CLOCK)
    await session.cloud.clock.set(MONDAY, { frozen: true })
    const phone = await session.phone(WANG)
    expect(phone.page.route).toBe('pages/home/index')
    expect(await phone.byTestId('my-name').text()).toBe('王建国，您好')

    await phone.byTestId('entry-hotline').tap()
    await phone.byText('和哪个孩子通话？').waitFor()
    expect(phone.page).toMatchObject({ route: 'packages/hotline/pages/book/index', title: '约通话' })
    expect(await phone.byTestId('child-choice').count()).toBe(2)
    await phone.byTestId('child-choice').filter({ hasText: '王小雨' }).tap()
    await phone.byText('和王小雨通话').waitFor()
    expect(await phone.byTestId('week-state').text()).toBe('本周还没通话')

    const nearest = await phone.byTestId('book-nearest').text()
    expect(nearest).toMatch(/^约最近的空位/)
    const time = CALL_TIME.exec(nearest)?.[0]
    // The phone reads the cloud's day: the nearest time is this Monday's, not the wall clock's.
    expect(time).toMatch(/^3月8日 周一 0[789]:\d{2}$/)
    await phone.byTestId('book-nearest').tap()
    await phone.byTestId('confirm').button('视频通话').tap()
    expect(phone.subscriptions).toEqual([])
    await phone.button('确认预约').tap()

    const booked = phone.byTestId('booked')
    await booked.waitFor()
    expect(await booked.text()).toContain('约好了')
    expect(await booked.text()).toContain('王小雨 · 视频通话')
    expect(await phone.byTestId('booked-time').text()).toBe(time)
    // WeChat asked him about the call reminder on that tap (a subscription request needs a tap), and he allowed it.
    expect(phone.subscriptions).toEqual([expect.objectContaining({ openid: WANG, tmplIds: ['TPL_CALL_REMINDER'], answers: { TPL_CALL_REMINDER: 'accept' } })])

    // The booking is his, in the store, as he chose it.
    const mine = (await callAs(session.cloud, WANG, 'hotline', 'myBookings')).body.data
    expect(mine.upcoming).toHaveLength(1)
    expect(mine.upcoming[0]).toMatchObject({ childId: 'child-01', mode: 'video', status: 'booked' })

    await phone.button('查看我的预约').tap()
    await phone.byTestId('upcoming').waitFor()
    expect(phone.page).toMatchObject({ route: 'packages/hotline/pages/bookings/index', title: '我的预约' })
    expect(phone.stackRoutes()).toEqual(['pages/home/index', 'packages/hotline/pages/book/index', 'packages/hotline/pages/bookings/index'])
    const upcoming = phone.byTestId('upcoming')
    expect(await upcoming.count()).toBe(1)
    expect(await upcoming.text()).toContain(time!.replace(/^\d{1,2}月\d{1,2}日 /, ''))
    expect(await upcoming.text()).toContain('和王小雨 · 视频通话 · 石桥镇中心小学真情关爱室')

    // Back on the booking page, this week reads as booked.
    await phone.back()
    await phone.button('再约一次').tap()
    await phone.byTestId('already-booked').waitFor()
    expect(await phone.byTestId('week-state').text()).toBe('本周已约好，还没通话')
  }, 120000)
})
