// Picking a day (YYYY-MM-DD, Asia/Shanghai) on NutUI's three wheels, shared by every day field of the app.
// Imported only from subpackage pages, so the build keeps it (and the picker's stylesheet) out of the main package.
import '@nutui/nutui-react-taro/dist/es/packages/datepicker/style/css'
import { useMemo, useState } from 'react'
import { View, Text } from '@tarojs/components'
import { DatePicker } from '@nutui/nutui-react-taro'
import { addDays } from '../domain'
import { Cell } from './nut'
import { dateWords, dayToLocalDate, dayWords, localDateToDay, today } from '../services/format'

/** The wheels, open while `open`: a day between `start` and `end`, starting at `value` (else `initial`, else `end`). */
export function DayWheels ({ open, onClose, value, initial, start, end, title = '选择日期', onPick }: {
  open: boolean, onClose: () => void, value: string | undefined, initial?: string, start: string, end: string, title?: string, onPick: (day: string) => void
}) {
  // Stable Dates: the picker rebuilds its wheels whenever these change identity.
  const startDate = useMemo(() => dayToLocalDate(start), [start])
  const endDate = useMemo(() => dayToLocalDate(end), [end])
  const shown = useMemo(() => dayToLocalDate(value ?? initial ?? end), [value, initial, end])
  return (
    <DatePicker visible={open} title={title} type='date' showChinese threeDimensional={false}
      startDate={startDate} endDate={endDate} value={shown}
      onConfirm={(_o, v) => {
        const [y, m, d] = v.map(Number)
        if (y && m && d) onPick(localDateToDay(new Date(y, m - 1, d)))
      }}
      onClose={onClose} />
  )
}

/**
 * A day that is usually recent (when something was seen, when a duty was done): 今天 and 昨天 with one tap, any
 * other day on the wheels; the chips are those of Chips.tsx (`chips`, `chip`, `chip--on`).
 */
export function RecentDayPicker ({ value, onChange, start, end, title, testId = 'day' }: {
  value: string | undefined, onChange: (day: string) => void, start: string, end: string, title?: string, testId?: string
}) {
  const [open, setOpen] = useState(false)
  const t = today()
  const y = addDays(t, -1)
  const other = value !== undefined && value !== t && value !== y
  const chip = (on: boolean) => on ? 'chip chip--on' : 'chip'
  return (
    <View data-testid={testId}>
      <View className='chips'>
        <View className={chip(value === t)} data-testid={`${testId}-today`} onClick={() => onChange(t)}>今天</View>
        <View className={chip(value === y)} data-testid={`${testId}-yesterday`} onClick={() => onChange(y)}>昨天</View>
        <View className={chip(other)} data-testid={`${testId}-other`} onClick={() => setOpen(true)}>{other ? dayWords(value) : '更早…'}</View>
      </View>
      <DayWheels open={open} onClose={() => setOpen(false)} value={value} start={start} end={end} title={title} onPick={onChange} />
    </View>
  )
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
