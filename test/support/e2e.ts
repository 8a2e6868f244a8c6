import type { BrowserContext, BrowserContextOptions, Locator, Page, Browser } from 'playwright-core'
import type { LocalCloud } from '../../localcloud'
import { chromiumAvailable, launchChromium } from './browser'
import { startTestCloud } from './localcloud'

/** Taro's h5 router keeps earlier pages in the document, hidden: only what is visible counts. */
export function byTestId (scope: Page | Locator, testId: string): Locator {
  return scope.locator(`[data-testid="${testId}"]`).filter({ visible: true })
}

/** Waits until `text` is on the visible page. */
export async function see (page: Page, text: string | RegExp): Promise<void> {
  await page.getByText(text, { exact: typeof text === 'string' }).filter({ visible: true }).first().waitFor()
}

export interface E2eSession {
  readonly cloud: LocalCloud
  /**
   * A phone of its own (a fresh browser context, 375×740, zh-CN) for one person. It has been used before (the offer
   * of large text on first use is behind it) unless `firstUse`.
   */
  phone (options?: BrowserContextOptions, firstUse?: boolean): Promise<Page>
  /** A phone signed in as `name` by tapping it on the persona page. */
  signedIn (name: string, options?: BrowserContextOptions): Promise<Page>
}

/**
 * One e2e file's local cloud (seeded, with the h5 build) and Chromium, started before its tests and closed after
 * them with every phone it opened.
 */
export function e2eSession (setupTimeoutMs = 60000): E2eSession {
  let cloud: LocalCloud | undefined
  let browser: Browser | undefined
  const contexts: BrowserContext[] = []
  beforeAll(async () => {
    cloud = await startTestCloud({ h5: true })
    browser = await launchChromium()
  }, setupTimeoutMs)
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined)
    await browser?.close()
    await cloud?.close()
  })
  const session: E2eSession = {
    get cloud () {
      if (!cloud) throw new Error('the local cloud is not started yet')
      return cloud
    },
    async phone (options = {}, firstUse = false) {
      const context = await browser!.newContext({ viewport: { width: 375, height: 740 }, locale: 'zh-CN', ...options })
      contexts.push(context)
      // As Taro keeps it (services/textSize.ts): the large-text offer was answered on an earlier day.
      if (!firstUse) await context.addInitScript(() => { if (!localStorage.getItem('chuyan.largeTextOffered')) localStorage.setItem('chuyan.largeTextOffered', JSON.stringify({ data: true })) })
      return await context.newPage()
    },
    async signedIn (name, options) {
      const page = await session.phone(options)
      await page.goto(session.cloud.url + '/')
      await page.getByText(name, { exact: true }).first().click()
      // An adult is greeted 「王建国，您好」, a child by their given name (「你好，小雨」).
      await page.locator('[data-testid="my-name"]').filter({ visible: true, hasText: name.length >= 3 ? name.slice(1) : name }).waitFor()
      return page
    }
  }
  return session
}

/**
 * `describe` for a file of e2e tests: skipped outside CI on a machine without Chromium (saying why), failing in CI
 * when the browser is missing (see chromiumAvailable).
 */
export const e2eDescribe = chromiumAvailable() ? describe : describe.skip

/**
 * Answers the app's stand-in for WeChat's subscription dialog (h5: "允许雏燕给您发提醒？") as a person would: 允许 or
 * 不允许. The answers reach the local cloud as WeChat would keep them.
 */
export async function answerReminders (page: Page, answer: '允许' | '不允许' = '允许'): Promise<void> {
  // Taro's modal: a wrapper of no size holding fixed-position content.
  const modal = page.locator('.taro-modal__content').filter({ visible: true, hasText: '允许雏燕给您发提醒？' })
  await modal.waitFor()
  await modal.locator('.taro-model__btn').filter({ hasText: new RegExp(`^${answer}$`) }).click()
  await modal.waitFor({ state: 'hidden' })
}

/**
 * Turns the large-text mode on for this phone (the way a grandparent does, on the 大字模式 page), so the next pages
 * open in it.
 */
export async function largeText (page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/#/packages/settings/pages/text-size/index`)
  const on = page.locator('.nut-switch').filter({ visible: true }).first()
  await on.waitFor()
  if (!(await on.getAttribute('class'))?.includes('nut-switch-open')) await on.click()
}

/**
 * A screenshot of the whole page into the folder CHUYAN_SHOTS names (for a person to look at); nothing without it.
 * Never asserted on: the tests assert what a person reads, the screenshots are for looking.
 */
export async function shot (page: Page, name: string, at?: Locator): Promise<void> {
  const dir = process.env.CHUYAN_SHOTS
  if (!dir) return
  await page.waitForTimeout(300) // let the last toast or wheel settle
  if (at) { // one part of the page, as the phone shows it there
    await at.first().scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${dir}/${name}.png` })
    return
  }
  // The h5 router scrolls each page inside its own container: the phone is made as tall as the page for the
  // picture (what a person sees by scrolling), then given back its size.
  const size = page.viewportSize()
  const frame = page.locator('.page').filter({ visible: true }).last()
  const height = await frame.count() > 0 ? Math.ceil((await frame.boundingBox())?.height ?? 0) : 0
  if (size && height > size.height) await page.setViewportSize({ width: size.width, height: height + 40 })
  await page.screenshot({ path: `${dir}/${name}.png` })
  if (size && height > size.height) await page.setViewportSize(size)
}

/**
 * Two taps on `target` faster than the page can redraw between them (both in one task, as a quick double tap can land
 * before a phone repaints the button as busy): what a button that starts a cloud call must survive sending once.
 */
export async function doubleTap (target: Locator): Promise<void> {
  await target.evaluate((el) => { (el as HTMLElement).click(); (el as HTMLElement).click() })
}

/** From now on, how many times the page has sent `fn`'s `action` to the local cloud (the h5 build's /api/functions). */
export function countCalls (page: Page, fn: string, action: string): () => number {
  let sent = 0
  page.on('request', (req) => {
    if (req.method() !== 'POST' || new URL(req.url()).pathname !== `/api/functions/${fn}`) return
    if ((req.postDataJSON() as { action?: string } | null)?.action === action) sent++
  })
  return () => sent
}
