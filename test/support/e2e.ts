import type { BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core'
import type { Browser } from 'playwright-core'
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
  /** A phone of its own (a fresh browser context, 375×740, zh-CN) for one person. */
  phone (options?: BrowserContextOptions): Promise<Page>
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
    async phone (options = {}) {
      const context = await browser!.newContext({ viewport: { width: 375, height: 740 }, locale: 'zh-CN', ...options })
      contexts.push(context)
      return await context.newPage()
    },
    async signedIn (name, options) {
      const page = await session.phone(options)
      await page.goto(session.cloud.url + '/')
      await page.getByText(name, { exact: true }).first().click()
      await see(page, `${name}，您好`)
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
