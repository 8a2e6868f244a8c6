/**
 * 接收提醒 and 消息 in the h5 build, as the people they serve: 刘心怡, the counsellor on duty, is warned on her home
 * page that the crisis alert cannot reach her by WeChat, switches it on with one tap (the app's stand-in for WeChat's
 * dialog), and later opens the crisis from 消息; 张静, the station's supervisor, sees who on her roster can be reached.
 * Set E2E_SCREENSHOTS to a folder to keep screenshots of each page, at normal and large text.
 */
import path from 'node:path'
import type { Page } from 'playwright-core'
import { callAs } from '../support/localcloud'
import { key } from '../support/children'
import { answerReminders, byTestId, e2eDescribe, e2eSession } from '../support/e2e'

const shots = process.env.E2E_SCREENSHOTS
async function shot (page: Page, name: string): Promise<void> {
  if (shots) await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true })
}
/** The large-text mode, as the 大字模式 page keeps it (Taro's storage on h5). */
async function largeText (page: Page, on: boolean): Promise<void> {
  await page.evaluate((v) => { localStorage.setItem('chuyan.largeText', JSON.stringify({ data: v })) }, on)
  await page.reload()
}

e2eDescribe('接收提醒 and 消息 (h5)', () => {
  const session = e2eSession()

  it('warns the counsellor on duty, lets her switch the crisis alert on with one tap, and brings the crisis to her 消息', async () => {
    const page = await session.signedIn('刘心怡')
    const warning = byTestId(page, 'alerts-warning')
    await warning.waitFor()
    expect(await warning.innerText()).toContain('有 2 种提醒收不到了：紧急求助提醒、预约变动提醒（急事还会发短信）')
    await shot(page, 'home-warning')

    await byTestId(page, 'entry-alerts').click()
    await byTestId(page, 'alerts-missing').waitFor()
    expect(await byTestId(page, 'my-phone').innerText()).toBe('138****9003')
    await shot(page, 'alerts-before')
    await byTestId(page, 'top-up-crisisAlert').click()
    await answerReminders(page)
    await byTestId(page, 'alert-row').filter({ hasText: '还能收 1 条' }).waitFor()
    expect(session.cloud.subscriptions.allows('demo-counselor-liu')).toEqual([expect.objectContaining({ templateId: 'TPL_CRISIS_ALERT', remaining: 1 })])
    await shot(page, 'alerts-after')
    await largeText(page, true)
    await byTestId(page, 'alert-row').first().waitFor()
    await shot(page, 'alerts-large')
    await largeText(page, false)

    // A child in danger asks for help: it reaches her by WeChat on the allow she gave, and lands in 消息.
    const ask = (await callAs(session.cloud, 'demo-child-xiaoyu', 'counseling', 'ask', { childId: 'child-01', answers: { safeNow: 'no', someoneHurts: 'no', selfHarmThoughts: 'no', hardDays: 'few', howLong: 'days' }, idempotencyKey: key() })).body
    expect(ask.data.urgency).toBe('crisis')
    expect(session.cloud.outbox('demo-counselor-liu')[0]).toMatchObject({ templateId: 'TPL_CRISIS_ALERT', delivered: true })

    await page.goto(`${session.cloud.url}/#/pages/home/index`)
    await byTestId(page, 'unread-badge').filter({ hasText: /^1$/ }).waitFor()
    await byTestId(page, 'entry-inbox').click()
    const entry = byTestId(page, 'inbox-entry').first()
    await entry.waitFor()
    expect(await entry.innerText()).toContain('紧急求助：王小雨')
    expect(await byTestId(page, 'unread-count').innerText()).toBe('1 条未读')
    await shot(page, 'inbox')
    await largeText(page, true)
    await byTestId(page, 'inbox-entry').first().waitFor()
    await shot(page, 'inbox-large')
    await largeText(page, false)
    await byTestId(page, 'inbox-entry').first().click()
    // Opening an alert of her duty is a natural tap: the allow was spent by this alert, so WeChat asks again.
    await answerReminders(page)
    // It opens her queue, the crisis on top (the entry's own words stay on the inbox page underneath).
    await page.waitForFunction(() => location.hash.includes('packages/counseling/pages/queue/index'), undefined, { timeout: 30000 })
    await byTestId(page, 'crisis-item').filter({ visible: true, hasText: '王小雨' }).first().waitFor()
    expect((await callAs(session.cloud, 'demo-counselor-liu', 'account', 'unreadCount', {})).body.data.unread).toBe(0)
  }, 120000)

  it('shows the supervisor who on the duty roster can be reached, and how', async () => {
    const page = await session.signedIn('张静')
    await byTestId(page, 'entry-alerts').click()
    const team = byTestId(page, 'team-person')
    await team.first().waitFor()
    expect(await team.count()).toBe(2)
    expect(await team.filter({ hasText: '黄明' }).innerText()).toContain('只能收短信')
    await shot(page, 'alerts-supervisor')
  })

  it('asks a new staff member for a mobile number with the invitation code, naming the field when it is wrong', async () => {
    const invite = (await callAs(session.cloud, 'demo-admin-xu', 'account', 'createInvitation', { role: 'childWelfareOfficer', scopeId: 'vil-lx', personName: '新主任', idempotencyKey: key() })).body.data
    // A WeChat user the county does not know yet (WeChat vouches for who she is; here the local-mode header does).
    const page = await session.phone({ extraHTTPHeaders: { 'x-localcloud-openid': 'o-e2e-new-staff' } })
    await page.goto(`${session.cloud.url}/#/packages/join/pages/invitation/index`)
    await byTestId(page, 'code-input').locator('input').fill(invite.code)
    await byTestId(page, 'phone-input').locator('input').fill('1390000')
    await page.locator('.nut-button').filter({ hasText: /^\s*确定\s*$/, visible: true }).click()
    await byTestId(page, 'f-phone-error').waitFor()
    expect(await byTestId(page, 'f-phone-error').innerText()).toBe('手机号应是11位数字，以1开头')
    await byTestId(page, 'phone-input').locator('input').fill('13900001234')
    await page.locator('.nut-button').filter({ hasText: /^\s*确定\s*$/, visible: true }).click()
    await byTestId(page, 'granted').waitFor()
    await shot(page, 'invitation-accepted')
    expect((await callAs(session.cloud, 'o-e2e-new-staff', 'account', 'alertSettings', {})).body.data.phone).toBe('139****1234')
  })
})
