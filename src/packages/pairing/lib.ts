/**
 * What the pairing pages share besides components: days and times in Asia/Shanghai (never the phone's zone),
 * the words for periods and modes, failures in plain words, and idempotency keys.
 */
import { useRef } from 'react'
import Taro from '@tarojs/taro'
import { addDays, shanghaiWall, toDateKey } from '../../domain'
import { CloudError } from '../../services/cloud'

/** Today in Shanghai, YYYY-MM-DD. */
export function today (now: Date = new Date()): string {
  return toDateKey(now)
}

export function shiftDay (day: string, n: number): string {
  return addDays(day, n)
}

/** '2026-11-29' -> '2026年11月29日' */
export function dayWords (day: string): string {
  const [y, m, d] = day.split('-').map(Number)
  return y && m && d ? `${y}年${m}月${d}日` : day
}

/** '2026-11-29' -> '11月29日' */
export function monthDay (day: string): string {
  return `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`
}

/** An instant as '11月29日 14:30', Shanghai wall time. */
export function dateTimeWords (at: Date): string {
  return shanghaiWall(at).format('M月D日 HH:mm')
}

/** The Shanghai day of an instant. */
export function dayOf (at: Date): string {
  return toDateKey(at)
}

/** The last day of a period whose end is given as the first instant of the next one. */
export function lastDayBefore (endsAt: Date): string {
  return toDateKey(new Date(endsAt.getTime() - 1))
}

/** '2026-11' -> '11月' */
export function monthName (month: string): string {
  return `${Number(month.slice(5, 7))}月`
}

const QUARTER_WORDS = ['', '第一季度', '第二季度', '第三季度', '第四季度']
const QUARTER_MONTHS = ['', '1–3月', '4–6月', '7–9月', '10–12月']

/** '2026-Q4' -> '第四季度' (and the months it spans). */
export function quarterName (quarter: string): { name: string, months: string } {
  const n = Number(quarter.slice(-1))
  return { name: QUARTER_WORDS[n] ?? quarter, months: QUARTER_MONTHS[n] ?? '' }
}

/** Whole days from now until an instant, at least 0. */
export function daysLeft (until: Date, now: Date = new Date()): number {
  return Math.max(0, Math.ceil((until.getTime() - now.getTime()) / 86400000))
}

export const CONTACT_MODE_LABELS: Record<string, string> = { call: '打电话', video: '视频', inPerson: '当面' }
export const CONTACT_KIND_LABELS: Record<'talk' | 'visit', string> = { talk: '谈心', visit: '上门看望' }
export const GENDER_LABELS: Record<'male' | 'female', string> = { male: '男', female: '女' }

/** The words to show for any failure: a CloudError's Chinese message (or its one field's), or a plain fallback. */
export function messageOf (err: unknown): string {
  if (!(err instanceof CloudError)) return '服务暂时出错，请稍后再试'
  const fields = Object.values(err.fields ?? {})
  if (err.code === 'INVALID_INPUT' && fields.length === 1) return fields[0]
  return err.message
}

/** Field messages of a refused form, or undefined when the failure is not about the fields. */
export function fieldsOf (err: unknown): Record<string, string> | undefined {
  return err instanceof CloudError && err.code === 'INVALID_INPUT' && err.fields && Object.keys(err.fields).length > 0 ? err.fields : undefined
}

/** Short messages as a toast, longer ones in a box the person closes. */
export function tellError (err: unknown): void {
  const message = messageOf(err)
  if (message.length <= 14) Taro.showToast({ title: message, icon: 'none', duration: 3000 })
  else Taro.showModal({ title: '没有成功', content: message, showCancel: false, confirmText: '知道了' }).catch(() => undefined)
}

/** A refused form: the fields say what to change. */
export function tellFix (): void {
  Taro.showToast({ title: '请按红字改一改', icon: 'none', duration: 2500 })
}

export function tellDone (title: string): void {
  Taro.showToast({ title, icon: 'success', duration: 2000 })
}

export function newKey (): string {
  const rand = () => Math.floor(Math.random() * 0x100000000).toString(36)
  return `${Date.now().toString(36)}-${rand()}${rand()}`
}

/**
 * One idempotency key per form while it is open: pressing 保存 again after a lost connection sends the same key,
 * so the server records the talk once; `renew` after a success starts a new submission.
 */
export function useSubmissionKey (): { key: () => string, renew: () => void } {
  const ref = useRef<string>(newKey())
  return { key: () => ref.current, renew: () => { ref.current = newKey() } }
}

/** Ids travel in the page URL; Taro's h5 router may hand them back still encoded. */
export function paramId (raw: string | undefined): string | undefined {
  if (!raw) return undefined
  try { return decodeURIComponent(raw) } catch { return raw }
}

export const go = (url: string) => Taro.navigateTo({ url })
