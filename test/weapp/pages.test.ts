/**
 * Every page of app.json, opened in the weapp build (test/weapp-runtime) by a person whose role opens it, with
 * the query its links give it: it loads its subpackage and code, talks to the cloud as that person, and shows
 * its content; no runtime error, no console.error, no unimplemented wx API, no failure shown on the page.
 */
import fs from 'node:fs'
import path from 'node:path'
import { key } from '../support/children'
import { callAs } from '../support/localcloud'
import { requireBuilt } from '../support/paths'
import { weappSession } from '../weapp-runtime'

const WANG = 'demo-parent-wang'
const ZHANG = 'demo-guardian-zhang'
const CHILD = 'demo-child-xiaoyu'
const CHEN = 'demo-teacher-chen'
const LIU = 'demo-counselor-liu'
const COUNSEL_SUPERVISOR = 'demo-counselor-zhang'
const WU = 'demo-officer-wu'
const ZHENG = 'demo-lawyer-zheng'
const ZHOU = 'demo-police-zhou'
const ZHAO = 'demo-cwo-zhao'
const QIAN = 'demo-vol-qian'
const JIANG = 'demo-vol-jiang' // a 五老 leader: keeps the 五个一
const XU = 'demo-admin-xu'
const GUAN = 'demo-admin-guan'
const TANG = 'demo-admin-tang' // the county's justice admin: stuck legal-aid requests, holiday arrangements
/** A WeChat user the county does not know yet: binding codes, invitations and sign-up are for them. */
const NEWCOMER = 'wx-newcomer-openid'

/** Ids of records made in beforeAll, for the pages that open one. */
const ids = { legalAid: '', help: '', pairing: '' }
const today = (): string => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })

interface Visit { who: string, query?: () => string, landsOn?: string }

/** Who opens each page, and with what query; every page of app.json must be here. */
const VISITS: Record<string, Visit> = {
  'pages/home/index': { who: WANG },
  'pages/inbox/index': { who: LIU },
  'pages/help/index': { who: ZHANG },
  'pages/me/index': { who: WANG },
  // The persona picker is the local h5 build's only: in WeChat the page goes straight home.
  'pages/signin/index': { who: WANG, landsOn: 'pages/home/index' },
  'packages/settings/pages/text-size/index': { who: ZHANG },
  'packages/settings/pages/alerts/index': { who: LIU },
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
  'packages/legalaid/pages/apply/index': { who: ZHANG },
  'packages/legalaid/pages/mine/index': { who: ZHANG },
  'packages/legalaid/pages/request/index': { who: ZHANG, query: () => `?id=${encodeURIComponent(ids.legalAid)}` },
  'packages/legalaid/pages/queue/index': { who: WU },
  'packages/legalaid/pages/case/index': { who: WU, query: () => `?id=${encodeURIComponent(ids.legalAid)}` },
  'packages/legalaid/pages/cases/index': { who: ZHENG },
  'packages/legalaid/pages/lawyers/index': { who: WU },
  'packages/legalaid/pages/lawyer/index': { who: ZHENG },
  'packages/legalaid/pages/stuck/index': { who: TANG },
  'packages/counseling/pages/ask/index': { who: CHILD },
  'packages/counseling/pages/crisis/index': { who: ZHANG, query: () => `?requestId=${encodeURIComponent(ids.help)}` },
  'packages/counseling/pages/book/index': { who: ZHANG, query: () => `?requestId=${encodeURIComponent(ids.help)}` },
  'packages/counseling/pages/mine/index': { who: ZHANG },
  'packages/counseling/pages/queue/index': { who: LIU },
  // The station's supervisor: a case opens only to its own counsellor and the supervisor (docs/DOMAIN.md, "Roles and scopes").
  'packages/counseling/pages/case/index': { who: COUNSEL_SUPERVISOR, query: () => `?id=${encodeURIComponent(ids.help)}` },
  'packages/counseling/pages/roster/index': { who: LIU },
  'packages/registry/pages/list/index': { who: ZHAO },
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

const appJson = JSON.parse(fs.readFileSync(path.join(requireBuilt('weapp'), 'app.json'), 'utf8')) as { pages: string[], subPackages: Array<{ root: string, pages: string[] }> }
const PAGES = [...appJson.pages, ...appJson.subPackages.flatMap((s) => s.pages.map((p) => `${s.root.replace(/\/$/, '')}/${p}`))]

describe('every page of the weapp build (headless)', () => {
  const session = weappSession()

  beforeAll(async () => {
    const ok = (r: { body: any }): any => {
      if (!r.body.ok) throw new Error(JSON.stringify(r.body))
      return r.body.data
    }
    const cloud = session.cloud
    ids.legalAid = ok(await callAs(cloud, ZHANG, 'legalaid', 'submit', { draft: { childId: 'child-01', matter: 'maintenance', people: '', story: '抚养费一直没给，孩子上学要钱', files: [] }, idempotencyKey: key() })).requestId
    ids.help = ok(await callAs(cloud, ZHANG, 'counseling', 'ask', { childId: 'child-02', answers: { safeNow: 'yes', someoneHurts: 'no', selfHarmThoughts: 'no', hardDays: 'some', howLong: 'days' }, idempotencyKey: key() })).requestId
    // A report, so that the police queue and the teacher's receipts have one to show.
    ok(await callAs(cloud, CHEN, 'safeguard', 'report', { report: { childId: 'child-01', kinds: ['physicalAbuse'], seen: '孩子胳膊上有大片淤青，说是叔叔打的', when: today(), where: '石桥镇中心小学教室', dangerNow: false }, idempotencyKey: key() }))
    ok(await callAs(cloud, GUAN, 'pairing', 'recordVetting', { volunteerId: QIAN, checkDate: today(), result: 'clear', checkedBy: '青山县公安局', trainingDate: today() }))
    const run = ok(await callAs(cloud, GUAN, 'pairing', 'runMatching', {}))
    const pair = run.pairs.find((p: { volunteerId: string }) => p.volunteerId === QIAN)
    ok(await callAs(cloud, GUAN, 'pairing', 'sendOffers', { runId: run.runId, childIds: [pair.childId] }))
    const offer = ok(await callAs(cloud, QIAN, 'pairing', 'offers', {})).offers[0]
    ok(await callAs(cloud, QIAN, 'pairing', 'respond', { offerId: offer.id, accept: true }))
    ids.pairing = offer.id
  }, 60000)

  it('names who opens every page of app.json, and only those pages', () => {
    expect(Object.keys(VISITS).sort()).toEqual([...PAGES].sort())
  })

  it.each(PAGES)('%s loads for a person who may open it', async (route) => {
    const visit = VISITS[route]
    expect(visit).toBeDefined()
    const phone = await session.sharedPhone(visit.who)
    await phone.open(`/${route}${visit.query?.() ?? ''}`)
    expect(phone.page.route).toBe(visit.landsOn ?? route)
    // It shows its content: not the wait, not a failure.
    expect(await phone.byTestId('loading').count()).toBe(0)
    const failure = phone.byTestId('error')
    if (await failure.count() > 0) throw new Error(`${route} shows a failure to ${visit.who}: ${await failure.first().text()}\n${phone.screen()}`)
    expect(phone.screen().split('\n').length).toBeGreaterThan(2)
  }, 60000)
})
