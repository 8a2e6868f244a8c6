/** Pieces the oversight pages share: the frame, times in words, form fields. */
import { useRef, type PropsWithChildren, type ReactNode } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { Page } from '../../components/Page'
import { CloudError } from '../../services/cloud'
import { shanghaiWall, toDateKey } from '../../domain'
import { TextArea } from './nut'
import { RecentDayPicker } from '../../components/DayWheels'
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

export { dayLabel } from '../../services/format'

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

/** A day (YYYY-MM-DD, Shanghai): 今天 and 昨天 with one tap, any other on three wheels. */
export function DayPicker (props: { value: string | undefined, onChange: (day: string) => void, start: string, end: string, title?: string, testId?: string }) {
  return <RecentDayPicker {...props} chipClass='ov-chip' />
}
