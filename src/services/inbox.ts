/**
 * The unread count of 消息 on the tab bar (docs/ARCHITECTURE.md, "Notifications"). WeChat lets only a tab page set a
 * tab's badge, so the home and 消息 pages call this when they show.
 */
import Taro from '@tarojs/taro'
import { callCloud } from './cloud'

/** 消息 is the second tab (app.config.ts). */
export const INBOX_TAB = 1

/** Shows `unread` on the 消息 tab (none: no badge); a page without the tab bar is left as it is. */
export function showUnreadBadge (unread: number): void {
  const done = unread > 0
    ? Taro.setTabBarBadge({ index: INBOX_TAB, text: unread > 99 ? '99+' : String(unread) })
    : Taro.removeTabBarBadge({ index: INBOX_TAB })
  Promise.resolve(done).catch(() => undefined)
}

/** Reads the unread count and shows it on the tab; resolves with it (0 when it could not be read). */
export async function refreshUnread (): Promise<number> {
  try {
    const { unread } = await callCloud('account', 'unreadCount', {})
    showUnreadBadge(unread)
    return unread
  } catch {
    return 0
  }
}
