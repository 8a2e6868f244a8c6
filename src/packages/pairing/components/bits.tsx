/** Small pieces the pairing pages share: form fields, big choice buttons, a day chooser, messages. */
import { useMemo, useState, type PropsWithChildren, type ReactNode } from 'react'
import { View, Text } from '@tarojs/components'
import { Checkbox, DatePicker, Input, Radio, TextArea } from '../nut'
import { dayWords, monthDay, shiftDay, today } from '../lib'

/** A label above, the control, then the field's own message in red. */
export function Field ({ label, error, hint, optional, testId, children }: PropsWithChildren<{
  label: ReactNode, error?: string, hint?: ReactNode, optional?: boolean, testId?: string
}>) {
  return (
    <View className={error ? 'pr-field pr-field--error' : 'pr-field'} data-testid={testId}>
      <View className='pr-field__label'>
        <Text>{label}</Text>{optional && <Text className='pr-field__optional'>（可不填）</Text>}
      </View>
      <View>{children}</View>
      {hint && <View className='pr-field__hint'>{hint}</View>}
      {error && <View className='pr-field__error' data-testid={testId ? `${testId}-error` : 'field-error'}>{error}</View>}
    </View>
  )
}

export interface Option<T extends string | number> { value: T, label: string }

/** One of a few: big buttons in a row. */
export function Choice<T extends string | number> ({ value, options, onChange, testId }: {
  value: T | undefined, options: ReadonlyArray<Option<T>>, onChange: (v: T) => void, testId?: string
}) {
  return (
    <Radio.Group className='pr-choice' direction='horizontal' value={value === undefined ? '' : String(value)} data-testid={testId}
      onChange={(v) => { const o = options.find((x) => String(x.value) === String(v)); if (o) onChange(o.value) }}>
      {options.map((o) => <Radio key={String(o.value)} shape='button' value={String(o.value)}>{o.label}</Radio>)}
    </Radio.Group>
  )
}

/** Any of a few: big buttons that stay pressed. */
export function MultiChoice<T extends string | number> ({ value, options, onChange, testId }: {
  value: readonly T[], options: ReadonlyArray<Option<T>>, onChange: (v: T[]) => void, testId?: string
}) {
  return (
    <Checkbox.Group className='pr-choice' direction='horizontal' value={value.map(String)} data-testid={testId}
      onChange={(v: string[]) => onChange(options.filter((o) => v.includes(String(o.value))).map((o) => o.value))}>
      {options.map((o) => <Checkbox key={String(o.value)} shape='button' value={String(o.value)} label={o.label} />)}
    </Checkbox.Group>
  )
}

/**
 * A day in a tap or two: 今天, 昨天, 前天 as buttons, any other day on the date wheels. Days are Shanghai days
 * (YYYY-MM-DD); nothing after `latest` (default today) can be chosen.
 */
export function DayField ({ value, onChange, earliest, latest, quick = true, testId }: {
  value: string | undefined, onChange: (day: string) => void, earliest: string, latest?: string, quick?: boolean, testId?: string
}) {
  const [open, setOpen] = useState(false)
  const last = latest ?? today()
  const near = [{ day: last, label: '今天' }, { day: shiftDay(last, -1), label: '昨天' }, { day: shiftDay(last, -2), label: '前天' }]
    .filter((d) => d.day >= earliest)
  const isNear = near.some((d) => d.day === value)
  const local = (day: string) => { const [y, m, d] = day.split('-').map(Number); return new Date(y, m - 1, d) }
  const startDate = useMemo(() => local(earliest), [earliest])
  const endDate = useMemo(() => local(last), [last])
  const shown = useMemo(() => local(value ?? last), [value, last])
  return (
    <View data-testid={testId}>
      <View className='pr-choice'>
        {quick && near.map((d) => (
          <View key={d.day} className={value === d.day ? 'pr-chip pr-chip--on' : 'pr-chip'} onClick={() => onChange(d.day)} data-testid='day-quick'>{d.label}</View>
        ))}
        <View className={value && !isNear ? 'pr-chip pr-chip--on' : 'pr-chip'} onClick={() => setOpen(true)} data-testid='day-other'>
          {value && !isNear ? monthDay(value) : (quick ? '其他日子' : '选日期')}
        </View>
      </View>
      {value && <View className='pr-field__hint' data-testid='day-value'>{dayWords(value)}</View>}
      <DatePicker visible={open} title='选择日期' type='date' showChinese threeDimensional={false}
        startDate={startDate} endDate={endDate} value={shown}
        onConfirm={(_o, v) => {
          const [y, m, d] = v.map(Number)
          if (y && m && d) onChange(`${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`)
        }}
        onClose={() => setOpen(false)} />
    </View>
  )
}

/** A text box sized for thumbs. */
export function TextBox ({ value, onChange, placeholder, type = 'text', maxLength, testId }: {
  value: string, onChange: (v: string) => void, placeholder?: string, type?: 'text' | 'number' | 'digit', maxLength?: number, testId?: string
}) {
  return (
    <View className='pr-input' data-testid={testId}>
      <Input value={value} onChange={onChange} placeholder={placeholder} type={type} maxLength={maxLength} clearable={false} />
    </View>
  )
}

/** A few lines of text, with the count of what is left. */
export function NoteBox ({ value, onChange, placeholder, maxLength, testId }: {
  value: string, onChange: (v: string) => void, placeholder?: string, maxLength: number, testId?: string
}) {
  return (
    <View className='pr-input' data-testid={testId}>
      <TextArea value={value} onChange={onChange} placeholder={placeholder} maxLength={maxLength} showCount rows={3} autoSize />
    </View>
  )
}

/** A plain message box for something the person must read; `children` offers a way on. */
export function Notice ({ tone = 'warn', testId, children }: PropsWithChildren<{ tone?: 'warn' | 'ok' | 'danger' | 'info', testId?: string }>) {
  return <View className={`pr-notice pr-notice--${tone}`} data-testid={testId}>{children}</View>
}

/** A coloured label: green done, orange due, red stopped, grey waiting. */
export function Pill ({ tone, children, testId }: PropsWithChildren<{ tone: 'ok' | 'due' | 'bad' | 'off', testId?: string }>) {
  return <Text className={`pr-pill pr-pill--${tone}`} data-testid={testId}>{children}</Text>
}

/** The tone of a vetting state (Minors Protection Law Art. 62: no pairing without a valid check). */
export function vettingTone (state: string): 'ok' | 'due' | 'bad' | 'off' {
  if (state === 'valid') return 'ok'
  if (state === 'expiringSoon') return 'due'
  if (state === 'expired' || state === 'failed') return 'bad'
  return 'off'
}
