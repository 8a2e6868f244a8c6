/**
 * The registry in Chromium, as each kind of user: a child-welfare officer registers a child and makes
 * binding codes for the guardian and a parent; the guardian (a WeChat user the county has not registered) binds
 * and consents; the parent binds and sees the file with masked numbers; a volunteer not paired with the child is
 * refused.
 */
import type { Locator, Page } from 'playwright-core'
import { byTestId, e2eDescribe, e2eSession, see, shot } from '../support/e2e'

/** The local gateway's stand-in for a WeChat identity (local mode only), for users no persona exists for. */
const OPENID_HEADER = 'x-localcloud-openid'

const CHILD = {
  name: '林小禾',
  className: '三年级（2）班',
  guardian: { name: '林阿奶', phone: '13800009991' },
  parent: { name: '林大山', city: '东莞', phone: '13800009992' }
}

/**
 * A NutUI button by its exact text (its inner text node sits under the button, which takes the click). Taro's
 * h5 router keeps earlier pages in the document, hidden: only the page on top counts.
 */
function button (page: Page, text: string): Locator {
  return page.locator('.nut-button').filter({ hasText: new RegExp(`^\\s*${text.replace(/[()（）＋+]/g, (c) => `\\${c}`)}\\s*$`), visible: true })
}

/** Waits until `text` shows on the page on top. */
function field (page: Page, testId: string): Locator {
  return page.locator(`[data-testid="${testId}"]`).filter({ visible: true })
}

/**
 * Turns one wheel of the open date picker by `rows` (negative: towards earlier values) with a slow touch drag,
 * as a finger would (the picker listens to touch events only).
 */
async function rollWheel (page: Page, column: number, rows: number): Promise<void> {
  const list = page.locator('.nut-pickerview-list').nth(column)
  const box = (await list.boundingBox())!
  const item = (await page.locator('.nut-pickerview-roller-item-tiled').first().boundingBox())!
  const x = box.x + box.width / 2
  const y = box.y + box.height / 2
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] })
  // A finger never stops exactly on a row: overshoot by a few pixels so the wheel snaps (and settles) as it does
  // under a finger. (Stopped exactly on a row, NutUI's wheel never ends its move and ignores the first 确认.)
  const distance = rows * item.height + (rows < 0 ? -6 : 6)
  const steps = 12
  for (let i = 1; i <= steps; i++) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y - (distance * i) / steps }] })
    await page.waitForTimeout(40) // slower than the picker's inertia threshold (300 ms in all)
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] })
  await cdp.detach()
  await page.waitForTimeout(1200) // the wheel settles
}

/** Opens the birth-date picker, goes two years and one month back from where it starts, confirms; returns YYYY-MM-DD. */
async function pickBirthDate (page: Page): Promise<string> {
  await field(page, 'birth-date').locator('.nut-cell').click()
  await page.locator('.nut-pickerview-list').first().waitFor()
  await page.waitForTimeout(500)
  await rollWheel(page, 0, -2)
  await rollWheel(page, 1, -1)
  await page.locator('.nut-picker-confirm-btn').click()
  const shown = await field(page, 'birth-date').innerText()
  const m = /(\d{4})年(\d{1,2})月(\d{1,2})日/.exec(shown)
  if (!m) throw new Error(`no date shown after picking: ${shown}`)
  return `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`
}

/** Fills the registration form with CHILD; returns the birth date picked. */
async function fillChildForm (page: Page): Promise<string> {
  await field(page, 'f-name').locator('input').fill(CHILD.name)
  await field(page, 'f-gender').locator('.nut-radio-button', { hasText: '女' }).click()
  const day = await pickBirthDate(page)
  await field(page, 'f-schoolId').locator('.nut-radio-button', { hasText: '石桥镇中心小学' }).click()
  await field(page, 'f-className').locator('input').fill(CHILD.className)
  // 石桥村 is her only village: already chosen.
  await field(page, 'f-guardian-name').locator('input').fill(CHILD.guardian.name)
  await field(page, 'f-guardian-relation').locator('.nut-radio-button', { hasText: '奶奶/外婆' }).click()
  await field(page, 'f-guardian-phone').locator('input').fill(CHILD.guardian.phone)
  await field(page, 'f-parents-0-name').locator('input').fill(CHILD.parent.name)
  await field(page, 'f-parents-0-workCity').locator('input').fill(CHILD.parent.city)
  await field(page, 'f-parents-0-phone').locator('input').fill(CHILD.parent.phone)
  await field(page, 'f-categories').locator('.nut-checkbox-button', { hasText: '低保（含特困）' }).click()
  return day
}

async function readCode (page: Page): Promise<string> {
  const text = (await page.getByTestId('code').innerText()).replace(/\s/g, '')
  expect(text).toMatch(/^\d{8}$/)
  return text
}

e2eDescribe('registry (h5 in Chromium)', () => {
  const session = e2eSession()

  const newPage = (openid?: string): Promise<Page> => session.phone({ hasTouch: true, ...(openid ? { extraHTTPHeaders: { [OPENID_HEADER]: openid } } : {}) })

  // Shared along the story: each step builds on the one before.
  let childId = ''
  let birthDate = ''
  let guardianCode = ''
  let parentCode = ''

  it('lets a child-welfare officer register a child of her village', async () => {
    const page = await newPage()
    await page.goto(session.cloud.url + '/')
    await page.getByText('赵春梅').click()
    await see(page, '赵春梅，您好')
    // 儿童档案 among her services on the home page
    await byTestId(page, 'entry-registry').click()
    await see(page, /共 \d+ 个孩子/)
    await button(page, '＋ 登记新孩子').click()
    await page.getByTestId('child-form').waitFor()

    // Sending the empty form marks the fields with the shared schema's messages, and sends nothing.
    await button(page, '登记').click()
    await field(page, 'f-name-error').waitFor()
    expect(await field(page, 'f-birthDate-error').innerText()).toBe('请选择出生日期')
    expect(await field(page, 'f-gender-error').innerText()).toBe('请选择性别')

    birthDate = await fillChildForm(page)
    await field(page, 'f-guardian-phone').locator('input').fill('1380000999') // one digit short
    await button(page, '登记').click()
    expect(await field(page, 'f-guardian-phone-error').innerText()).toBe('手机号应是11位数字，以1开头')
    expect(await field(page, 'f-name-error').count()).toBe(0)

    await field(page, 'f-guardian-phone').locator('input').fill(CHILD.guardian.phone)
    await button(page, '登记').click()

    // The new file: waivers follow from the category; the guardian has not consented yet.
    await page.getByTestId('child-name').filter({ hasText: CHILD.name }).waitFor()
    childId = new URL(page.url().replace('#/', '')).searchParams.get('id') ?? ''
    expect(childId).not.toBe('')
    await see(page, '低保（含特困）')
    expect(await page.getByTestId('waiver').count()).toBeGreaterThan(0)
    await see(page, '待监护人同意')
    await see(page, '138****9991')
  }, 90000)

  it('lets her find the child in her list and export the list as CSV', async () => {
    expect(childId).not.toBe('')
    const page = await newPage('demo-cwo-zhao')
    await page.goto(`${session.cloud.url}/#/packages/registry/pages/list/index`)
    await field(page, 'search-name').locator('input').fill(CHILD.name)
    await button(page, '搜索').click()
    await see(page, '共 1 个孩子')
    await see(page, `监护人 ${CHILD.guardian.name} 138****9991`)
    const [download] = await Promise.all([page.waitForEvent('download'), button(page, '导出表格').click()])
    expect(download.suggestedFilename()).toMatch(/\.csv$/)
    const csv = await new Promise<string>((resolve, reject) => {
      download.createReadStream().then((stream) => {
        const chunks: Buffer[] = []
        stream.on('data', (c: Buffer) => chunks.push(c))
        stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
        stream.on('error', reject)
      }, reject)
    })
    expect(csv.startsWith('\uFEFF')).toBe(true) // so that Excel reads the Chinese
    expect(csv).toContain(CHILD.name)
    expect(csv).not.toContain(CHILD.guardian.phone)
  }, 60000)

  it('lets the county 民政 admin narrow the list to a township, and then to one of its schools', async () => {
    const page = await newPage('demo-admin-xu')
    await page.goto(`${session.cloud.url}/#/packages/registry/pages/list/index`)
    await see(page, /共 \d+ 个孩子/)
    const all = await field(page, 'total').innerText()
    await button(page, '筛选 ▼').click()
    const townships = field(page, 'filter-township').locator('.nut-radio-button')
    expect(await townships.allInnerTexts()).toEqual(['全部', '白水乡', '石桥镇']) // in pinyin order
    const schools = field(page, 'filter-school').locator('.nut-radio-button')
    expect(await schools.allInnerTexts()).toEqual(['全部', '白水乡中心小学', '青山县第二中学', '石桥镇中心小学'])

    const total = field(page, 'total')
    const rows = page.locator('.nut-cell').filter({ visible: true, hasText: '监护人' })
    /** Waits until no row of the list says `text` (the list is loaded again for the new filter). */
    const gone = (text: string | RegExp) => rows.filter({ hasText: text }).first().waitFor({ state: 'hidden' })
    await townships.filter({ hasText: '白水乡' }).click()
    await gone(/石桥村|岭下村/)
    expect(await total.innerText()).toBe('共 10 个孩子') // the demo county's children of 白水乡
    expect(await schools.allInnerTexts()).toEqual(['全部', '白水乡中心小学'])
    expect((await rows.allInnerTexts()).every((t) => /白水村|竹坑村/.test(t))).toBe(true)
    await shot(page, 'registry-admin-township')

    // Another township: its own schools; one of them narrows the list again.
    await townships.filter({ hasText: '石桥镇' }).click()
    await gone(/白水村|竹坑村/)
    expect(await schools.allInnerTexts()).toEqual(['全部', '青山县第二中学', '石桥镇中心小学'])
    await schools.filter({ hasText: '青山县第二中学' }).click()
    await gone('石桥镇中心小学')
    const left = await rows.allInnerTexts()
    expect(left.length).toBeGreaterThan(0)
    expect(left.every((t) => t.includes('青山县第二中学') && /石桥村|岭下村/.test(t))).toBe(true)
    await button(page, '清除条件').click()
    await page.getByTestId('total').filter({ visible: true, hasText: all }).waitFor()
  }, 60000)

  it('lets her make a binding code for the guardian and one for a parent', async () => {
    expect(childId).not.toBe('')
    const page = await newPage('demo-cwo-zhao')
    await page.goto(`${session.cloud.url}/#/packages/registry/pages/child/index?id=${childId}`)
    await button(page, '生成绑定码（给家长或监护人）').click()

    await field(page, 'f-role').locator('.nut-radio-button', { hasText: '在家的监护人' }).click()
    // Chosen from the file: relation and name are filled in.
    expect(await field(page, 'person-name').locator('input').inputValue()).toBe(CHILD.guardian.name)
    await button(page, '生成绑定码').click()
    await see(page, '请当面交给对方')
    await see(page, `给 ${CHILD.guardian.name}（奶奶/外婆）`)
    guardianCode = await readCode(page)

    await button(page, '给另一个人生成').click()
    await field(page, 'f-role').locator('.nut-radio-button', { hasText: '在外打工的家长' }).click()
    expect(await field(page, 'person-name').locator('input').inputValue()).toBe(CHILD.parent.name)
    await button(page, '生成绑定码').click()
    await see(page, `给 ${CHILD.parent.name}（爸爸）`)
    parentCode = await readCode(page)
    expect(parentCode).not.toBe(guardianCode)
  }, 60000)

  it('lets the guardian, new to the app, bind with the code and consent', async () => {
    expect(guardianCode).not.toBe('')
    const page = await newPage('e2e-wx-guardian-lin')
    await page.goto(session.cloud.url + '/')
    await see(page, '欢迎使用雏燕')
    await button(page, '绑定孩子（我有绑定码）').click()

    await field(page, 'code-input').locator('input').fill(guardianCode)
    expect(await pickBirthDate(page)).toBe(birthDate)
    await button(page, '绑定').click()
    await page.getByTestId('bound-child').filter({ hasText: CHILD.name }).waitFor()

    await button(page, '下一步：看同意书').click()
    await see(page, '孩子信息登记同意书')
    await see(page, '可以不同意')
    // Refusing is asked once more, saying what is kept; she thinks again and agrees.
    await button(page, '不同意').click()
    await see(page, '确定不同意吗？')
    await see(page, /只保留孩子的姓名、性别、出生日期、学校班级、所在村和困难类别/)
    await button(page, '再想想').click()
    await button(page, '同意').click()
    await page.getByTestId('consent-answer').filter({ hasText: `您已同意登记${CHILD.name}的信息` }).waitFor()

    await button(page, '回首页').click()
    await see(page, `${CHILD.guardian.name}，您好`)
    await see(page, new RegExp(`${CHILD.name}（\\d+岁）`))
  }, 60000)

  it('lets a parent bind and see the file with masked numbers', async () => {
    expect(parentCode).not.toBe('')
    const page = await newPage('e2e-wx-parent-lin')
    await page.goto(session.cloud.url + '/#/packages/join/pages/bind/index')
    await field(page, 'code-input').locator('input').fill(parentCode)
    await pickBirthDate(page)
    await button(page, '绑定').click()
    await page.getByTestId('bound-child').filter({ hasText: CHILD.name }).waitFor()
    expect(await button(page, '下一步：看同意书').count()).toBe(0)

    await button(page, '看孩子的档案').click()
    await page.getByTestId('child-name').filter({ hasText: CHILD.name }).waitFor()
    await see(page, '138****9991')
    await see(page, '138****9992')
    expect(await page.getByText(CHILD.guardian.phone).count()).toBe(0)
    expect(await page.getByText('显示完整号码').count()).toBe(0)
    expect(await page.getByText('生成绑定码', { exact: false }).count()).toBe(0)
    await see(page, '监护人已同意')
  }, 60000)

  it('refuses the file to a volunteer who is not paired with the child', async () => {
    expect(childId).not.toBe('')
    const page = await newPage('demo-vol-zhou')
    await page.goto(`${session.cloud.url}/#/packages/registry/pages/child/index?id=${childId}`)
    await page.getByTestId('forbidden').waitFor()
    await see(page, '不能查看这个档案')
    expect(await page.getByText(CHILD.name).count()).toBe(0)
    expect(await page.getByText('138****').count()).toBe(0)
  }, 30000)

  it('shows a likely duplicate before a second file is made, and registers on "not the same child"', async () => {
    expect(childId).not.toBe('')
    const page = await newPage('demo-cwo-zhao')
    await page.goto(`${session.cloud.url}/#/packages/registry/pages/edit/index`)
    await page.getByTestId('child-form').waitFor()
    expect(await fillChildForm(page)).toBe(birthDate)
    await button(page, '登记').click()
    await see(page, '可能已经登记过')
    await see(page, new RegExp(`^${CHILD.name} · .*出生$`))
    // Looking again and sending the same form asks again: nothing was registered.
    await button(page, '回去修改').click()
    await button(page, '登记').click()
    await see(page, '可能已经登记过')
    await button(page, '不是同一个孩子，继续登记').click()
    await page.getByTestId('child-name').filter({ hasText: CHILD.name }).waitFor()
    const second = new URL(page.url().replace('#/', '')).searchParams.get('id')
    expect(second).toBeTruthy()
    expect(second).not.toBe(childId)
  }, 60000)

  it('marks in the officer\'s list the files that still await a guardian\'s consent', async () => {
    const page = await newPage('demo-cwo-zhao')
    await page.goto(`${session.cloud.url}/#/packages/registry/pages/list/index`)
    const banner = field(page, 'awaiting-consent')
    await banner.waitFor()
    expect(await banner.innerText()).toMatch(/有 \d+ 个档案还在等监护人同意/)
    // The list as filtered, not the whole list it replaces (both show 宋佳琪).
    const filtered = page.waitForResponse((r) => r.url().includes('/api/functions/registry') && (r.request().postData() ?? '').includes('"consent":"pending"'))
    await banner.click()
    await filtered
    await see(page, '宋佳琪') // her file waits for her grandmother
    const consentTags = page.locator('.nut-cell').filter({ visible: true }).locator('.nut-tag', { hasText: /监护人/ })
    await consentTags.first().waitFor()
    expect(await consentTags.allInnerTexts()).toEqual(Array((await consentTags.count())).fill('待监护人同意'))
  }, 60000)

  it('lets the grandmother (large text) ask to delete the child\'s information, and the county 民政 admin carry it out', async () => {
    expect(childId).not.toBe('')
    const granny = await newPage('e2e-wx-guardian-lin')
    await granny.addInitScript(() => localStorage.setItem('chuyan.largeText', JSON.stringify({ data: true })))
    await granny.goto(session.cloud.url + '/')
    await granny.getByText(new RegExp(`^${CHILD.name}（\\d+岁）$`)).filter({ visible: true }).click()
    await granny.getByTestId('child-name').filter({ hasText: CHILD.name }).filter({ visible: true }).waitFor()
    expect(await granny.locator('.page--large').filter({ visible: true }).count()).toBeGreaterThan(0)
    await field(granny, 'consent-by').filter({ hasText: `${CHILD.guardian.name}（奶奶/外婆）同意的` }).waitFor()
    await field(granny, 'ask-deletion').click()
    await field(granny, 'kept-by-law').waitFor()
    await see(granny, /困难类别：孩子按规定减免费用要用/)
    await field(granny, 'deletion-send').click()
    await granny.locator('.nut-dialog-footer-ok').filter({ visible: true }).click()
    expect(await field(granny, 'deletion-answer').innerText()).toMatch(new RegExp(`县民政局会在.+前删除${CHILD.name}的信息，删好了会告诉您。`))

    const admin = await newPage('demo-admin-xu')
    await admin.goto(session.cloud.url + '/')
    await field(admin, 'entry-deletions').click()
    const request = field(admin, 'deletion-request').filter({ hasText: CHILD.name })
    await request.waitFor()
    expect(await request.innerText()).toContain(`${CHILD.guardian.name}（奶奶/外婆）`)
    await request.locator('[data-testid="carry-out"]').click()
    await see(admin, /按法律留下/)
    await admin.locator('.nut-dialog-footer-ok').filter({ visible: true }).click()
    await field(admin, 'deletion-done').filter({ hasText: CHILD.name }).filter({ hasText: /删除\d+项，按法律保留\d+项/ }).waitFor()

    // The family's phones are no longer bound to the child; the file keeps the minimum only.
    await granny.goto(session.cloud.url + '/')
    await see(granny, `${CHILD.guardian.name}，您好`)
    await see(granny, '先绑定您的孩子 ›')
    expect(await granny.getByText(new RegExp(`^${CHILD.name}（\\d+岁）$`)).filter({ visible: true }).count()).toBe(0)
  }, 90000)
})
