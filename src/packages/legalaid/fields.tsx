/** Form pieces of the legal-aid pages: a label above, a big control, the field's own message under it. */
import { useState, type PropsWithChildren, type ReactNode } from 'react'
import { View, Text } from '@tarojs/components'
import { Button } from '../../components/nut'
import { Input, TextArea } from './nut'
import { dayLabel } from './parts'
import { DayWheels } from '../../components/DayWheels'

export function Field ({ label, hint, error, optional, testId, children }: PropsWithChildren<{
  label: ReactNode, hint?: ReactNode, error?: string, optional?: boolean, testId?: string
}>) {
  return (
    <View className={error ? 'la-field la-field--error' : 'la-field'} data-testid={testId}>
      <View className='la-field__label'><Text>{label}</Text>{optional && <Text className='la-field__optional'>（可不填）</Text>}</View>
      {hint && <View className='la-field__hint'>{hint}</View>}
      {children}
      {error && <View className='la-field__error' data-testid={testId ? `${testId}-error` : 'field-error'}>{error}</View>}
    </View>
  )
}

export function LongText ({ value, onChange, placeholder, maxLength, rows = 4 }: {
  value: string, onChange: (v: string) => void, placeholder?: string, maxLength: number, rows?: number
}) {
  return (
    <View className='la-box'>
      <TextArea value={value} onChange={onChange} placeholder={placeholder} maxLength={maxLength} rows={rows} showCount={value.length > maxLength * 0.8} />
    </View>
  )
}

export function ShortText ({ value, onChange, placeholder, maxLength }: {
  value: string, onChange: (v: string) => void, placeholder?: string, maxLength: number
}) {
  return (
    <View className='la-box'>
      <Input value={value} onChange={onChange} placeholder={placeholder} maxLength={maxLength} clearable={false} />
    </View>
  )
}

/** Two big buttons side by side (yes / no); the chosen one filled. */
export function Pair<T extends string> ({ options, value, onChange, testId }: {
  options: ReadonlyArray<{ value: T, label: string }>, value: T | undefined, onChange: (v: T) => void, testId?: string
}) {
  return (
    <View className='la-pair' data-testid={testId}>
      {options.map((o) => (
        <Button key={o.value} shape='round' type={o.value === value ? 'primary' : 'default'} data-testid={`${testId ?? 'pair'}-${o.value}`}
          onClick={() => onChange(o.value)}>{o.label}</Button>
      ))}
    </View>
  )
}

/** Quick answers that fill a text box with one tap. */
export function Chips ({ options, value, onChange }: { options: readonly string[], value: string, onChange: (v: string) => void }) {
  return (
    <View className='la-chips'>
      {options.map((o) => (
        <Button key={o} size='small' shape='round' type={o === value ? 'primary' : 'default'} onClick={() => onChange(o === value ? '' : o)}>{o}</Button>
      ))}
    </View>
  )
}

/** A day (YYYY-MM-DD, Shanghai) on three wheels. */
export function DayPicker ({ value, onChange, start, end, title = '选择日期', testId }: {
  value: string | undefined, onChange: (day: string) => void, start: string, end: string, title?: string, testId?: string
}) {
  const [open, setOpen] = useState(false)
  return (
    <View data-testid={testId}>
      <View className='la-picker' onClick={() => setOpen(true)}>
        {value ? <Text>{dayLabel(value)}</Text> : <Text className='la-placeholder'>点这里选日期</Text>}
        <Text>›</Text>
      </View>
      <DayWheels open={open} onClose={() => setOpen(false)} value={value} initial={start} start={start} end={end} title={title} onPick={onChange} />
    </View>
  )
}
