/**
 * 强制报告 and 督导 in Chromium, as each kind of user: the teacher 陈丽 reports bruises on 王小雨 and gets
 * a receipt; the police liaison 周建华 acknowledges, records a visit; civil affairs (许文华) records a guardianship
 * intervention; the police close it; the teacher sees it closed, never the details; 许文华 opens the oversight
 * view and sees no report open, the list behind the figure empty (and exported), and the report's detail closed.
 * A counsellor, who has no list of children, reports a child by name and township; the police see it as unregistered;
 * civil affairs opens it from the oversight list and joins it to the child's file.
 */
import type { Page } from 'playwright-core'
import { byTestId, e2eDescribe, e2eSession, see, answerReminders } from '../support/e2e'

const SG = '/#/packages/safeguard/pages'
const OV = '/#/packages/oversight/pages'
const SEEN = '孩子胳膊上有大片淤青，说是叔叔打的'

e2eDescribe('mandatory report and oversight (h5 in Chromium)', () => {
  const session = e2eSession()
  const phones: Record<string, Page> = {}

  /** One phone per person, signed in by tapping their name on the persona page, kept for later steps. */
  async function phoneOf (name: string): Promise<Page> {
    if (phones[name]) return phones[name]
    const page = await session.signedIn(name, { acceptDownloads: true })
    phones[name] = page
    return page
  }

  let reference = ''

  it('lets the teacher report bruises on 王小雨 in a minute and gives her a receipt', async () => {
    const page = await phoneOf('陈丽')
    await page.goto(`${session.cloud.url}${SG}/report/index`)
    await byTestId(page, 'report-form').waitFor()

    // Nothing filled: each missing answer is named where it belongs, and nothing is filed.
    await byTestId(page, 'submit').click()
    await byTestId(page, 'f-danger-error').waitFor()
    expect(await byTestId(page, 'f-danger-error').innerText()).toBe('请选择孩子现在是否有危险')
    expect(await byTestId(page, 'f-child-error').innerText()).toBe('请选择是哪个孩子，或写下孩子的名字')
    expect(await byTestId(page, 'f-kinds-error').innerText()).toBe('请至少选择一种情况')

    // Danger now puts 110 first; "not now" takes it away.
    await byTestId(page, 'danger-yes').click()
    await byTestId(page, 'call-110').waitFor()
    expect(await byTestId(page, 'call-110').innerText()).toContain('请先拨打 110')
    await byTestId(page, 'danger-no').click()
    await byTestId(page, 'call-110').waitFor({ state: 'detached' })

    // The teacher finds the child by name among her school's children.
    await byTestId(page, 'child-search').locator('input').fill('王小雨')
    await byTestId(page, 'child-option').filter({ hasText: '王小雨' }).first().click()
    expect(await byTestId(page, 'picked-child').innerText()).toContain('王小雨')

    await byTestId(page, 'kind-physicalAbuse').click()
    await byTestId(page, 'f-seen').locator('textarea').fill(SEEN)
    expect(await byTestId(page, 'when-today').getAttribute('class')).toContain('chip--on')
    await byTestId(page, 'where').locator('input').fill('石桥镇中心小学教室')
    await byTestId(page, 'submit').click()

    await byTestId(page, 'report-receipt').waitFor()
    reference = (await byTestId(page, 'receipt-reference').innerText()).trim()
    expect(reference).toMatch(/^QB\d{8}-[0-9A-F]{6}$/)
    expect(await byTestId(page, 'receipt-time').innerText()).toMatch(/^报告时间：\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/)
    expect(await byTestId(page, 'delivered-to').innerText()).toContain('周建华')
    expect(await byTestId(page, 'call-110').count()).toBe(0)

    // Her receipts: the state in words, not the details.
    await byTestId(page, 'go-mine').click()
    const mine = byTestId(page, 'my-report').filter({ hasText: reference })
    await mine.waitFor()
    expect(await mine.innerText()).toContain('王小雨')
    expect(await mine.innerText()).toContain('已送达公安，等待接收')
    expect(await byTestId(page, 'safeguard-mine').innerText()).not.toContain('淤青')
  })

  it('puts it at the top of the police liaison\'s queue, in red, and lets him acknowledge and record a visit', async () => {
    const page = await phoneOf('周建华')
    await page.goto(`${session.cloud.url}${SG}/queue/index`)
    const item = byTestId(page, 'queue-item').filter({ hasText: '王小雨' }).first()
    await item.waitFor()
    expect(await byTestId(page, 'queue-item').first().innerText()).toContain('王小雨')
    expect(await item.getAttribute('class')).toContain('sg-card--urgent')
    expect(await item.innerText()).toContain('还没有接收')
    expect(await byTestId(page, 'queue-summary').innerText()).toContain('1 份等待接收')
    await item.click()

    await byTestId(page, 'report-case').waitFor()
    expect(await byTestId(page, 'case-reference').innerText()).toBe(reference)
    expect(await byTestId(page, 'case-seen').innerText()).toBe(SEEN)
    expect(await byTestId(page, 'integrity').innerText()).toContain('记录完整')

    await byTestId(page, 'acknowledge').click()
    await answerReminders(page) // a natural tap: the liaison switches report alerts on
    await byTestId(page, 'ack-box').waitFor({ state: 'detached' })
    expect(await byTestId(page, 'report-state').innerText()).toBe('公安已接收，正在处理')

    await byTestId(page, 'action-visited').click()
    await byTestId(page, 'action-note').locator('textarea').fill('已到家中了解情况')
    await byTestId(page, 'record-action').click()
    await see(page, '公安处理：已上门核查（已到家中了解情况）')
    expect(await byTestId(page, 'report-state').innerText()).toBe('已处理')
    const entries = await byTestId(page, 'entry-text').allInnerTexts()
    expect(entries[0]).toBe('报告：身体伤害、虐待')
    expect(entries).toEqual(expect.arrayContaining(['公安已接收']))
    expect(await byTestId(page, 'entry').last().innerText()).toContain('周建华')
  })

  it('lets civil affairs record a guardianship intervention, and the police close the report', async () => {
    const admin = await phoneOf('许文华')
    await admin.goto(`${session.cloud.url}${SG}/queue/index`)
    await byTestId(admin, 'queue-item').filter({ hasText: '王小雨' }).first().click()
    await byTestId(admin, 'intervention-box').waitFor()
    expect(await byTestId(admin, 'acknowledge').count()).toBe(0)
    expect(await byTestId(admin, 'close').count()).toBe(0)
    await byTestId(admin, 'intervention-guardianWarned').click()
    await byTestId(admin, 'intervention-note').locator('textarea').fill('对叔叔训诫')
    await byTestId(admin, 'record-intervention').click()
    await see(admin, '民政干预：对监护人训诫、督促（对叔叔训诫）')

    const police = await phoneOf('周建华')
    await police.reload()
    await byTestId(police, 'close-box').waitFor()
    // Closing needs a sentence: the contract's own words when it is missing.
    await byTestId(police, 'close').click()
    await byTestId(police, 'close-box').getByText('请写一句结案说明').waitFor()
    await byTestId(police, 'close-note').locator('textarea').fill('监护人已整改，孩子安全')
    await byTestId(police, 'close').click()
    await byTestId(police, 'case-closed').waitFor()
    expect(await byTestId(police, 'report-state').innerText()).toBe('已办结')
    expect(await byTestId(police, 'action-box').count()).toBe(0)
    const entries = await byTestId(police, 'entry-text').allInnerTexts()
    expect(entries[entries.length - 1]).toBe('办结：监护人已整改，孩子安全')
    expect(await byTestId(police, 'integrity').innerText()).toContain('记录完整')
  })

  it('shows the teacher that it is closed', async () => {
    const page = await phoneOf('陈丽')
    await page.goto(`${session.cloud.url}${SG}/mine/index`)
    const mine = byTestId(page, 'my-report').filter({ hasText: reference })
    await mine.filter({ hasText: '已办结' }).waitFor()
  })

  it('shows the county admin the report closed in the oversight view', async () => {
    const page = await phoneOf('许文华')
    await page.goto(`${session.cloud.url}${OV}/index/index`)
    await byTestId(page, 'oversight').waitFor()
    await byTestId(page, 'fig-reports-open').waitFor()
    expect(await byTestId(page, 'scope').innerText()).toContain('青山县')
    expect(await byTestId(page, 'fig-reports-open-value').innerText()).toBe('0')
    expect(await byTestId(page, 'fig-reports-un-value').innerText()).toBe('0')
    expect(await byTestId(page, 'fig-registered-value').innerText()).toBe('20')
    expect(await byTestId(page, 'week-bar').count()).toBe(12)
    expect(await byTestId(page, 'leader').filter({ hasText: '蒋国平' }).count()).toBe(1)
    // How the figures were read is for developers, not on the page.
    expect(await page.getByText(/读取 \d+ 次/).count()).toBe(0)

    // The list behind the figure is empty, and exports as a CSV with its header.
    await byTestId(page, 'list-reportsOpen').click()
    await byTestId(page, 'oversight-list').waitFor()
    expect(await byTestId(page, 'list-title').innerText()).toBe('未办结的强制报告')
    await byTestId(page, 'oversight-list').getByText('名单是空的').waitFor()
    const download = page.waitForEvent('download')
    await byTestId(page, 'export').click()
    const file = await download
    expect(file.suggestedFilename()).toMatch(/^未办结的强制报告-\d{4}-\d{2}-\d{2}\.csv$/)
    const stream = await file.createReadStream()
    const chunks: Buffer[] = []
    for await (const c of stream) chunks.push(c as Buffer)
    expect(Buffer.concat(chunks).toString('utf8')).toContain('编号,孩子,情况,报告时间,公安接收时间')

    // The report itself, from the handlers' list: closed, every step on its chain.
    await page.goto(`${session.cloud.url}${SG}/queue/index`)
    const item = byTestId(page, 'queue-item').filter({ hasText: '王小雨' }).first()
    await item.waitFor()
    expect(await item.innerText()).toContain('已办结')
    await item.click()
    await byTestId(page, 'case-closed').waitFor()
    expect(await byTestId(page, 'case-reference').innerText()).toBe(reference)
    expect(await byTestId(page, 'intervention-box').count()).toBe(0)
    const entries = await byTestId(page, 'entry-text').allInnerTexts()
    expect(entries).toEqual(expect.arrayContaining(['公安已接收', '公安处理：已上门核查（已到家中了解情况）', '民政干预：对监护人训诫、督促（对叔叔训诫）', '办结：监护人已整改，孩子安全']))
  })

  it('lets a leader record a 五个一 item and shows it done to the county', async () => {
    const leader = await phoneOf('蒋国平')
    await leader.goto(`${session.cloud.url}${OV}/duties/index`)
    await byTestId(leader, 'oversight-duties').waitFor()
    expect(await byTestId(leader, 'my-duty-meeting').innerText()).toContain('待完成')
    await byTestId(leader, 'item-meeting').click()
    await byTestId(leader, 'note').locator('textarea').fill('召开全县留守儿童关爱专题会')
    await byTestId(leader, 'save-duty').click()
    await byTestId(leader, 'my-duty-meeting').filter({ hasText: '已完成' }).waitFor()

    const admin = await phoneOf('许文华')
    await admin.goto(`${session.cloud.url}${OV}/index/index`)
    const done = byTestId(admin, 'leader').filter({ hasText: '蒋国平' }).locator('[data-testid="duty-meeting"]')
    await done.waitFor()
    expect(await done.innerText()).toContain('已完成')
  })

  it('lets a counsellor, who has no list of children, report a child by name and township; the police see it marked as not registered, civil affairs joins it to his file', async () => {
    const page = await phoneOf('刘心怡')
    await page.goto(`${session.cloud.url}${SG}/report/index`)
    await byTestId(page, 'report-form').waitFor()
    // No list to pick from: the form asks straight away for the child's name and township.
    await byTestId(page, 'describe').waitFor()
    expect(await byTestId(page, 'back-to-list').count()).toBe(0)
    await byTestId(page, 'danger-no').click()
    await byTestId(page, 'kind-neglect').click()
    await byTestId(page, 'f-seen').locator('textarea').fill('男孩说家里几天没人，饿了就去邻居家要吃的')
    await byTestId(page, 'where').locator('input').fill('石桥镇卫生院')
    await byTestId(page, 'submit').click()
    await byTestId(page, 'child-name-error').waitFor()
    expect(await byTestId(page, 'child-name-error').innerText()).toBe('请写下孩子的名字或称呼')
    expect(await byTestId(page, 'child-townshipId-error').innerText()).toBe('请选择孩子在哪个乡镇')

    await byTestId(page, 'child-name').locator('input').fill('小军')
    await byTestId(page, 'township-tw-sq').click()
    await byTestId(page, 'child-about').locator('textarea').fill('八九岁，住老街，跟奶奶住')
    await byTestId(page, 'submit').click()
    await byTestId(page, 'report-receipt').waitFor()
    expect(await byTestId(page, 'delivered-to').innerText()).toContain('周建华')
    expect(await byTestId(page, 'report-receipt').innerText()).toContain('孩子：小军')

    const police = await phoneOf('周建华')
    await police.goto(`${session.cloud.url}${SG}/queue/index`)
    const item = byTestId(police, 'queue-item').filter({ hasText: '小军' }).first()
    await item.waitFor()
    expect(await item.innerText()).toContain('未登记的孩子')
    await item.click()
    await byTestId(police, 'case-child-about').waitFor()
    expect(await byTestId(police, 'case-child-about').innerText()).toContain('石桥镇，八九岁，住老街，跟奶奶住')

    // Civil affairs finds it open in the oversight list, and one tap on the row opens the report.
    const civil = await phoneOf('许文华')
    await civil.goto(`${session.cloud.url}${OV}/list/index?key=reportsOpen`)
    const row = byTestId(civil, 'list-row').filter({ hasText: '小军' })
    await row.waitFor()
    await row.locator('[data-testid="row-open"]').waitFor()
    await row.click()
    await byTestId(civil, 'report-case').waitFor()
    expect(await byTestId(civil, 'case-child').innerText()).toBe('小军')

    // Civil affairs finds him in the registry and joins the report to his file.
    const link = byTestId(civil, 'link-box')
    await link.locator('[data-testid="child-search"] input').fill('王小川')
    await link.locator('[data-testid="child-option"]').filter({ hasText: '王小川' }).first().click()
    await byTestId(civil, 'link-child').click()
    await byTestId(civil, 'case-child').filter({ hasText: '王小川' }).waitFor()
    expect(await byTestId(civil, 'link-box').count()).toBe(0)
    expect(await byTestId(civil, 'entry-text').allInnerTexts()).toContain('对应到孩子档案：王小川')
  })

  it('tells plainly what is not someone\'s to do: reports for another agency, oversight for a non-admin', async () => {
    const justice = await phoneOf('唐正')
    await justice.goto(`${session.cloud.url}${OV}/index/index`)
    await byTestId(justice, 'oversight').waitFor()
    await byTestId(justice, 'fig-reports-open').waitFor()
    expect(await byTestId(justice, 'list-reportsOpen').count()).toBe(0)
    await justice.goto(`${session.cloud.url}${SG}/queue/index`)
    await byTestId(justice, 'safeguard-queue').locator('[data-testid="error"]').getByText('您的岗位不处理强制报告').waitFor()

    const teacher = await phoneOf('陈丽')
    await teacher.goto(`${session.cloud.url}${OV}/index/index`)
    await byTestId(teacher, 'oversight').locator('[data-testid="error"]').waitFor()
    expect(await byTestId(teacher, 'oversight').innerText()).toContain('您没有权限做这件事')
  })
})
