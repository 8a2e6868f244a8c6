/**
 * Who opens each page of app.json, with the query its links give it, and the records those pages need: shared by
 * the weapp page test (test/weapp/pages.test.ts) and the h5 page check (test/e2e/page-check.test.ts).
 */
import type { LocalCloud } from '../../localcloud'
import { key } from './children'
import { callAs } from './localcloud'

export const WANG = 'demo-parent-wang'
export const ZHANG = 'demo-guardian-zhang'
export const CHILD = 'demo-child-xiaoyu'
export const CHEN = 'demo-teacher-chen'
export const LIU = 'demo-counselor-liu'
const COUNSEL_SUPERVISOR = 'demo-counselor-zhang'
export const WU = 'demo-officer-wu'
export const ZHENG = 'demo-lawyer-zheng'
export const ZHOU = 'demo-police-zhou'
export const ZHAO = 'demo-cwo-zhao'
export const QIAN = 'demo-vol-qian' // a 五老 volunteer (volunteerKind 'elder')
export const JIANG = 'demo-vol-jiang' // a 五老 leader: keeps the 五个一
export const XU = 'demo-admin-xu'
export const GUAN = 'demo-admin-guan'
export const TANG = 'demo-admin-tang' // the county's justice admin: stuck legal-aid requests, holiday arrangements
/** A WeChat user the county does not know yet: binding codes, invitations and sign-up are for them. */
export const NEWCOMER = 'wx-newcomer-openid'

/** Ids of records made by makePageRecords, for the pages that open one. */
export const ids = { legalAid: '', help: '', pairing: '' }
const today = (): string => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })

/**
 * Who opens a page: `who` first (the weapp test opens it as them), then others whose duty also opens it (the h5
 * page check walks it as each), and the query.
 */
export interface Visit { who: string, also?: string[], query?: () => string, landsOn?: string }

/** Who opens each page, and with what query; every page of app.json must be here. */
export const VISITS: Record<string, Visit> = {
  'pages/home/index': { who: WANG, also: [ZHANG, CHILD, CHEN, LIU, WU, ZHENG, ZHOU, ZHAO, QIAN, XU] },
  'pages/inbox/index': { who: LIU, also: [ZHANG] },
  'pages/help/index': { who: ZHANG, also: [CHILD] },
  'pages/me/index': { who: WANG, also: [ZHANG, QIAN] },
  // The persona picker is the local h5 build's only: in WeChat the page goes straight home.
  'pages/signin/index': { who: WANG, landsOn: 'pages/home/index' },
  'packages/settings/pages/text-size/index': { who: ZHANG },
  'packages/settings/pages/alerts/index': { who: LIU, also: [WU] },
  'packages/pairing/pages/register/index': { who: WANG },
  'packages/pairing/pages/profile/index': { who: QIAN },
  'packages/pairing/pages/offers/index': { who: QIAN },
  'packages/pairing/pages/pairing/index': { who: QIAN, query: () => `?id=${encodeURIComponent(ids.pairing)}` },
  'packages/pairing/pages/volunteers/index': { who: GUAN },
  'packages/pairing/pages/matching/index': { who: GUAN },
  'packages/pairing/pages/area/index': { who: GUAN },
  'packages/pairing/pages/family/index': { who: ZHANG },
  'packages/safeguard/pages/report/index': { who: CHEN },
  'packages/safeguard/pages/queue/index': { who: ZHOU },
  'packages/safeguard/pages/mine/index': { who: CHEN },
  'packages/oversight/pages/index/index': { who: XU },
  'packages/oversight/pages/list/index': { who: XU, query: () => '?key=noCallThisWeek' },
  'packages/oversight/pages/duties/index': { who: JIANG },
  'packages/legalaid/pages/apply/index': { who: ZHANG, also: [WANG] },
  'packages/legalaid/pages/mine/index': { who: ZHANG },
  'packages/legalaid/pages/request/index': { who: ZHANG, query: () => `?id=${encodeURIComponent(ids.legalAid)}` },
  'packages/legalaid/pages/queue/index': { who: WU },
  'packages/legalaid/pages/case/index': { who: WU, query: () => `?id=${encodeURIComponent(ids.legalAid)}` },
  'packages/legalaid/pages/cases/index': { who: ZHENG },
  'packages/legalaid/pages/lawyers/index': { who: WU },
  'packages/legalaid/pages/lawyer/index': { who: ZHENG },
  'packages/legalaid/pages/stuck/index': { who: TANG },
  'packages/counseling/pages/ask/index': { who: CHILD, also: [ZHANG] },
  'packages/counseling/pages/crisis/index': { who: ZHANG, query: () => `?requestId=${encodeURIComponent(ids.help)}` },
  'packages/counseling/pages/book/index': { who: ZHANG, query: () => `?requestId=${encodeURIComponent(ids.help)}` },
  'packages/counseling/pages/mine/index': { who: ZHANG },
  'packages/counseling/pages/queue/index': { who: LIU },
  // The station's supervisor: a case opens only to its own counsellor and the supervisor (docs/DOMAIN.md, "Roles and scopes").
  'packages/counseling/pages/case/index': { who: COUNSEL_SUPERVISOR, query: () => `?id=${encodeURIComponent(ids.help)}` },
  'packages/counseling/pages/roster/index': { who: LIU },
  'packages/registry/pages/list/index': { who: ZHAO, also: [XU] },
  'packages/registry/pages/child/index': { who: ZHAO, query: () => '?id=child-01' },
  'packages/registry/pages/edit/index': { who: ZHAO, query: () => '?id=child-01' },
  'packages/registry/pages/status/index': { who: ZHAO, query: () => '?id=child-01' },
  'packages/registry/pages/code/index': { who: ZHAO, query: () => '?id=child-01' },
  'packages/join/pages/bind/index': { who: NEWCOMER },
  'packages/join/pages/consent/index': { who: ZHANG, query: () => '?childId=child-01' },
  'packages/join/pages/invitation/index': { who: NEWCOMER },
  'packages/admin/pages/staff/index': { who: XU },
  'packages/admin/pages/access-log/index': { who: XU, query: () => '?childId=child-01' },
  'packages/admin/pages/holidays/index': { who: TANG },
  'packages/hotline/pages/book/index': { who: WANG, query: () => '?childId=child-01' },
  'packages/hotline/pages/bookings/index': { who: WANG },
  'packages/hotline/pages/history/index': { who: WANG, query: () => '?childId=child-01' },
  'packages/hotline/pages/free-hours/index': { who: WANG },
  'packages/hotline/pages/room/index': { who: CHEN },
  'packages/hotline/pages/sheet/index': { who: CHEN },
  'packages/hotline/pages/direct/index': { who: WANG, query: () => '?childId=child-01' },
  'packages/hotline/pages/confirm/index': { who: ZHANG },
  'packages/registry/pages/deletion/index': { who: ZHANG, query: () => '?id=child-01' },
  'packages/admin/pages/deletions/index': { who: XU }
}

/** The routes of an app.json, main package first. */
export function routesOf (appJson: { pages: string[], subPackages: Array<{ root: string, pages: string[] }> }): string[] {
  return [...appJson.pages, ...appJson.subPackages.flatMap((s) => s.pages.map((p) => `${s.root.replace(/\/$/, '')}/${p}`))]
}

/**
 * The records the pages open: a legal-aid request, a help request, a report (for the police queue and the teacher's
 * receipts) and an accepted pairing. Fills `ids`.
 */
export async function makePageRecords (cloud: LocalCloud): Promise<void> {
  const ok = (r: { body: any }): any => {
    if (!r.body.ok) throw new Error(JSON.stringify(r.body))
    return r.body.data
  }
  ids.legalAid = ok(await callAs(cloud, ZHANG, 'legalaid', 'submit', { draft: { childId: 'child-01', matter: 'maintenance', people: '', story: '抚养费一直没给，孩子上学要钱', files: [] }, idempotencyKey: key() })).requestId
  ids.help = ok(await callAs(cloud, ZHANG, 'counseling', 'ask', { childId: 'child-02', answers: { safeNow: 'yes', someoneHurts: 'no', selfHarmThoughts: 'no', hardDays: 'some', howLong: 'days' }, idempotencyKey: key() })).requestId
  ok(await callAs(cloud, CHEN, 'safeguard', 'report', { report: { childId: 'child-01', kinds: ['physicalAbuse'], seen: '孩子胳膊上有大片淤青，说是叔叔打的', when: today(), where: '石桥镇中心小学教室', dangerNow: false }, idempotencyKey: key() }))
  ok(await callAs(cloud, GUAN, 'pairing', 'recordVetting', { volunteerId: QIAN, checkDate: today(), result: 'clear', checkedBy: '青山县公安局', trainingDate: today() }))
  const run = ok(await callAs(cloud, GUAN, 'pairing', 'runMatching', {}))
  const pair = run.pairs.find((p: { volunteerId: string }) => p.volunteerId === QIAN)
  ok(await callAs(cloud, GUAN, 'pairing', 'sendOffers', { runId: run.runId, childIds: [pair.childId] }))
  const offer = ok(await callAs(cloud, QIAN, 'pairing', 'offers', {})).offers[0]
  ok(await callAs(cloud, QIAN, 'pairing', 'respond', { offerId: offer.id, accept: true }))
  ids.pairing = offer.id
}
