/** Pieces the oversight pages share: the frame, times in words, form fields. */
import { type PropsWithChildren, type ReactNode } from 'react'
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { Page } from '../../components/Page'
import { TextArea } from './nut'
import { RecentDayPicker } from '../../components/DayWheels'
import './oversight.scss'

export { Failure, messageOf, fieldsOf } from '../../components/States'
export { todayString as today, formatDateTime as fullTime } from '../../services/format'
export { useReloadOnShow } from '../../hooks/useReloadOnShow'

export const PACKAGE = '/packages/oversight/pages'
export const go = (url: string) => Taro.navigateTo({ url })

export function OvPage ({ testId, children }: PropsWithChildren<{ testId?: string }>) {
  return <Page testId={testId}><View className='ov-root'>{children}</View></Page>
}

export { dayLabel } from '../../services/format'

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
