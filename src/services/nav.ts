/** Moving between pages (Taro's router, the same in WeChat and h5), and out to the phone's dialer. */
import Taro from '@tarojs/taro'
import { pageArrived, pageOnItsWay } from './splash'

const HOME = '/pages/home/index'

/** Opens a page on top of this one (back returns here). */
export function go (url: string): void {
  opening(Taro.navigateTo({ url }))
}

/** Opens a page in place of this one (back skips this one). */
export function replace (url: string): void {
  opening(Taro.redirectTo({ url }))
}

/** Shows at once that the tapped page is on its way (its code may take seconds on a slow line); a failed move ends it. */
function opening (moving: Promise<unknown>): void {
  pageOnItsWay()
  moving.catch(pageArrived)
}

/** Back to the page before; `otherwise` runs when there is none (a page opened from a link or a message). */
export function back (otherwise?: () => void): void {
  Taro.navigateBack().catch(() => otherwise?.())
}

/** A tab page (消息, 求助电话, 我的): WeChat opens tab pages only by switching to them. */
export function tab (url: string): void {
  opening(Taro.switchTab({ url }))
}

/** The home tab. */
export function home (): void {
  opening(Taro.switchTab({ url: HOME }))
}

/** Starts the app again at `url`, forgetting every open page (after changing who is signed in). */
export function restart (url: string): void {
  Taro.reLaunch({ url }).catch(() => undefined)
}

/** Dials a number (the phone asks first); closing the dialer is not a failure. */
export function call (phoneNumber: string): void {
  Taro.makePhoneCall({ phoneNumber }).catch(() => undefined)
}

/** An id passed in a page's address: Taro's h5 router may hand it back still encoded. */
export function routeParam (raw: string | undefined): string | undefined {
  if (!raw) return undefined
  try { return decodeURIComponent(raw) } catch { return raw }
}
