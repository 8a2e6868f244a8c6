/**
 * Text size: the app's own 大字模式 switch and the phone's font size in WeChat (设置 › 通用 › 字体大小), which WeChat's
 * elder-friendly guidance asks mini-programs to follow. The person's own choice on the switch wins; without one, a
 * large WeChat font turns large text on. process.env.TARO_ENV is a build-time constant: the h5 build has no WeChat
 * font setting.
 */
import Taro from '@tarojs/taro'

const CHOICE_KEY = 'chuyan.largeText'
const OFFERED_KEY = 'chuyan.largeTextOffered'

/**
 * WeChat's font size in px at or above which text is large: the standard size is 16 (Android) or 17 (iOS); each
 * step up the slider adds about 2 px.
 */
export const LARGE_SYSTEM_FONT = 20

/** Large text or not: the person's own choice if they made one, else what WeChat's font size says. */
export function largeFrom (choice: boolean | undefined, systemFontSize: number | undefined): boolean {
  if (choice !== undefined) return choice
  return systemFontSize !== undefined && systemFontSize >= LARGE_SYSTEM_FONT
}

/** WeChat's font size setting in px, where the platform tells it. */
export function systemFontSize (): number | undefined {
  if (process.env.TARO_ENV !== 'weapp') return undefined
  try {
    const info = (Taro.getAppBaseInfo ? Taro.getAppBaseInfo() : Taro.getSystemInfoSync()) as { fontSizeSetting?: number }
    return typeof info.fontSizeSetting === 'number' ? info.fontSizeSetting : undefined
  } catch {
    return undefined
  }
}

/** The person's own choice on the switch, if they made one. */
export function storedChoice (): boolean | undefined {
  try {
    const v: unknown = Taro.getStorageSync(CHOICE_KEY)
    return typeof v === 'boolean' ? v : undefined
  } catch {
    return undefined
  }
}

export function storeChoice (on: boolean): void {
  Taro.setStorageSync(CHOICE_KEY, on)
}

/** Whether this phone shows large text now. */
export function isLarge (): boolean {
  return largeFrom(storedChoice(), systemFontSize())
}

/** The people offered large text on their first use: guardians (often grandparents) and 五老 volunteers. */
export function offersLargeText (roles: ReadonlyArray<{ role: string, volunteerKind?: string }>): boolean {
  return roles.some((r) => r.role === 'guardian' || (r.role === 'volunteer' && r.volunteerKind === 'elder'))
}

/**
 * Whether to offer the switch now: to a person it is for, once per phone, and not when they already chose (on the
 * 大字模式 page) or their WeChat font is already large.
 */
export function shouldOffer (roles: ReadonlyArray<{ role: string, volunteerKind?: string }>, state: { offered: boolean, choice: boolean | undefined, systemFontSize: number | undefined }): boolean {
  return !state.offered && state.choice === undefined && !largeFrom(undefined, state.systemFontSize) && offersLargeText(roles)
}

export function wasOffered (): boolean {
  try { return Taro.getStorageSync(OFFERED_KEY) === true } catch { return false }
}

export function markOffered (): void {
  Taro.setStorageSync(OFFERED_KEY, true)
}

/**
 * h5: marks the document (html.text-large) so that what lives outside a page's frame (popups, pickers, Taro's
 * dialogs, the tab bar) follows the size too. In WeChat those are inside the page or WeChat's own.
 */
export function showOnDocument (large: boolean): void {
  if (process.env.TARO_ENV !== 'h5') return
  document.documentElement.classList.toggle('text-large', large)
}
