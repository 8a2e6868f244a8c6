/**
 * 爱心结对 in Chromium: the 关工委 admin 关爱华 vets the retired teacher 钱德明, sets a safeguarding rule,
 * runs the matching and sends one offer; 钱德明 accepts it, logs a talk and a home visit from the pairing page, and
 * the page shows this month's talk and this quarter's visit done. Then the admin sees the pairing in the area list.
 */
import type { Page } from 'playwright-core'
import { byTestId, e2eDescribe, e2eSession, largeText, shot } from '../support/e2e'
import { callAs } from '../support/localcloud'

const OPENID_HEADER = 'x-localcloud-openid'
const GUAN = 'demo-admin-guan' // 关工委 admin of 青山县: vets and matches the 五老 volunteers
const QIAN = 'demo-vol-qian' // 钱德明, a retired teacher (五老), registered, not yet vetted, capacity 3

const todayInShanghai = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })

e2eDescribe('volunteer pairing (h5 in Chromium)', () => {
  const session = e2eSession(120000)

  const newPage = (openid: string): Promise<Page> => session.phone({ hasTouch: true, extraHTTPHeaders: { [OPENID_HEADER]: openid } })

  let pairingId = ''
  let childName = ''

  it('lets the admin record the retired teacher\'s check, so he may be offered', async () => {
    const page = await newPage(GUAN)
    await page.goto(`${session.cloud.url}/#/packages/pairing/pages/volunteers/index`)
    const qian = byTestId(page, 'volunteer').filter({ hasText: '钱德明' })
    await qian.waitFor()
    expect(await byTestId(qian, 'vetting').innerText()).toBe('还没有审查')
    expect(await qian.innerText()).toContain('五老志愿者 · 已结对0个，最多3个')
    // 妇联's volunteer is not 关工委's to vet.
    expect(await byTestId(page, 'volunteer').filter({ hasText: '孙丽华' }).count()).toBe(0)
    await qian.click()

    await page.getByText('钱德明的审查').waitFor()
    // Saving without the date and result says what is missing, beside each field.
    await byTestId(page, 'save-vetting').click()
    await byTestId(page, 'f-check-date-error').waitFor()
    expect(await byTestId(page, 'f-check-date-error').innerText()).toBe('请选择审查日期')
    expect(await byTestId(page, 'f-result-error').innerText()).toBe('请选择审查结果')

    await byTestId(byTestId(page, 'f-check-date'), 'day-quick').filter({ hasText: '今天' }).click()
    await byTestId(page, 'f-result').locator('.nut-radio-button', { hasText: '无犯罪记录' }).click()
    await byTestId(page, 'f-checked-by').locator('input').fill('青山县公安局')
    await byTestId(byTestId(page, 'f-training'), 'day-quick').filter({ hasText: '今天' }).click()
    await byTestId(page, 'save-vetting').click()

    const recorded = byTestId(page, 'recorded')
    await recorded.waitFor()
    expect(await recorded.innerText()).toMatch(/已记录钱德明的审查：有效，到\d{4}年\d{1,2}月\d{1,2}日/)
    await byTestId(byTestId(page, 'volunteer').filter({ hasText: '钱德明' }), 'vetting').filter({ hasText: '审查有效' }).waitFor()
  }, 90000)

  it('lets the admin set a safeguarding rule, run the matching and send one offer', async () => {
    const page = await newPage(GUAN)
    await page.goto(`${session.cloud.url}/#/packages/pairing/pages/matching/index`)
    await byTestId(page, 'rules').getByText('没有另加的规则').waitFor()
    await byTestId(page, 'add-rule').click()
    // The default rule is the common one: girls from 10 only with women.
    await byTestId(page, 'add-rule-yes').click()
    await byTestId(page, 'rule').filter({ hasText: '10岁及以上的女孩只配女志愿者' }).waitFor()
    await byTestId(page, 'save-rules').click()
    // Saved: the draft equals what the server holds, so the save button goes away.
    await byTestId(page, 'save-rules').waitFor({ state: 'hidden' })
    expect((await callAs(session.cloud, GUAN, 'pairing', 'safeguarding')).body.data.rules).toEqual([{ kind: 'womenOnlyForGirlsFrom', age: 10 }])

    await byTestId(page, 'run').click()
    await byTestId(page, 'proposal').waitFor()
    const pairs = byTestId(page, 'pair')
    // 钱德明 has room for 3; he is the only vetted 关工委 volunteer.
    expect(await pairs.count()).toBe(3)
    for (let i = 0; i < 3; i++) {
      const text = await pairs.nth(i).innerText()
      expect(text).toContain('配 志愿者 钱德明')
      expect(text).not.toMatch(/匹配代价|\d+（越小越合适）/)
      expect(await pairs.nth(i).getAttribute('data-chosen')).toBe('yes')
    }
    expect(await byTestId(page, 'totals').innerText()).toMatch(/3\s*对建议结对/)
    expect(await byTestId(page, 'unmatched').innerText()).toMatch(/[\u4e00-\u9fff]{4,}/)

    // Keep the first pair only.
    const first = (await pairs.nth(0).locator('.pr-pair__who').innerText()).trim()
    await pairs.nth(1).click()
    await pairs.nth(2).click()
    expect(await pairs.nth(1).getAttribute('data-chosen')).toBe('no')
    const send = byTestId(page, 'send')
    expect((await send.innerText()).trim()).toBe('发出邀请（1个）')
    await send.click()
    expect(await byTestId(page, 'sent').innerText()).toContain('已发出1个邀请')

    const offers = (await callAs(session.cloud, QIAN, 'pairing', 'offers')).body.data.offers
    expect(offers).toHaveLength(1)
    expect(offers[0].child.age).toBeGreaterThan(0)
    expect(first.length).toBeGreaterThan(1)
    pairingId = offers[0].id
  }, 90000)

  it('lets the volunteer see the child masked, and accept', async () => {
    expect(pairingId).not.toBe('')
    const page = await newPage(QIAN)
    await page.goto(`${session.cloud.url}/#/packages/pairing/pages/offers/index`)
    const offer = byTestId(page, 'offer')
    await offer.waitFor()
    expect(await offer.count()).toBe(1)
    expect(await byTestId(offer, 'offer-child').innerText()).toContain('*')
    expect(await byTestId(offer, 'offer-expiry').innerText()).toMatch(/还有[67]天/)
    expect((await byTestId(offer, 'offer-why').innerText()).length).toBeGreaterThan(6)
    expect(await offer.innerText()).not.toMatch(/1380000/)

    await byTestId(offer, 'accept').click()
    await byTestId(offer, 'accept-yes').click()
    await page.getByText('结对成功').waitFor()
    await byTestId(page, 'to-pairing').click()

    const name = byTestId(page, 'child-name')
    await name.waitFor()
    childName = (await name.innerText()).trim()
    expect(childName).not.toContain('*')
    expect(await byTestId(page, 'talk-state').innerText()).toBe('待完成')
    expect(await byTestId(page, 'visit-state').innerText()).toBe('待完成')
    await byTestId(page, 'logs').or(byTestId(page, 'empty').filter({ hasText: '还没有记录' })).first().waitFor()
  }, 90000)

  it('lets the volunteer log a talk and a home visit in a few taps; the page shows the month and quarter done', async () => {
    const page = await newPage(QIAN)
    await page.goto(`${session.cloud.url}/#/packages/pairing/pages/pairing/index?id=${encodeURIComponent(pairingId)}`)
    await byTestId(page, 'child-name').waitFor()

    // A talk: by video, today (the default), one line.
    await byTestId(page, 'log-talk').click()
    const talk = byTestId(page, 'talk-form')
    await talk.waitFor()
    expect(await byTestId(talk, 'day-value').innerText()).toBe(dayWords(todayInShanghai()))
    await byTestId(talk, 'f-mode').locator('.nut-radio-button', { hasText: '视频' }).click()
    await byTestId(talk, 'f-note').locator('textarea').fill('聊了学校里的事，期中考得不错')
    await byTestId(talk, 'save-log').click()
    await byTestId(page, 'saved').filter({ hasText: '谈心' }).waitFor()
    expect(await byTestId(page, 'talk-state').innerText()).toBe('已完成 ✓')
    expect(await byTestId(page, 'visit-state').innerText()).toBe('待完成')

    // A home visit: in person by definition, today, one line.
    await byTestId(page, 'log-visit').click()
    const visit = byTestId(page, 'visit-form')
    await visit.waitFor()
    expect(await byTestId(visit, 'f-mode').count()).toBe(0)
    await byTestId(visit, 'f-note').locator('textarea').fill('上门看望，奶奶在家，带了两本课外书')
    await byTestId(visit, 'save-log').click()
    await byTestId(page, 'saved').filter({ hasText: '上门看望' }).waitFor()
    expect(await byTestId(page, 'visit-state').innerText()).toBe('已完成 ✓')

    // Opened afresh, the page says the same, with both logs listed.
    await page.reload()
    await byTestId(page, 'child-name').waitFor()
    expect(await byTestId(page, 'talk-badge').getAttribute('data-done')).toBe('yes')
    expect(await byTestId(page, 'visit-badge').getAttribute('data-done')).toBe('yes')
    expect(await byTestId(page, 'talk-state').innerText()).toBe('已完成 ✓')
    expect(await byTestId(page, 'visit-state').innerText()).toBe('已完成 ✓')
    const logs = byTestId(page, 'log')
    expect(await logs.count()).toBe(2)
    expect(await logs.nth(0).innerText()).toMatch(/上门看望 · 当面|谈心 · 视频/)
    expect(await byTestId(page, 'logs').innerText()).toContain('带了两本课外书')

    const server = (await callAs(session.cloud, QIAN, 'pairing', 'myPairings')).body.data.pairings.find((p: any) => p.id === pairingId)
    expect(server.rhythm).toMatchObject({ talkDone: true, visitDone: true })
    expect(server.logs).toHaveLength(2)
  }, 90000)

  it('shows the admin the pairing of the area with its rhythm', async () => {
    const page = await newPage(GUAN)
    await page.goto(`${session.cloud.url}/#/packages/pairing/pages/area/index`)
    const row = byTestId(page, 'area-pairing')
    await row.waitFor()
    expect(await row.count()).toBe(1)
    expect(await row.innerText()).toContain('志愿者：钱德明')
    expect(await byTestId(row, 'talk-pill').innerText()).toBe('本月谈心 ✓')
    expect(await byTestId(row, 'visit-pill').innerText()).toBe('本季看望 ✓')
  }, 60000)

  it('lets the volunteer raise a concern; with 孩子可能受到伤害 on it says, and is, a mandatory report', async () => {
    const page = await newPage(QIAN)
    await page.goto(`${session.cloud.url}/#/packages/pairing/pages/pairing/index?id=${encodeURIComponent(pairingId)}`)
    await byTestId(page, 'raise-concern').click()
    const form = byTestId(page, 'concern-form')
    await form.waitFor()
    await byTestId(form, 'f-text').locator('textarea').fill('孩子手臂上有新的淤青，说是被打的')
    await byTestId(form, 'f-harm').locator('.nut-switch').click()
    expect(await byTestId(form, 'f-harm').innerText()).toContain('这会作为强制报告，马上送到派出所')
    await byTestId(form, 'send-concern').click()
    const done = byTestId(page, 'concern-done')
    await done.waitFor()
    expect(await done.innerText()).toContain('已经作为强制报告送到派出所')
    // Filed as his mandatory report about this child.
    const mine = (await callAs(session.cloud, QIAN, 'safeguard', 'myReports')).body.data.reports
    expect(mine).toHaveLength(1)
    expect(mine[0].childName).toBe(childName)
  }, 60000)

  it('lets the volunteer end the pairing with a reason', async () => {
    const page = await newPage(QIAN)
    await page.goto(`${session.cloud.url}/#/packages/pairing/pages/pairing/index?id=${encodeURIComponent(pairingId)}`)
    await byTestId(page, 'end').click()
    const form = byTestId(page, 'end-form')
    await form.waitFor()
    await byTestId(form, 'end-yes').click()
    expect(await byTestId(form, 'f-reason-error').innerText()).toBe('请选择结束原因')
    await byTestId(form, 'f-reason').locator('.nut-radio-button', { hasText: '父母返乡' }).click()
    await byTestId(form, 'end-yes').click()
    await page.getByText('结对已结束').waitFor()
    expect((await callAs(session.cloud, QIAN, 'pairing', 'myPairings')).body.data.pairings).toHaveLength(0)
  }, 60000)

  /**
   * The pairing rules as their people meet them, on a frozen clock (Thursday 10 December 2026, so 王小雨 is 10): the
   * admin sees the safeguarding defaults and each exclusion in words, and relaxes one pairing with a reason; the
   * volunteer sees where to visit and can call the guardian; the mother sees who her daughter's volunteer is and can
   * call them. Normal and large text.
   */
  describe('pairing rules as their people meet them (h5 in Chromium)', () => {
    let pairingId = ''

    beforeAll(async () => {
      await session.cloud.clock.set('2026-12-10T10:00:00+08:00', { frozen: true })
      await callAs(session.cloud, GUAN, 'pairing', 'recordVetting', { volunteerId: QIAN, checkDate: '2026-12-01', result: 'clear', checkedBy: '青山县公安局' })
    })

    it('shows the admin the safeguarding defaults and, after a run, each exclusion in words; one pairing is relaxed with a logged reason', async () => {
      const page = await newPage(GUAN)
      await page.goto(`${session.cloud.url}/#/packages/pairing/pages/matching/index`)
      await byTestId(page, 'default-rule').first().waitFor()
      expect(await byTestId(page, 'default-rule').allInnerTexts()).toEqual([
        expect.stringContaining('10岁及以上的女孩只由女性志愿者结对'),
        '✓ 志愿者的无犯罪记录审查必须有效（每年复查，未成年人保护法第六十二条）',
        '✓ 志愿者申报了利益冲突的家庭，不与其结对'
      ])
      await byTestId(page, 'run').click()
      await byTestId(page, 'exclusions').waitFor()
      const girl = byTestId(page, 'exclusion').filter({ hasText: '王小雨（10岁女孩）不配钱德明（男）' })
      expect(await girl.innerText()).toContain('10岁及以上的女孩只由女性志愿者结对')
      for (const text of await byTestId(page, 'pair').allInnerTexts()) expect(text).not.toContain('王小雨')
      await shot(page, 'pr-admin-exclusions')
      await shot(page, 'pr-admin-exclusions-part', byTestId(page, 'exclusions'))
      await byTestId(girl, 'relax-open').click()
      await byTestId(girl, 'relax').click()
      await byTestId(girl, 'relax-form').getByText('请写明为什么可以放宽（至少6个字，会记录在案）').waitFor()
      await byTestId(girl, 'relax-reason').locator('textarea').fill('钱老师是孩子原来的班主任，奶奶请求由他结对，上门时奶奶在场')
      await byTestId(girl, 'relax').click()
      await byTestId(girl, 'relaxed').waitFor()
      await byTestId(page, 'relaxation').filter({ hasText: '王小雨—钱德明' }).waitFor()
      await shot(page, 'pr-admin-relaxed', byTestId(page, 'relaxed'))
      await byTestId(page, 'run').click()
      await byTestId(page, 'pair').filter({ hasText: '王小雨' }).waitFor()
      expect(await byTestId(page, 'exclusion').filter({ hasText: '王小雨（10岁女孩）不配钱德明' }).count()).toBe(0)
    }, 120000)

    it('shows the volunteer where to visit once he accepts, with a logged call to the guardian (normal and large text)', async () => {
      const run = (await callAs(session.cloud, GUAN, 'pairing', 'runMatching', {})).body.data
      await callAs(session.cloud, GUAN, 'pairing', 'sendOffers', { runId: run.runId, childIds: ['child-01'] })
      pairingId = (await callAs(session.cloud, QIAN, 'pairing', 'offers')).body.data.offers.find((o: any) => o.id.startsWith('child-01:')).id
      await callAs(session.cloud, QIAN, 'pairing', 'respond', { offerId: pairingId, accept: true })
      for (const large of [false, true]) {
        const page = await newPage(QIAN)
        if (large) await largeText(page, session.cloud.url)
        await page.goto(`${session.cloud.url}/#/packages/pairing/pages/pairing/index?id=${encodeURIComponent(pairingId)}`)
        await byTestId(page, 'visit').waitFor()
        expect(await byTestId(page, 'visit-where').innerText()).toBe('上门看望：石桥村，监护人张桂兰家')
        expect(await byTestId(page, 'call-guardian').innerText()).toBe('给张桂兰打电话')
        expect(await page.locator('body').innerText()).not.toContain('13800001000')
        await shot(page, `pr-volunteer-visit${large ? '-large' : ''}`)
      }
    }, 120000)

    it('shows the mother who her daughter\'s volunteer is, and lets her call him (normal and large text)', async () => {
      for (const large of [false, true]) {
        const page = await newPage('demo-parent-li')
        if (large) await largeText(page, session.cloud.url)
        await page.goto(`${session.cloud.url}/#/packages/pairing/pages/family/index`)
        const card = byTestId(page, 'family-pairing')
        await card.waitFor()
        expect(await byTestId(card, 'volunteer-name').innerText()).toBe('钱德明')
        expect(await byTestId(card, 'volunteer-kind').innerText()).toBe('五老志愿者 · 关工委')
        expect(await card.innerText()).not.toContain('13800009103')
        await shot(page, `pr-mother-family${large ? '-large' : ''}`)
      }
      const page = await newPage('demo-parent-li')
      await page.goto(`${session.cloud.url}/#/packages/pairing/pages/family/index`)
      const db = require('wx-server-sdk').database()
      const looks = async () => (await db.collection('auditLog').where({ action: 'pairing.callNumber', actor: 'demo-parent-li' }).count()).total
      expect(await looks()).toBe(0)
      // The tap fetches the number for the dialer (h5: a tel: link) and logs the look.
      const fetched = page.waitForResponse((r) => r.url().includes('/api/functions/pairing') && r.request().postData()?.includes('callNumber') === true)
      await byTestId(page, 'call-volunteer').click()
      await fetched
      expect(await looks()).toBe(1)
    }, 120000)
  })
})

function dayWords (day: string): string {
  const [y, m, d] = day.split('-').map(Number)
  return `${y}年${m}月${d}日`
}
