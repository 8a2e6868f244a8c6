/** Pieces the safeguarding pages share: the frame, the 110 banner, times in words, pills, form fields. */
import { type PropsWithChildren, type ReactNode } from 'react'
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { Button } from '../../components/nut'
import { Page } from '../../components/Page'
import { WEEKDAY_LABELS, addDays, shanghaiWall, toDateKey, weekdayOf } from '../../domain'
import { Input, TextArea } from './nut'
import { RecentDayPicker } from '../../components/DayWheels'
import './safeguard.scss'

export { Failure, messageOf, fieldsOf } from '../../components/States'
export { todayString as today, formatDateTime as fullTime } from '../../services/format'
export { useReloadOnShow } from '../../hooks/useReloadOnShow'

export const PACKAGE = '/packages/safeguard/pages'
export const go = (url: string) => Taro.navigateTo({ url })
export const call = (phoneNumber: string) => { Taro.makePhoneCall({ phoneNumber }).catch(() => undefined) }

/** Every safeguarding page's frame: the app's Page (large-text mode) around this package's own root. */
export function SgPage ({ testId, children }: PropsWithChildren<{ testId?: string }>) {
  return <Page testId={testId}><View className='sg-root'>{children}</View></Page>
}

/** Danger now: the police first, with one tap, before anything else on the page. */
export function Call110 ({ text = '孩子现在有危险：请先拨打 110', hint = '报警后再回来把情况写下来报告。' }: { text?: string, hint?: string }) {
  return (
    <View className='sg-110' data-testid='call-110'>
      <View className='sg-110__text'>{text}</View>
      {hint && <View className='sg-110__hint'>{hint}</View>}
      <Button block size='large' type='danger' data-testid='call-110-button' onClick={() => call('110')}>拨打 110</Button>
    </View>
  )
}

// ---- Failures ----

// ---- Times, all in Asia/Shanghai ----

/** 今天 17:30 / 昨天 09:10 / 12月3日 周四 17:30 (with the year when it is not this year). */
export function whenLabel (at: Date, now: Date = new Date()): string {
  const day = toDateKey(at)
  const today = toDateKey(now)
  const hm = shanghaiWall(at).format('HH:mm')
  if (day === today) return `今天 ${hm}`
  if (day === addDays(today, -1)) return `昨天 ${hm}`
  const d = shanghaiWall(at)
  const year = d.year() !== shanghaiWall(now).year() ? `${d.year()}年` : ''
  return `${year}${d.month() + 1}月${d.date()}日 ${WEEKDAY_LABELS[weekdayOf(day)]} ${hm}`
}

export { dayLabel } from '../../services/format'

// ---- Pills ----

export type Tone = 'red' | 'orange' | 'blue' | 'green' | 'grey'

export function Pill ({ tone, children, testId }: PropsWithChildren<{ tone: Tone, testId?: string }>) {
  return <View className={`sg-pill sg-pill--${tone}`} data-testid={testId}>{children}</View>
}

export type ReportState = 'delivered' | 'acknowledged' | 'handled' | 'closed'
const STATE_TONE: Record<ReportState, Tone> = { delivered: 'red', acknowledged: 'orange', handled: 'blue', closed: 'green' }

export function StatePill ({ state, label }: { state: ReportState, label: string }) {
  return <Pill tone={STATE_TONE[state]} testId='report-state'>{label}</Pill>
}

// ---- Form fields ----

export function Field ({ label, hint, error, optional, testId, children }: PropsWithChildren<{
  label: ReactNode, hint?: ReactNode, error?: string, optional?: boolean, testId?: string
}>) {
  return (
    <View className={error ? 'sg-field sg-field--error' : 'sg-field'} data-testid={testId}>
      <View className='sg-field__label'><Text>{label}</Text>{optional && <Text className='sg-field__optional'>（可不填）</Text>}</View>
      {hint && <View className='sg-field__hint'>{hint}</View>}
      {children}
      {error && <View className='sg-field__error' data-testid={testId ? `${testId}-error` : 'field-error'}>{error}</View>}
    </View>
  )
}

export function LongText ({ value, onChange, placeholder, maxLength, rows = 4, testId }: {
  value: string, onChange: (v: string) => void, placeholder?: string, maxLength: number, rows?: number, testId?: string
}) {
  return (
    <View className='sg-box' data-testid={testId}>
      <TextArea value={value} onChange={onChange} placeholder={placeholder} maxLength={maxLength} rows={rows} showCount={value.length > maxLength * 0.8} />
    </View>
  )
}

export function ShortText ({ value, onChange, placeholder, maxLength, testId }: {
  value: string, onChange: (v: string) => void, placeholder?: string, maxLength: number, testId?: string
}) {
  return (
    <View className='sg-box' data-testid={testId}>
      <Input value={value} onChange={onChange} placeholder={placeholder} maxLength={maxLength} clearable={false} />
    </View>
  )
}

/** Big chips: one tap to choose, again to un-choose (several may be on when `multi`). */
export function Chips<T extends string> ({ options, value, onChange, testId }: {
  options: ReadonlyArray<{ value: T, label: string }>, value: readonly T[], onChange: (v: T[]) => void, testId: string
}) {
  return (
    <View className='sg-chips' data-testid={testId}>
      {options.map((o) => {
        const on = value.includes(o.value)
        return (
          <View key={o.value} className={on ? 'sg-chip sg-chip--on' : 'sg-chip'} data-testid={`${testId}-${o.value}`}
            onClick={() => onChange(on ? value.filter((v) => v !== o.value) : [...value, o.value])}>
            {on && <Text className='sg-chip__tick'>✓ </Text>}{o.label}
          </View>
        )
      })}
    </View>
  )
}

/** One of a few: the same chips, one on at a time. */
export function OneOf<T extends string> ({ options, value, onChange, testId }: {
  options: ReadonlyArray<{ value: T, label: string }>, value: T | undefined, onChange: (v: T) => void, testId: string
}) {
  return <Chips options={options} value={value ? [value] : []} onChange={(v) => { const last = v[v.length - 1]; if (last) onChange(last) }} testId={testId} />
}

/** A day (YYYY-MM-DD, Shanghai): 今天 and 昨天 with one tap, any other day on three wheels. */
export function DayPicker (props: { value: string | undefined, onChange: (day: string) => void, start: string, end: string, title?: string, testId?: string }) {
  return <RecentDayPicker {...props} chipClass='sg-chip' />
}
