/**
 * Form pieces for tired eyes: a label above, a large control, and the field's own Chinese message under it.
 * Short lists are rows of big buttons (one tap, nothing to scroll); long lists open a picker. An area's
 * stylesheet may size them under its root (Page's className).
 * Imported only from subpackage pages: the build keeps them and their NutUI widgets out of the main package.
 */
import { useState, type PropsWithChildren, type ReactNode } from 'react'
import { View, Text } from '@tarojs/components'
import { Cell } from './nut'
import { Checkbox, Input, Picker, Radio, TextArea } from './nut-forms'
import { DayWheels } from './DayWheels'
import { dateWords } from '../services/format'

/**
 * A label, the control, a hint and the field's message. The hint comes under the control (a note on what was
 * entered) or, with `hintAbove`, under the label (how to answer, read before answering).
 */
export function Field ({ label, error, hint, hintAbove = false, optional, testId, children }: PropsWithChildren<{
  label: ReactNode, error?: string, hint?: ReactNode, hintAbove?: boolean, optional?: boolean, testId?: string
}>) {
  const hintView = hint ? <View className='field__hint'>{hint}</View> : null
  return (
    <View className={error ? 'field field--error' : 'field'} data-testid={testId}>
      <View className='field__label'>
        <Text>{label}</Text>{optional && <Text className='field__optional'>（可不填）</Text>}
      </View>
      {hintAbove && hintView}
      <View className='field__control'>{children}</View>
      {!hintAbove && hintView}
      {error && <View className='field__error' data-testid={testId ? `${testId}-error` : 'field-error'}>{error}</View>}
    </View>
  )
}

interface Option<T extends string | number = string> { value: T, label: string }

/** Longer lists than this open a picker instead of showing a button each. */
const BUTTONS_MAX = 8

/**
 * One of a few: big buttons in a row; one of many: a cell that opens a picker, unless `alwaysButtons` (times of
 * day, places: a row of chips reads better than wheels even when there are many).
 */
export function Choice<T extends string | number> ({ value, options, onChange, title, placeholder = '请选择', alwaysButtons = false, testId }: {
  value: T | undefined, options: ReadonlyArray<Option<T>>, onChange: (v: T) => void, title?: string, placeholder?: string, alwaysButtons?: boolean, testId?: string
}) {
  const [open, setOpen] = useState(false)
  const pick = (v: unknown) => { const o = options.find((x) => String(x.value) === String(v)); if (o) onChange(o.value) }
  if (alwaysButtons || options.length <= BUTTONS_MAX) {
    return (
      <Radio.Group className='choice' direction='horizontal' value={value === undefined ? '' : String(value)} onChange={pick} data-testid={testId}>
        {options.map((o) => <Radio key={String(o.value)} shape='button' value={String(o.value)}>{o.label}</Radio>)}
      </Radio.Group>
    )
  }
  const current = options.find((o) => o.value === value)
  return (
    <View data-testid={testId}>
      <Cell className='picker-cell' title={current ? current.label : <Text className='placeholder'>{placeholder}</Text>}
        extra='›' onClick={() => setOpen(true)} />
      <Picker visible={open} title={title ?? placeholder} options={[options.map((o) => ({ label: o.label, value: String(o.value) }))]}
        value={value === undefined ? undefined : [String(value)]}
        onConfirm={(_o, v) => { if (v[0] != null) pick(v[0]) }}
        onClose={() => setOpen(false)} />
    </View>
  )
}

/** Any of a few: big buttons that stay pressed. */
export function MultiChoice<T extends string | number> ({ value, options, onChange, testId }: {
  value: readonly T[], options: ReadonlyArray<Option<T>>, onChange: (v: T[]) => void, testId?: string
}) {
  return (
    <Checkbox.Group className='choice' direction='horizontal' value={value.map(String)} data-testid={testId}
      onChange={(v: string[]) => onChange(options.filter((o) => v.includes(String(o.value))).map((o) => o.value))}>
      {options.map((o) => <Checkbox key={String(o.value)} shape='button' value={String(o.value)} label={o.label} />)}
    </Checkbox.Group>
  )
}

/** Big chips, each a tap to choose and again to un-choose; `testId-value` names each. */
export function Chips<T extends string> ({ options, value, onChange, testId }: {
  options: ReadonlyArray<Option<T>>, value: readonly T[], onChange: (v: T[]) => void, testId: string
}) {
  return (
    <View className='chips' data-testid={testId}>
      {options.map((o) => {
        const on = value.includes(o.value)
        return (
          <View key={o.value} className={on ? 'chip chip--on' : 'chip'} data-testid={`${testId}-${o.value}`}
            onClick={() => onChange(on ? value.filter((v) => v !== o.value) : [...value, o.value])}>
            {on && <Text className='chip__tick'>✓ </Text>}{o.label}
          </View>
        )
      })}
    </View>
  )
}

/** One of a few: the same chips, one on at a time. */
export function OneOf<T extends string> ({ options, value, onChange, testId }: {
  options: ReadonlyArray<Option<T>>, value: T | undefined, onChange: (v: T) => void, testId: string
}) {
  return <Chips options={options} value={value ? [value] : []} onChange={(v) => { const last = v[v.length - 1]; if (last) onChange(last) }} testId={testId} />
}

/** A date of record (YYYY-MM-DD, Shanghai: a birth date, the day a change takes effect) picked on three wheels. */
export function DateField ({ value, onChange, start, end, initial, title = '选择日期', placeholder = '点这里选择日期', testId }: {
  value: string | undefined, onChange: (day: string) => void, start: string, end: string,
  /** where the wheels start when nothing is chosen yet */
  initial?: string, title?: string, placeholder?: string, testId?: string
}) {
  const [open, setOpen] = useState(false)
  return (
    <View data-testid={testId}>
      <Cell className='picker-cell'
        title={value ? <Text>{dateWords(value)}</Text> : <Text className='placeholder'>{placeholder}</Text>}
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

/** A few lines of text; how many characters are left shows once most are used. */
export function LongText ({ value, onChange, placeholder, maxLength, rows = 4, autoSize = false, testId }: {
  value: string, onChange: (v: string) => void, placeholder?: string, maxLength: number, rows?: number, autoSize?: boolean, testId?: string
}) {
  return (
    <View className='text-input' data-testid={testId}>
      <TextArea value={value} onChange={onChange} placeholder={placeholder} maxLength={maxLength} rows={rows} autoSize={autoSize} showCount={value.length > maxLength * 0.8} />
    </View>
  )
}
