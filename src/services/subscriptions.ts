/**
 * Reminders by WeChat subscription message (docs/ARCHITECTURE.md, "Notifications"): a page asks the person to
 * allow them on a tap; the functions send them later. Their template ids are configuration (.env: TARO_APP_TPL_*).
 */
import Taro from '@tarojs/taro'

type ReminderKind = 'callReminder' | 'slotOffer' | 'weeklyNudge' | 'sessionReminder' | 'callConfirm' | 'roomBooking'

const TEMPLATE_IDS: Record<ReminderKind, string | undefined> = {
  callReminder: process.env.TARO_APP_TPL_CALL_REMINDER,
  slotOffer: process.env.TARO_APP_TPL_SLOT_OFFER,
  weeklyNudge: process.env.TARO_APP_TPL_WEEKLY_NUDGE,
  sessionReminder: process.env.TARO_APP_TPL_SESSION_REMINDER,
  callConfirm: process.env.TARO_APP_TPL_CALL_CONFIRM,
  roomBooking: process.env.TARO_APP_TPL_ROOM_BOOKING
}

/**
 * Asks the person to allow these reminders. weapp: Taro.requestSubscribeMessage, which WeChat allows only on a
 * tap, so call this first thing in the tap's handler. h5: nothing to ask. Never throws: saying no is fine, and
 * the action the tap was for goes ahead either way.
 */
export async function askForReminders (kinds: ReminderKind[]): Promise<void> {
  if (process.env.TARO_ENV !== 'weapp') return
  const tmplIds = [...new Set(kinds.map((k) => TEMPLATE_IDS[k]).filter((id): id is string => Boolean(id)))].slice(0, 3)
  if (tmplIds.length === 0) return
  try {
    await Taro.requestSubscribeMessage({ tmplIds } as Taro.requestSubscribeMessage.Option)
  } catch {
    // refused, or an older WeChat: the booking does not depend on it
  }
}
