/**
 * 心理援助 in Chromium (issue 5): a child says she is not safe and that someone hits her, and sees the numbers to
 * call at once; the on-duty counsellor takes the crisis from her queue, and the child's page then says who is
 * handling it. A grandmother asks a routine question for her grandson and books a session with a counsellor of the
 * county.
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

    it('shows the child the numbers to call, 110 first and red, and that a counsellor will call', async () => {
      child = await signedIn('王小雨')
      await open(child, '/ask/index')
      // She is the only child she can ask for: straight to the first question.
      await answer(child, 'safeNow', '不安全')
      // From now on 110 stays one tap away.
      await byTestId(child, 'danger-strip').waitFor()
      await answer(child, 'someoneHurts', '有')
      await answer(child, 'selfHarmThoughts', '没有')
      await answer(child, 'hardDays', '有一些')
      await answer(child, 'howLong', '几天')
      await byTestId(child, 'words-step').locator('textarea').fill('晚上有人打我，我很害怕')
      await button(child, '发送给辅导员').click()

      await byTestId(child, 'crisis').waitFor()
      await child.getByText('辅导员马上会给你打电话').waitFor()
      const calls = byTestId(child, 'call-numbers').locator('.nut-button')
      expect(await calls.allInnerTexts()).toEqual(['拨打 110', '拨打 12355', '拨打 0598-5550123'])
      expect(await calls.first().getAttribute('class')).toContain('nut-button-danger')
      expect(await byTestId(child, 'crisis-status').getAttribute('data-acknowledged')).toBe('false')
    }, 60000)

    it('puts the crisis on top of the on-duty counsellor\'s queue, and she takes it', async () => {
      const liu = await signedIn('刘心怡')
      await open(liu, '/queue/index')
      const crisis = byTestId(liu, 'crisis-item').filter({ hasText: '王小雨' })
      await crisis.waitFor()
      await crisis.getByText('已提醒：刘心怡').waitFor()
      await crisis.getByText('“晚上有人打我，我很害怕”').waitFor()
      await crisis.getByText('孩子说现在不安全或说不清').waitFor()
      await crisis.locator('[data-testid="take"]').click()
      await crisis.locator('[data-testid="acknowledged"]').filter({ hasText: /✓ 刘心怡 .*已接手/ }).waitFor()
      expect(await crisis.locator('[data-testid="take"]').count()).toBe(0)
    }, 60000)

    it('tells the child, on her open crisis page, that 刘心怡 is handling it (it asks again every 15 s)', async () => {
      await child.getByText('刘心怡已经在处理，会给你打电话。', { exact: false }).waitFor({ timeout: 25000 })
      expect(await byTestId(child, 'crisis-status').getAttribute('data-acknowledged')).toBe('true')
      // The numbers are still there.
      expect(await byTestId(child, 'call-numbers').locator('.nut-button').first().innerText()).toBe('拨打 110')
    }, 60000)
  })

  describe('a grandmother books a routine session for her grandson', () => {
    it('asks, books, and sees the session with its counsellor under 我的求助', async () => {
      const granny = await signedIn('张桂兰')
      await open(granny, '/ask/index')
      // Two grandchildren: she says which one first.
      await byTestId(granny, 'who').waitFor()
      await button(granny, '王小川').click()
      await answer(granny, 'safeNow', '安全')
      await answer(granny, 'someoneHurts', '没有')
      await answer(granny, 'selfHarmThoughts', '没有')
      await answer(granny, 'hardDays', '很少')
      await answer(granny, 'howLong', '几天')
      expect(await byTestId(granny, 'danger-strip').count()).toBe(0)
      await button(granny, '发送给辅导员').click()

      await byTestId(granny, 'asked').getByText('谢谢你告诉我们').waitFor()
      await button(granny, '预约辅导员').click()
      await granny.getByText('为王小川约辅导员').waitFor()
      const slot = byTestId(granny, 'slot').first()
      const time = (await slot.innerText()).split('\n')[0]
      await slot.click()
      await button(granny, '语音').click()
      await byTestId(granny, 'confirm').getByText(time).waitFor()
      await button(granny, '确认预约').click()
      await answerReminders(granny) // the session reminder, asked on the same tap

      await byTestId(granny, 'booked').getByText('约好了！').waitFor()
      const counselor = (await byTestId(granny, 'booked-counselor').innerText()).replace('辅导员：', '').trim()
      expect(counselor).toMatch(COUNSELORS)

      await button(granny, '看我的求助').click()
      const card = byTestId(granny, 'my-request').filter({ hasText: '王小川' })
      await card.waitFor()
      await card.getByText('已约好').waitFor()
      expect(await card.locator('[data-testid="counselor"]').innerText()).toBe(counselor)
      await card.getByText(time).waitFor()
      await card.getByText('方式：语音').waitFor()
    }, 90000)
  })
})
