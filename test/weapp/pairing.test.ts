/**
 * 爱心结对 in the weapp build (test/weapp-runtime): the retired teacher 钱德明, vetted and offered a child by the
 * 关工委 admin (set up through the functions, as the integration tests do), opens his offer on his phone, sees
 * the child masked, accepts, and logs this month's talk from the pairing page.
 */
import { callAs } from '../support/localcloud'
import { weappSession } from '../weapp-runtime'

const GUAN = 'demo-admin-guan' // 关工委 admin of 青山县
const QIAN = 'demo-vol-qian' // 钱德明, 五老 volunteer, registered, not yet vetted

const todayInShanghai = (): string => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })

describe('volunteer pairing (weapp build, headless)', () => {
  const session = weappSession()

  beforeAll(async () => {
    const ok = (r: { body: any }): any => {
      if (!r.body.ok) throw new Error(JSON.stringify(r.body))
      return r.body.data
    }
    ok(await callAs(session.cloud, GUAN, 'pairing', 'recordVetting', { volunteerId: QIAN, checkDate: todayInShanghai(), result: 'clear', checkedBy: '青山县公安局', trainingDate: todayInShanghai() }))
    const run = ok(await callAs(session.cloud, GUAN, 'pairing', 'runMatching', {}))
    const mine = run.pairs.filter((p: { volunteerId: string }) => p.volunteerId === QIAN)
    expect(mine.length).toBeGreaterThan(0)
    expect(ok(await callAs(session.cloud, GUAN, 'pairing', 'sendOffers', { runId: run.runId, childIds: [mine[0].childId] }))).toEqual({ sent: 1 })
  }, 60000)

  it('lets the volunteer accept an offer and log a talk; the pairing page shows this month\'s talk done', async () => {
    const phone = await session.phone(QIAN)
    await phone.byTestId('entry-offers').tap()
    const offer = phone.byTestId('offer')
    await offer.waitFor()
    expect(await offer.count()).toBe(1)
    // Until he accepts, the child's name is masked and no contact shows.
    expect(await offer.byTestId('offer-child').text()).toContain('*')
    expect(await offer.byTestId('offer-expiry').text()).toMatch(/还有[67]天/)
    expect(await offer.text()).not.toMatch(/1380000/)

    await offer.byTestId('accept').tap()
    await phone.byTestId('accept-yes').tap()
    await phone.byText('结对成功').waitFor()
    await phone.byTestId('to-pairing').tap()
    const name = phone.byTestId('child-name')
    await name.waitFor()
    expect(phone.page.route).toBe('packages/pairing/pages/pairing/index')
    expect(await name.text()).not.toContain('*')
    expect(await phone.byTestId('talk-state').text()).toBe('待完成')

    // A talk: by video, today (the default), one line.
    await phone.byTestId('log-talk').tap()
    const talk = phone.byTestId('talk-form')
    await talk.waitFor()
    await talk.byTestId('f-mode').button('视频').tap()
    await talk.byTestId('f-note').fill('聊了学校里的事，期中考得不错')
    await talk.byTestId('save-log').tap()
    await phone.byTestId('saved').filter({ hasText: '谈心' }).waitFor()
    expect(await phone.byTestId('talk-state').text()).toBe('已完成 ✓')
    expect(await phone.byTestId('visit-state').text()).toBe('待完成')

    // Saved in the store, as he entered it.
    const pairings = (await callAs(session.cloud, QIAN, 'pairing', 'myPairings')).body.data.pairings
    expect(pairings).toHaveLength(1)
    expect(pairings[0].logs).toEqual([expect.objectContaining({ kind: 'talk', mode: 'video', note: '聊了学校里的事，期中考得不错' })])
  }, 120000)
})
