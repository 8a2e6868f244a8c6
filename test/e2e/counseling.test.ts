/**
 * 心理援助 in Chromium: a child says she is not safe and sees the crisis screen at once (no more questions): the
 * numbers to call, what happens next, who will know; she leaves a neighbour's number and says someone at home hurts
 * her. The on-duty counsellor finds the crisis first on her home, opens it, sees every number (one outside the home
 * first, the family flagged) and takes it; the child's page then says who is handling it; the police liaison opens
 * the report with what she said. A grandmother asks a routine question for her grandson and books a phone session.
 */
import type { Locator, Page } from 'playwright-core'
import { byTestId, e2eDescribe, e2eSession, answerReminders } from '../support/e2e'

const COUNSELING = '/#/packages/counseling/pages'
const COUNSELORS = /刘心怡|黄明|张静/

/**
 * A NutUI button by its exact text. Taro's h5 router keeps earlier pages in the document, hidden: only the page on
 * top counts.
 */
function button (page: Page, text: string): Locator {
  return page.locator('.nut-button').filter({ hasText: new RegExp(`^\\s*${text.replace(/[()（）＋+]/g, (c) => `\\${c}`)}\\s*$`), visible: true })
}

e2eDescribe('psychological help (h5 in Chromium)', () => {
  const session = e2eSession()

  /** A phone of its own for each person, signed in by picking their name on the persona page. */
  const signedIn = (name: string): Promise<Page> => session.signedIn(name, { hasTouch: true })

  async function open (page: Page, path: string): Promise<void> {
    await page.goto(session.cloud.url + COUNSELING + path)
  }

  async function answer (page: Page, question: string, choice: string): Promise<void> {
    await byTestId(page, `question-${question}`).waitFor()
    await button(page, choice).click()
  }

  describe('a child in danger', () => {
    let child: Page

    it('opens the crisis screen on the next screen after her first danger answer: the numbers, what happens next, honest words', async () => {
      child = await signedIn('王小雨')
      await open(child, '/ask/index')
      // She is the only child she can ask for: straight to the first question, spoken to her.
      await byTestId(child, 'question-safeNow').getByText('你现在安全吗？').waitFor()
      await answer(child, 'safeNow', '不安全')

      // No more questions: the crisis screen, with the numbers in its first frame.
      await byTestId(child, 'crisis').waitFor()
      expect(await byTestId(child, 'question-someoneHurts').count()).toBe(0)
      const calls = byTestId(child, 'call-numbers').locator('.nut-button')
      await calls.nth(2).waitFor()
      expect(await calls.allInnerTexts()).toEqual(['拨打 110', '拨打 12355', '打给值班辅导员'])
      expect(await calls.first().getAttribute('class')).toContain('nut-button-danger')
      await byTestId(child, 'crisis-status').getByText('值班辅导员马上会给你打电话。').waitFor()
      expect(await byTestId(child, 'crisis-status').getAttribute('data-acknowledged')).toBe('false')
      expect(await byTestId(child, 'who-will-know').innerText()).toBe('你说的话会告诉辅导员；如果有人伤害你，也会告诉警察叔叔阿姨，他们会保护你。')
      expect(await child.getByText('不会告诉别人').count()).toBe(0)
      expect(await child.getByText('一般').count()).toBe(0)
    }, 60000)

    it('takes the number she leaves for the call back, and, once help is on its way, who hurts her', async () => {
      const form = byTestId(child, 'callback-form')
      await form.waitFor()
      await byTestId(child, 'callback-number').locator('input').fill('13800009999')
      await byTestId(child, 'whose-neighbour').click()
      await byTestId(child, 'save-callback').click()
      await byTestId(child, 'callback-phone').filter({ hasText: '138 0000 9999' }).waitFor()
      await byTestId(child, 'callback').getByText('（邻居的电话）').waitFor()

      await byTestId(child, 'open-tell-more').click()
      await byTestId(child, 'hurt-home').click()
      await byTestId(child, 'more-words').locator('textarea').fill('奶奶的男朋友喝了酒就打我')
      await byTestId(child, 'send-more').click()
      await byTestId(child, 'told').waitFor()
    }, 60000)

    it('puts the crisis first on the on-duty counsellor\'s home; she opens it, sees every number, one outside the home first, and takes it', async () => {
      const liu = await signedIn('刘心怡')
      const card = byTestId(liu, 'home-crisis')
      await card.waitFor()
      expect(await card.locator('.home-crisis__title').innerText()).toBe('紧急求助：小雨')
      expect(await byTestId(liu, 'home-crisis-minutes').innerText()).toMatch(/^(刚刚求助|已经等了 \d+ 分钟)$/)
      // The first thing on her home: above every other entry.
      const cardTop = (await card.boundingBox())!.y
      const queueTop = (await byTestId(liu, 'entry-counsel-queue').boundingBox())!.y
      expect(cardTop).toBeLessThan(queueTop)
      await byTestId(liu, 'home-crisis-open').click()

      const crisis = byTestId(liu, 'crisis-item')
      await crisis.waitFor()
      const phones = await crisis.locator('[data-testid="contact-phone"]').allInnerTexts()
      expect(phones).toEqual(['13800009999', '0598-5550211', '13800001000', '13800005000', '13800005001'])
      const kinds = await crisis.locator('[data-testid="contact"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))
      expect(kinds).toEqual(['chosen', 'school', 'home', 'home', 'home'])
      // The family's numbers: flagged each, and why said once above them.
      expect(await crisis.locator('[data-testid="contact-avoid"]').count()).toBe(3)
      expect(await crisis.locator('[data-testid="contact-caution"]').allInnerTexts()).toEqual([expect.stringContaining('孩子说家里有人伤害')])
      await crisis.getByText('是谁：家里的人').waitFor()
      await crisis.getByText('“奶奶的男朋友喝了酒就打我”').waitFor()
      await crisis.locator('[data-testid="take"]').click()
      await crisis.locator('[data-testid="acknowledged"]').filter({ hasText: /✓ 刘心怡 .*已接手/ }).waitFor()
      // The case carries the report opened from her answers.
      await byTestId(liu, 'report-filed').waitFor()
    }, 60000)

    it('tells the child, on her open crisis page, that 刘心怡 is handling it (it asks again every 15 s)', async () => {
      await child.getByText('刘心怡已经在处理，会给你打电话。', { exact: false }).waitFor({ timeout: 25000 })
      expect(await byTestId(child, 'crisis-status').getAttribute('data-acknowledged')).toBe('true')
      expect(await byTestId(child, 'call-numbers').locator('.nut-button').first().innerText()).toBe('拨打 110')
    }, 60000)

    it('lets the police liaison open the report with what she said, where she is, and whom not to alert', async () => {
      const police = await signedIn('周建华')
      await police.goto(session.cloud.url + '/#/packages/safeguard/pages/queue/index')
      const item = byTestId(police, 'queue-item').filter({ hasText: '王小雨' }).first()
      await item.waitFor()
      await item.click()
      await byTestId(police, 'report-case').waitFor()
      await byTestId(police, 'danger-now').waitFor()
      const seen = await byTestId(police, 'case-seen').innerText()
      expect(seen).toContain('现在安全吗？不安全')
      expect(seen).toContain('是谁：家里的人')
      expect(seen).toContain('奶奶的男朋友喝了酒就打我')
      expect(await byTestId(police, 'case-place').innerText()).toContain('石桥镇中心小学 四年级（2）班')
      const contacts = byTestId(police, 'case-contact')
      expect(await contacts.first().innerText()).toContain('13800009999')
      expect(await byTestId(police, 'case-contact-avoid').count()).toBe(3)
      expect(await police.getByText('青山县心理健康辅导站（辅导员 刘心怡） · 心理求助').count()).toBe(1)
    }, 60000)
  })

  describe('a grandmother books a routine session for her grandson', () => {
    it('asks, books, and sees the session with its counsellor under 我的求助', async () => {
      const granny = await signedIn('张桂兰')
      await open(granny, '/ask/index')
      // Two grandchildren: she says which one first.
      await byTestId(granny, 'who').waitFor()
      await button(granny, '王小川').click()
      // Asked about the child, as a grown-up.
      await byTestId(granny, 'question-safeNow').getByText('孩子现在安全吗？').waitFor()
      await answer(granny, 'safeNow', '安全')
      await answer(granny, 'someoneHurts', '没有')
      await answer(granny, 'selfHarmThoughts', '没有')
      await answer(granny, 'hardDays', '很少')
      await answer(granny, 'howLong', '几天')
      await byTestId(granny, 'who-will-know').getByText('您说的情况会告诉辅导员', { exact: false }).waitFor()
      await button(granny, '发送给辅导员').click()

      await byTestId(granny, 'asked').getByText('谢谢您告诉我们').waitFor()
      await button(granny, '预约辅导员').click()
      await granny.getByText('为王小川约辅导员').waitFor()
      const slot = byTestId(granny, 'slot').first()
      const time = (await slot.innerText()).split('\n')[0]
      await slot.click()
      await button(granny, '打电话').click()
      // A phone session asks which number the counsellor calls.
      await button(granny, '确认预约').click()
      await byTestId(granny, 'session-phone').getByText('请写辅导员打哪个电话').waitFor()
      await byTestId(granny, 'session-phone').locator('input').fill('13800001007')
      await byTestId(granny, 'confirm').getByText(time).waitFor()
      await button(granny, '确认预约').click()
      await answerReminders(granny) // the session reminder, asked on the same tap

      await byTestId(granny, 'booked').getByText('约好了！').waitFor()
      expect(await byTestId(granny, 'booked-how').innerText()).toBe('到时辅导员会打 13800001007')
      const counselor = (await byTestId(granny, 'booked-counselor').innerText()).replace('辅导员：', '').trim()
      expect(counselor).toMatch(COUNSELORS)

      await button(granny, '看我的求助').click()
      const card = byTestId(granny, 'my-request').filter({ hasText: '王小川' })
      await card.waitFor()
      await card.getByText('已约好').waitFor()
      expect(await card.locator('[data-testid="counselor"]').innerText()).toBe(counselor)
      await card.getByText(time).waitFor()
      await card.getByText('方式：打电话').waitFor()
    }, 90000)
  })
})
