/**
 * Form pieces for tired eyes: a label above, a large control, and the field's own Chinese message under it.
 * Short lists are rows of big buttons (one tap, nothing to scroll); long lists open a picker.
 */
import { useState, type PropsWithChildren, type ReactNode } from 'react'
import { View, Text } from '@tarojs/components'
import { Cell } from './nut'
import { Checkbox, Input, Picker, Radio } from './nut-forms'
import { DayWheels } from './DayWheels'
import { formatDay } from '../services/format'

export function Field ({ label, error, hint, optional, testId, children }: PropsWithChildren<{
  label: ReactNode, error?: string, hint?: ReactNode, optional?: boolean, testId?: string
}>) {
  return (
    <View className={error ? 'field field--error' : 'field'} data-testid={testId}>
      <View className='field__label'>
        <Text>{label}</Text>{optional && <Text className='field__optional'>（可不填）</Text>}
      </View>
      <View className='field__control'>{children}</View>
      {hint && <View className='field__hint'>{hint}</View>}
      {error && <View className='field__error' data-testid={testId ? `${testId}-error` : 'field-error'}>{error}</View>}
    </View>
  )
}

export interface Option<T extends string = string> { value: T, label: string }

/** Longer lists than this open a picker instead of showing a button each. */
const BUTTONS_MAX = 8

/** One of a few: big buttons in a row; one of many: a cell that opens a picker. */
export function Choice<T extends string> ({ value, options, onChange, title, placeholder = '请选择' }: {
  value: T | undefined, options: ReadonlyArray<Option<T>>, onChange: (v: T) => void, title?: string, placeholder?: string
}) {
  const [open, setOpen] = useState(false)
  if (options.length <= BUTTONS_MAX) {
    return (
      <Radio.Group className='choice' direction='horizontal' value={value ?? ''} onChange={(v) => onChange(String(v) as T)}>
        {options.map((o) => <Radio key={o.value} shape='button' value={o.value}>{o.label}</Radio>)}
      </Radio.Group>
    )
  }
  const current = options.find((o) => o.value === value)
  return (
    <View>
      <Cell className='picker-cell' title={current ? current.label : <Text className='placeholder'>{placeholder}</Text>}
        extra='›' onClick={() => setOpen(true)} />
      <Picker visible={open} title={title ?? placeholder} options={[options.map((o) => ({ label: o.label, value: o.value }))]}
        value={value ? [value] : undefined}
        onConfirm={(_o, v) => { if (v[0] != null) onChange(String(v[0]) as T) }}
        onClose={() => setOpen(false)} />
    </View>
  )
}

/** Any of a few: big buttons that stay pressed. */
export function MultiChoice<T extends string> ({ value, options, onChange }: {
  value: readonly T[], options: ReadonlyArray<Option<T>>, onChange: (v: T[]) => void
}) {
  return (
    <Checkbox.Group className='choice' direction='horizontal' value={[...value]}
      onChange={(v) => onChange(options.map((o) => o.value).filter((x) => v.includes(x)))}>
      {options.map((o) => <Checkbox key={o.value} shape='button' value={o.value} label={o.label} />)}
    </Checkbox.Group>
  )
}

/** A day (YYYY-MM-DD, Shanghai) picked on three wheels: year, month, day. */
export function DateField ({ value, onChange, start, end, initial, title = '选择日期', placeholder = '点这里选择日期', testId }: {
  value: string | undefined, onChange: (day: string) => void, start: string, end: string,
  /** where the wheels start when nothing is chosen yet */
  initial?: string, title?: string, placeholder?: string, testId?: string
}) {
  const [open, setOpen] = useState(false)
  return (
    <View data-testid={testId}>
      <Cell className='picker-cell'
        title={value ? <Text>{formatDay(value)}</Text> : <Text className='placeholder'>{placeholder}</Text>}
        extra='›' onClick={() => setOpen(true)} />
      <DayWheels open={open} onClose={() => setOpen(false)} value={value} initial={initial} start={start} end={end} title={title} onPick={onChange} />
    </View>
  )
}

/** A text box sized for thumbs; digits-only boxes bring up the number keyboard. */
export function TextInput ({ value, onChange, placeholder, type = 'text', maxLength, testId }: {
  value: string, onChange: (v: string) => void, placeholder?: string, type?: 'text' | 'number' | 'idcard' | 'digit', maxLength?: number, testId?: string
}) {
  return (
    <View className='text-input' data-testid={testId}>
      <Input value={value} onChange={onChange} placeholder={placeholder} type={type} maxLength={maxLength} clearable={false} />
    </View>
  )
}
