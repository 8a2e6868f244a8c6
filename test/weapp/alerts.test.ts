/**
 * 接收提醒 and 消息 in the weapp build (test/weapp-runtime): 刘心怡, the counsellor on duty, has allowed nothing yet.
 * Her home page warns her; on 接收提醒 one tap asks WeChat, she allows, and the page shows the allow she now has. A
 * child's crisis then reaches her by WeChat (spending it), lands in 消息 with the count on the tab bar, and opening
 * it marks it read and opens the queue.
 */
import { key } from '../support/children'
import { callAs } from '../support/localcloud'
import { weappSession } from '../weapp-runtime'

const LIU = 'demo-counselor-liu'

describe('alerts that reach the counsellor on duty (weapp build, headless)', () => {
  const session = weappSession()

  it('warns her, lets her switch the crisis alert on with one tap, and brings the crisis to her by WeChat and into 消息', async () => {
    const phone = await session.phone(LIU)
    await phone.byTestId('alerts-warning').waitFor()
    expect(await phone.byTestId('alerts-warning').text()).toContain('紧急求助提醒')

    await phone.byTestId('entry-alerts').tap()
    await phone.byTestId('alerts-missing').waitFor()
    expect(phone.page.title).toBe('接收提醒')
    expect(await phone.byTestId('alert-row').first().text()).toContain('收不到了')
    await phone.byTestId('top-up-crisisAlert').tap()
    await phone.byTestId('alert-row').filter({ hasText: '还能收 1 条' }).waitFor()
    // WeChat's dialog asked on the tap; her answer went to WeChat (the local cloud) and to the app's mirror.
    expect(phone.subscriptions).toEqual([expect.objectContaining({ openid: LIU, tmplIds: ['TPL_CRISIS_ALERT'], answers: { TPL_CRISIS_ALERT: 'accept' } })])
    expect(session.cloud.subscriptions.allows(LIU)).toEqual([expect.objectContaining({ templateId: 'TPL_CRISIS_ALERT', remaining: 1 })])

    // A child in danger asks for help: WeChat delivers the alert on her allow, no SMS needed.
    const ask = (await callAs(session.cloud, 'demo-child-xiaoyu', 'counseling', 'ask', { childId: 'child-01', answers: { safeNow: 'no', someoneHurts: 'no', selfHarmThoughts: 'no', hardDays: 'few', howLong: 'days' }, idempotencyKey: key() })).body
    expect(ask.data.urgency).toBe('crisis')
    expect(session.cloud.outbox(LIU)[0]).toMatchObject({ templateId: 'TPL_CRISIS_ALERT', delivered: true, page: 'packages/counseling/pages/queue/index' })

    await phone.back()
    await phone.byTestId('unread-badge').filter({ hasText: '1' }).waitFor()
    expect(phone.tabBadges.get(1)).toBe('1')
    await phone.tapTab('消息')
    await phone.byTestId('inbox-entry').first().waitFor()
    expect(phone.tabBadges.get(1)).toBe('1')
    expect(await phone.byTestId('inbox-entry').first().text()).toContain('紧急求助：王小雨')
    await phone.byTestId('inbox-entry').first().tap()
    await phone.byText('我来处理').first().waitFor()
    expect(phone.page.route).toBe('packages/counseling/pages/queue/index')
    expect((await callAs(session.cloud, LIU, 'account', 'unreadCount', {})).body.data.unread).toBe(0)
  }, 60000)
})
