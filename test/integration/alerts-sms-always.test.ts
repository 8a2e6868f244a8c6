/**
 * SMS_URGENT_ALWAYS: a deployment may send urgent notices by SMS even when WeChat delivered them (docs/ARCHITECTURE.md,
 * "Notifications"). A cloud of its own: the SDK in the test process serves one cloud at a time.
 */
import type { LocalCloud } from '../../localcloud'
import { allow, callAs, startTestCloud } from '../support/localcloud'
import { key } from '../support/children'

let cloud: LocalCloud
beforeAll(async () => { cloud = await startTestCloud({ smsAlways: true }) }, 60000)
afterAll(async () => { await cloud?.close() })

it('sends a crisis alert by WeChat and by SMS, and the trail names both', async () => {
  await allow(cloud, 'demo-counselor-liu', ['TPL_CRISIS_ALERT'])
  const res = (await callAs(cloud, 'demo-child-xiaoyu', 'counseling', 'ask', { childId: 'child-01', answers: { safeNow: 'no', someoneHurts: 'no', selfHarmThoughts: 'no', hardDays: 'few', howLong: 'days' }, idempotencyKey: key() })).body
  const alerts = (await require('wx-server-sdk').database().collection('helpRequests').doc(res.data.requestId).get()).data.crisis.alerts
  expect(alerts).toEqual([expect.objectContaining({ to: 'demo-counselor-liu', via: ['subscription', 'sms'], reached: true })])
  expect(cloud.outbox('+8613800009003')).toEqual([expect.objectContaining({ channel: 'sms', delivered: true })])
})
