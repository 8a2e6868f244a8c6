/** The legal-aid form's own answers: yes or no as two big buttons, quick answers that fill a text box, a day. */
import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import { dayWords } from '../../../services/format'
import { Button } from '../../../components/nut'
import { DayWheels } from '../../../components/DayWheels'

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

/** Quick answers that fill a text box with one tap (again to clear it). */
export function QuickAnswers ({ options, value, onChange }: { options: readonly string[], value: string, onChange: (v: string) => void }) {
  return (
    <View className='la-chips'>
      {options.map((o) => (
        <Button key={o} size='small' shape='round' type={o === value ? 'primary' : 'default'} onClick={() => onChange(o === value ? '' : o)}>{o}</Button>
      ))}
    </View>
  )
}

/** A day to come (a court date, a hearing) on three wheels, shown as a day to act on. */
export function DayPicker ({ value, onChange, start, end, title = '选择日期', testId }: {
  value: string | undefined, onChange: (day: string) => void, start: string, end: string, title?: string, testId?: string
}) {
  const [open, setOpen] = useState(false)
  return (
    <View data-testid={testId}>
      <View className='la-picker' onClick={() => setOpen(true)}>
        {value ? <Text>{dayWords(value)}</Text> : <Text className='la-placeholder'>点这里选日期</Text>}
        <Text>›</Text>
      </View>
      <DayWheels open={open} onClose={() => setOpen(false)} value={value} initial={start} start={start} end={end} title={title} onPick={onChange} />
    </View>
  )
}
