/** Pieces the legal-aid pages share: times in words, clocks, the timeline, states, failures. */
import { useState, type PropsWithChildren, type ReactNode } from 'react'
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { z } from 'zod'
import { Button } from '../../components/nut'
import { Page } from '../../components/Page'
import { CloudError } from '../../services/cloud'
import { WEEKDAY_LABELS, addDays, shanghaiWall, toDateKey, weekdayOf, type LegalAidState, type LegalAidView } from '../../domain'
import './legalaid.scss'

export { Failure, messageOf } from '../../components/States'
export { todayString as today } from '../../services/format'
export { useReloadOnShow } from '../../hooks/useReloadOnShow'

export type RequestView = z.infer<typeof LegalAidView>
export type Clock = RequestView['clocks'][number]

export const PACKAGE = '/packages/legalaid/pages'
export const go = (url: string) => Taro.navigateTo({ url })
export const call = (phoneNumber: string) => { Taro.makePhoneCall({ phoneNumber }).catch(() => undefined) }

// ---- Failures ----

/** The message a failure gives one field, by its path with or without the leading `draft.`. */
export function fieldMessage (err: unknown, field: string): string | undefined {
  if (!(err instanceof CloudError) || !err.fields) return undefined
  return err.fields[field] ?? err.fields[`draft.${field}`]
}

/**
 * One step on a case (acknowledge, decide, assign, respond, record progress, ask for documents): busy while the
 * call runs, its failure kept for the form to show by field, a toast once it went through. `run` resolves true then.
 */
export function useStep () {
  const [busy, setBusy] = useState(false)
  const [err, setErr] = useState<unknown>()
  async function run (call: () => Promise<unknown>, done: string): Promise<boolean> {
    setBusy(true)
    setErr(undefined)
    try {
      await call()
      Taro.showToast({ title: done, icon: 'success' })
      return true
    } catch (e) {
      setErr(e)
      return false
    } finally {
      setBusy(false)
    }
  }
  return { busy, err, setErr, run }
}

// ---- Times, all in Asia/Shanghai ----

/** 今天 17:30 / 明天 17:30 / 昨天 09:10 / 12月3日 周四 17:30 */
export function whenLabel (at: Date, now: Date = new Date()): string {
  const day = toDateKey(at)
  const today = toDateKey(now)
  const hm = shanghaiWall(at).format('HH:mm')
  if (day === today) return `今天 ${hm}`
  if (day === addDays(today, 1)) return `明天 ${hm}`
  if (day === addDays(today, -1)) return `昨天 ${hm}`
  const d = shanghaiWall(at)
  const year = d.year() !== shanghaiWall(now).year() ? `${d.year()}年` : ''
  return `${year}${d.month() + 1}月${d.date()}日 ${WEEKDAY_LABELS[weekdayOf(day)]} ${hm}`
}

/** A deadline: as whenLabel, but midnight reads as the end of the day before (12月2日 周三 24:00). */
export function dueLabel (at: Date, now: Date = new Date()): string {
  if (shanghaiWall(at).format('HH:mm') !== '00:00') return whenLabel(at, now)
  return whenLabel(new Date(at.getTime() - 60_000), now).replace(/23:59$/, '24:00')
}

/** YYYY-MM-DD -> 12月10日 周四 (with the year when it is not this year). */
export { dayLabel } from '../../services/format'

/** A fresh key for one submission; kept across retries of the same submission so nothing is filed twice. */
export function newKey (): string {
  const rand = () => Math.floor(Math.random() * 0x100000000).toString(36)
  return `${Date.now().toString(36)}-${rand()}${rand()}`
}

// ---- States and clocks ----

type Tone = 'red' | 'orange' | 'blue' | 'green' | 'grey' | 'dark'

/** A label in a coloured pill, sized for reading (NutUI's Tag is too small for tired eyes). */
export function Pill ({ tone, children, testId }: PropsWithChildren<{ tone: Tone, testId?: string }>) {
  return <View className={`la-pill la-pill--${tone}`} data-testid={testId}>{children}</View>
}

const STATE_TONE: Record<LegalAidState, Tone> = {
  submitted: 'orange', acknowledged: 'blue', approved: 'blue', lawyerAssigned: 'blue', inProgress: 'green', refused: 'red', closed: 'grey'
}

export function StateTag ({ state, label }: { state: LegalAidState, label: string }) {
  return <Pill tone={STATE_TONE[state]} testId='state'>{label}</Pill>
}

const PRIORITY_TONE: Record<number, Tone> = { 0: 'red', 1: 'orange', 2: 'grey' }

/** Priority 0 (abuse, violence, abandonment) is red. */
export function PriorityTag ({ priority, label }: { priority: number, label: string }) {
  return <Pill tone={PRIORITY_TONE[priority] ?? 'grey'} testId='priority'>{label}</Pill>
}

export function ProvideFirstTag () {
  return <Pill tone='dark' testId='provide-first'>先行援助</Pill>
}

/** Every legal-aid page's frame: the app's Page (large-text mode) around this package's own root. */
export function LaPage ({ testId, children }: PropsWithChildren<{ testId?: string }>) {
  return <Page testId={testId}><View className='la-root'>{children}</View></Page>
}

/** A running clock as the centre reads it: what is due, by when, and whether it is on time (coloured). */
export function ClockLine ({ clock }: { clock: Clock }) {
  return (
    <View className={`la-clock la-clock--${clock.state}`} data-testid='clock'>
      <Text>{clock.label}：{dueLabel(clock.due)} 前</Text>
      <Text className='la-clock__state' data-testid='clock-state'>{clock.stateLabel}</Text>
    </View>
  )
}

/** A running clock as the applicant reads it, in a sentence. */
export function clockWords (clock: Clock, lawyerName?: string): string {
  const by = dueLabel(clock.due)
  const late = clock.state === 'late' ? '（已经晚了，中心会加紧办理；也可以打 12348 问问）' : ''
  switch (clock.name) {
    case 'acknowledge': return `法律援助中心会在 ${by} 前确认收到${late}`
    case 'decide': return `${by} 前告诉您是否给予法律援助${late}`
    case 'statutoryReview': return `法律规定最迟 ${by} 前作出决定${late}`
    case 'assignLawyer': return `${by} 前为孩子安排好律师${late}`
    case 'lawyerAccept': return `${lawyerName ? `${lawyerName}律师` : '律师'}会在 ${by} 前回复是否接案${late}`
    default: return `${clock.label}：${by} 前${late}`
  }
}

/** The clock the sentence of `nextWords` tells of, if any. */
export function mainClock (v: RequestView): Clock | undefined {
  if (v.state === 'acknowledged') return v.clocks.find((c) => c.name === 'decide') ?? v.clocks[0]
  if (v.state === 'submitted' || v.state === 'approved') return v.clocks[0]
  return undefined
}

/** What happens next, in plain words, for the applicant. */
export function nextWords (v: RequestView): string {
  const clock = mainClock(v)
  const by = clock ? `${clockWords(clock, v.lawyerName)}。` : ''
  switch (v.state) {
    case 'submitted': return by || '等法律援助中心确认收到。'
    case 'acknowledged': return `中心正在审查。${by}`
    case 'approved': return `已经批准了，正在为孩子安排志愿律师。${by}`
    case 'lawyerAssigned': return `已安排${v.lawyerName ?? ''}律师，等律师接案。律师接案后会联系您。`
    case 'inProgress': return `${v.lawyerName ?? ''}律师正在办理，会和您联系。律师要材料时，这里会告诉您。`
    case 'refused': return '中心决定不予法律援助。下面写了理由，不同意可以提出异议。'
    case 'closed': return '案件已经办完了。'
    default: return ''
  }
}

// ---- Blocks ----

export function Section ({ title, extra, children, testId }: PropsWithChildren<{ title: string, extra?: ReactNode, testId?: string }>) {
  return (
    <View data-testid={testId}>
      <View className='section-title la-between'><Text>{title}</Text>{extra}</View>
      {children}
    </View>
  )
}

/** Each step in plain words with its time, oldest first; the newest marked. */
export function Timeline ({ entries }: { entries: ReadonlyArray<{ at: Date, text: string }> }) {
  return (
    <View className='la-card la-timeline' data-testid='timeline'>
      {entries.map((e, i) => {
        const last = i === entries.length - 1
        return (
          <View key={`${e.at.getTime()}-${i}`} className='la-tl' data-testid='timeline-step'>
            <View className='la-tl__rail'>
              <View className={last ? 'la-tl__dot la-tl__dot--last' : 'la-tl__dot'} />
              {!last && <View className='la-tl__line' />}
            </View>
            <View className='la-tl__body'>
              <View className='la-tl__text'>{e.text}</View>
              <View className='la-tl__time'>{whenLabel(e.at)}</View>
            </View>
          </View>
        )
      })}
    </View>
  )
}

/** The exemptions from the economic-hardship check the law grants this request, each with its article. */
export function Exemptions ({ list }: { list: ReadonlyArray<{ label: string, article: string }> }) {
  if (list.length === 0) return null
  return (
    <View className='la-card' data-testid='exemptions'>
      {list.map((e) => (
        <View key={e.article} className='la-exemption' data-testid='exemption'>
          <View>✓ {e.label}</View>
          <View className='la-law'>依据：{e.article}</View>
        </View>
      ))}
    </View>
  )
}

/** A refusal's reason and how to object, with the legal hotline one tap away. */
export function Refusal ({ refusal }: { refusal: { reason: string, howToObject: string } }) {
  return (
    <View className='la-danger' data-testid='refusal'>
      <View className='la-strong'>不予援助的理由</View>
      <View>{refusal.reason}</View>
      <View className='la-strong la-gap'>不同意怎么办</View>
      <View>{refusal.howToObject}</View>
      <View className='la-gap'>
        <Button block size='large' type='primary' onClick={() => call('12348')}>拨打 12348 法律服务热线</Button>
      </View>
    </View>
  )
}
