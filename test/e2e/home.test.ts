/**
 * Each role's home as its person sees it: cards of what is next and what waits, drawn from real state, then the
 * services. Walked at 375 wide in normal and large text (screenshots with CHUYAN_SHOTS).
 */
import type { Locator, Page } from 'playwright-core'
import { byTestId, e2eDescribe, e2eSession, see, shot } from '../support/e2e'
import { callAs } from '../support/localcloud'
import { key } from '../support/children'
import { openRoomAllDay } from '../support/hotline'

e2eDescribe('home', () => {
  const session = e2eSession()
  const LARGE = { viewport: { width: 375, height: 780 } }
  const TOUCH = { ...LARGE, hasTouch: true }
  let slotStart: string
  const SLOW = 90000 // two or three phones signed in, on a shared 2-core machine

  const large = async (name: string, options = LARGE): Promise<Page> => {
    const page = await session.phone(options)
    await page.addInitScript(() => localStorage.setItem('chuyan.largeText', JSON.stringify({ data: true })))
    await page.goto(session.cloud.url + '/')
    await page.getByText(name, { exact: true }).first().click()
    await byTestId(page, 'home-cards').or(byTestId(page, 'home-card')).first().waitFor()
    return page
  }
  /**
   * A finger held on `target` (Taro's hover-class follows touches): `pressedClass` shows on it while it is held (the
   * picture is taken then), and goes once the finger slides off and lifts (which opens nothing).
   */
  const whilePressed = async (page: Page, target: Locator, pressedClass: string, picture: string): Promise<void> => {
    await target.scrollIntoViewIfNeeded()
    const box = (await target.boundingBox())!
    const x = box.x + box.width / 2
    const y = box.y + box.height / 2
    const el = await target.elementHandle()
    const has = (on: boolean) => page.waitForFunction(([e, cls, want]) => (e as Element).classList.contains(cls as string) === want, [el, pressedClass, on] as const)
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] })
    await has(true)
    await shot(page, picture, target)
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y + 120 }] })
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] })
    await has(false)
    await cdp.detach()
  }
  const cardTexts = async (page: Page) => (await byTestId(page, 'home-card').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '))

  beforeAll(async () => {
    await session.cloud.clock.set('2026-12-07T09:00:00+08:00', { frozen: true }) // a Monday morning
    await openRoomAllDay(session.cloud)
  }, SLOW)

  it('tells the grandmother, per child, that the parents have booked no call this week', async () => {
    const page = await large('张桂兰', TOUCH)
    const xiaoyu = byTestId(page, 'home-card').filter({ hasText: '小雨的爸爸妈妈还没约这周的通话' })
    await xiaoyu.waitFor()
    expect((await xiaoyu.innerText()).replace(/\s+/g, ' ')).toContain('给他们打个电话，提醒他们约个时间')
    await byTestId(page, 'home-card').filter({ hasText: '小川的爸爸妈妈还没约这周的通话' }).waitFor()
    expect(await byTestId(page, 'home-card').filter({ hasText: '下次和' }).count()).toBe(0)
    await shot(page, 'home-guardian-unbooked-large')
    // A card and a service tile answer the finger; the card opens the booking for that child.
    await whilePressed(page, xiaoyu, 'home-card--pressed', 'home-guardian-card-pressed')
    await whilePressed(page, byTestId(page, 'entry-hotline'), 'home-service--pressed', 'home-guardian-tile-pressed')
    await xiaoyu.click()
    await byTestId(page, 'book-child').filter({ hasText: '和王小雨通话' }).waitFor()
  }, SLOW)

  it('nudges the father to call, then shows the call he booked first on his home', async () => {
    const page = await session.signedIn('王建国', LARGE)
    await byTestId(page, 'home-card').filter({ hasText: '这周还没和王小雨通话' }).waitFor()
    await shot(page, 'home-parent-nudge')

    const slots = (await callAs(session.cloud, 'demo-parent-wang', 'hotline', 'slots', { childId: 'child-01' })).body.data.slots
    slotStart = slots.find((s: any) => new Date(s.start).getTime() === Date.parse('2026-12-09T17:00:00+08:00')).start
    expect((await callAs(session.cloud, 'demo-parent-wang', 'hotline', 'book', { childId: 'child-01', start: slotStart, mode: 'video', idempotencyKey: key() })).body.ok).toBe(true)

    await page.reload()
    const call = byTestId(page, 'home-card').filter({ hasText: '下次和王小雨通话' })
    await call.waitFor()
    expect((await call.innerText()).replace(/\s+/g, ' ')).toContain('12月9日 周三 17:00 石桥镇中心小学')
    expect(await byTestId(page, 'home-card').filter({ hasText: '这周还没和王小雨通话' }).count()).toBe(0)
    // The booking is the first service; rare ones wait under 更多.
    await byTestId(page, 'entry-hotline').waitFor()
    expect(await byTestId(page, 'entry-volunteer-register').count()).toBe(0)
    await byTestId(page, 'entry-more').click()
    await byTestId(page, 'entry-volunteer-register').waitFor()
    await shot(page, 'home-parent')
  }, SLOW)

  it('shows the grandmother the same call instead, in large text', async () => {
    const page = await large('张桂兰')
    const call = byTestId(page, 'home-card').filter({ hasText: '下次和王小雨通话' })
    await call.waitFor()
    expect(await byTestId(page, 'home-card').filter({ hasText: '小雨的爸爸妈妈还没约' }).count()).toBe(0)
    await byTestId(page, 'home-card').filter({ hasText: '小川的爸爸妈妈还没约这周的通话' }).waitFor()
    expect(await page.locator('.page--large').filter({ visible: true }).count()).toBeGreaterThan(0)
    await byTestId(page, 'entry-legalaid').waitFor()
    await shot(page, 'home-guardian-large')
  }, SLOW)

  it('speaks to the child: her given name, the call with mum or dad, someone to talk to, the numbers', async () => {
    const page = await session.signedIn('王小雨', LARGE)
    expect(await byTestId(page, 'my-name').innerText()).toBe('你好，小雨')
    expect((await cardTexts(page))[0]).toMatch(/^下次和爸爸妈妈通话 后天 12月9日 周三 17:00 在石桥镇中心小学/)
    await byTestId(page, 'entry-counsel').filter({ hasText: '找人聊聊' }).waitFor()
    expect(await byTestId(page, 'help-number').filter({ hasText: '110' }).count()).toBe(1)
    for (const id of ['entry-bind', 'entry-volunteer-register', 'entry-more']) expect(await byTestId(page, id).count()).toBe(0)
    await shot(page, 'home-child')
  }, SLOW)

  it('puts the offers sent to a volunteer on her home, a tap from answering them', async () => {
    const vetted = await callAs(session.cloud, 'demo-admin-guan', 'pairing', 'recordVetting', { volunteerId: 'demo-vol-qian', checkDate: '2026-12-01', result: 'clear', checkedBy: '青山县公安局', trainingDate: '2026-12-01' })
    expect(vetted.body.ok).toBe(true)
    const run = (await callAs(session.cloud, 'demo-admin-guan', 'pairing', 'runMatching', {})).body.data
    const childIds = run.pairs.filter((p: any) => p.volunteerId === 'demo-vol-qian').slice(0, 2).map((p: any) => p.childId)
    expect((await callAs(session.cloud, 'demo-admin-guan', 'pairing', 'sendOffers', { runId: run.runId, childIds })).body.data).toEqual({ sent: 2 })

    const page = await large('钱德明')
    const offers = byTestId(page, 'home-card').filter({ hasText: '2个结对邀请等您回复' })
    await offers.waitFor()
    await shot(page, 'home-volunteer-large')
    await offers.click()
    await byTestId(page, 'offer').first().waitFor()
  }, SLOW)

  it('puts a waiting crisis first on the counsellor\'s home, above her queue', async () => {
    const ask = (await callAs(session.cloud, 'demo-child-xiaoyu', 'counseling', 'ask', { childId: 'child-01', answers: { safeNow: 'no' }, idempotencyKey: key() })).body
    expect(ask.data.urgency).toBe('crisis')
    const page = await session.signedIn('刘心怡', LARGE)
    const crisis = byTestId(page, 'home-crisis').first()
    await crisis.waitFor()
    await byTestId(page, 'home-card').filter({ hasText: '求助' }).first().waitFor()
    const crisisTop = (await crisis.boundingBox())!.y
    const cardTop = (await byTestId(page, 'home-card').first().boundingBox())!.y
    expect(crisisTop).toBeLessThan(cardTop)
    await shot(page, 'home-counsellor')
  }, SLOW)

  it('tells the teacher today\'s calls, the police their reports, and offers the police no volunteering', async () => {
    const teacher = await session.signedIn('陈丽', LARGE)
    await byTestId(teacher, 'home-card').filter({ hasText: /今天(有 \d+ 个通话|没有约好的通话)/ }).waitFor()
    await shot(teacher, 'home-teacher')

    const police = await session.signedIn('周建华', LARGE)
    await byTestId(police, 'home-card').filter({ hasText: '强制报告' }).waitFor()
    await byTestId(police, 'entry-report-queue').waitFor()
    if (await byTestId(police, 'entry-more').count()) await byTestId(police, 'entry-more').click()
    expect(await byTestId(police, 'entry-volunteer-register').count()).toBe(0)
    await shot(police, 'home-police')
  }, SLOW)

  it('shows the officer the requests near or past their deadline, and the admin no 登记新孩子 she may not do', async () => {
    const officer = await large('吴敏')
    await byTestId(officer, 'home-card').filter({ hasText: '法律援助' }).waitFor()
    await shot(officer, 'home-officer-large')

    const admin = await session.signedIn('许文华', LARGE)
    await byTestId(admin, 'entry-registry').click()
    await byTestId(admin, 'total').waitFor()
    expect(await byTestId(admin, 'register-child').count()).toBe(0)
    await shot(admin, 'home-admin-registry')
  }, SLOW)

  it('shows 我的: roles and scopes, reminders, text size, the privacy text', async () => {
    const page = await session.signedIn('陈丽', LARGE)
    await page.goto(`${session.cloud.url}/#/pages/me/index`)
    await byTestId(page, 'my-role').filter({ hasText: '石桥镇中心小学' }).waitFor()
    await byTestId(page, 'me-alerts').waitFor()
    await byTestId(page, 'me-text-size').waitFor()
    await byTestId(page, 'me-privacy').click()
    await see(page, '孩子信息登记同意书')
    await byTestId(page, 'sign-out').waitFor()
    await shot(page, 'me-teacher')
  }, SLOW)
})
