/** Pieces the oversight pages share: the frame, times in words, form fields. */
import { useMemo, useRef, useState, type PropsWithChildren, type ReactNode } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { Page } from '../../components/Page'
import { CloudError } from '../../services/cloud'
import { WEEKDAY_LABELS, addDays, shanghaiWall, toDateKey, weekdayOf } from '../../domain'
import { DatePicker, TextArea } from './nut'
import './oversight.scss'

export const PACKAGE = '/packages/oversight/pages'
export const go = (url: string) => Taro.navigateTo({ url })

export function OvPage ({ testId, children }: PropsWithChildren<{ testId?: string }>) {
  return <Page testId={testId}><View className='ov-root'>{children}</View></Page>
}

export function messageOf (err: unknown): string {
  return err instanceof CloudError ? err.message : '服务暂时出错，请稍后再试'
}

export function fieldsOf (err: unknown): Record<string, string> {
  if (!(err instanceof CloudError) || !err.fields) return {}
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(err.fields)) {
    const name = k.split('.')[0]
    if (!(name in out)) out[name] = v
  }
  return out
}

export function Failure ({ message }: { message?: string }) {
  if (!message) return null
  return <View className='error-box' data-testid='failure'><Text>{message}</Text></View>
}

/** 2026年12月3日 14:05, in Asia/Shanghai. */
export function fullTime (at: Date): string {
  return shanghaiWall(at).format('YYYY年M月D日 HH:mm')
}

/** YYYY-MM-DD -> 12月10日 周四 (with the year when it is not this year). */
export function dayLabel (key: string, now: Date = new Date()): string {
  const [y, m, d] = key.split('-').map(Number)
  if (!y || !m || !d) return key
  const year = y !== shanghaiWall(now).year() ? `${y}年` : ''
  return `${year}${m}月${d}日 ${WEEKDAY_LABELS[weekdayOf(key)]}`
}

export function today (): string {
  return toDateKey(new Date())
}

export function useReloadOnShow (reload: () => void): void {
  const first = useRef(true)
  useDidShow(() => {
    if (!first.current) reload()
    first.current = false
  })
}

export function Field ({ label, hint, error, testId, children }: PropsWithChildren<{ label: ReactNode, hint?: ReactNode, error?: string, testId?: string }>) {
  return (
    <View className={error ? 'ov-field ov-field--error' : 'ov-field'} data-testid={testId}>
      <View className='ov-field__label'>{label}</View>
      {hint && <View className='ov-field__hint'>{hint}</View>}
      {children}
      {error && <View className='ov-field__error' data-testid={testId ? `${testId}-error` : 'field-error'}>{error}</View>}
    </View>
  )
}

export function LongText ({ value, onChange, placeholder, maxLength, rows = 3, testId }: {
  value: string, onChange: (v: string) => void, placeholder?: string, maxLength: number, rows?: number, testId?: string
}) {
  return (
    <View className='ov-box' data-testid={testId}>
      <TextArea value={value} onChange={onChange} placeholder={placeholder} maxLength={maxLength} rows={rows} showCount={value.length > maxLength * 0.8} />
    </View>
  )
}

export function OneOf<T extends string> ({ options, value, onChange, testId }: {
  options: ReadonlyArray<{ value: T, label: string }>, value: T | undefined, onChange: (v: T) => void, testId: string
}) {
  return (
    <View className='ov-chips' data-testid={testId}>
      {options.map((o) => (
        <View key={o.value} className={o.value === value ? 'ov-chip ov-chip--on' : 'ov-chip'} data-testid={`${testId}-${o.value}`} onClick={() => onChange(o.value)}>
          {o.value === value && <Text>✓ </Text>}{o.label}
        </View>
      ))}
    </View>
  )
}

function dayToLocalDate (day: string): Date {
  const [y, m, d] = day.split('-').map(Number)
  return new Date(y, m - 1, d)
}
function localDateToDay (date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

/** A day (YYYY-MM-DD, Shanghai): 今天 with one tap, any other on three wheels. */
export function DayPicker ({ value, onChange, start, end, title = '选择日期', testId }: {
  value: string | undefined, onChange: (day: string) => void, start: string, end: string, title?: string, testId?: string
}) {
  const [open, setOpen] = useState(false)
  const startDate = useMemo(() => dayToLocalDate(start), [start])
  const endDate = useMemo(() => dayToLocalDate(end), [end])
  const shown = useMemo(() => dayToLocalDate(value ?? end), [value, end])
  const t = today()
  const y = addDays(t, -1)
  const other = value !== undefined && value !== t && value !== y
  return (
    <View data-testid={testId}>
      <View className='ov-chips'>
        <View className={value === t ? 'ov-chip ov-chip--on' : 'ov-chip'} onClick={() => onChange(t)}>今天</View>
        <View className={value === y ? 'ov-chip ov-chip--on' : 'ov-chip'} onClick={() => onChange(y)}>昨天</View>
        <View className={other ? 'ov-chip ov-chip--on' : 'ov-chip'} onClick={() => setOpen(true)}>{other ? dayLabel(value) : '更早…'}</View>
      </View>
      <DatePicker visible={open} title={title} type='date' showChinese threeDimensional={false}
        startDate={startDate} endDate={endDate} value={shown}
        onConfirm={(_o, v) => {
          const [yy, m, d] = v.map(Number)
          if (yy && m && d) onChange(localDateToDay(new Date(yy, m - 1, d)))
        }}
        onClose={() => setOpen(false)} />
    </View>
  )
}
