/** Choosing from a list: short lists are rows of big buttons (one tap, nothing to scroll); long lists open a picker. */
import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import { Cell } from './nut'
import { Checkbox } from './nut-forms/Checkbox'
import { Picker } from './nut-forms/Picker'
import { Radio } from './nut-forms/Radio'

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
