/** A parent opens the h5 build, picks themself on the sign-in page, and sees their bound children. */
import type { Page } from 'playwright-core'
import { byTestId, e2eDescribe, e2eSession } from '../support/e2e'

e2eDescribe('sign in and home (h5 in Chromium)', () => {
  const session = e2eSession()
  let page: Page

  beforeEach(async () => { page = await session.phone() })

  it('sends a visitor without a sign-in to the persona list, grouped by role', async () => {
    await page.goto(session.cloud.url + '/')
    await page.getByText('雏燕 · 演示县').waitFor()
    for (const label of ['外出务工家长', '监护人', '关爱室老师', '心理辅导员', '志愿律师', '法律援助中心', '公安联络员', '儿童主任', '志愿者', '部门管理员']) {
      await page.getByText(label, { exact: true }).first().waitFor()
    }
    await page.getByText('王建国').waitFor()
    await page.getByText('张桂兰').waitFor()
  })

  it('shows a parent who they are, both bound children, and their role on 我的', async () => {
    await page.goto(session.cloud.url + '/')
    await page.getByText('王建国').click()
    await page.getByText('王建国，您好').waitFor()
    await page.getByText('我的孩子').waitFor()
    await page.getByText(/王小雨（\d+岁）/).waitFor()
    await page.getByText(/王小川（\d+岁）/).waitFor()
    await page.getByText(/石桥镇中心小学 四年级（2）班 · 我是爸爸/).waitFor()
    await page.goto(session.cloud.url + '/#/pages/me/index')
    await byTestId(page, 'my-role').filter({ hasText: '外出务工家长' }).first().waitFor()
  })

  it('shows a teacher no children section, and on 我的 her role and the school it applies to', async () => {
    await page.goto(session.cloud.url + '/')
    await page.getByText('陈丽').click()
    await page.getByText('陈丽，您好').waitFor()
    expect(await page.getByText('我的孩子').count()).toBe(0)
    // 我的: her role and the school it applies to.
    await page.goto(session.cloud.url + '/#/pages/me/index')
    await byTestId(page, 'my-role').filter({ hasText: '石桥镇中心小学' }).first().waitFor()
  })
})
