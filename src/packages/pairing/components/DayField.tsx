import { useState } from 'react'
import { View } from '@tarojs/components'
import { addDays } from '../../../domain'
import { dateWords, monthDay, today } from '../../../services/format'
import { DayWheels } from '../../../components/DayWheels'

/**
 * A day in a tap or two: 今天, 昨天, 前天 as buttons, any other day on the date wheels, the day chosen written in full
 * under them. Days are Shanghai days (YYYY-MM-DD); nothing after `latest` (default today) can be chosen.
 */
export function DayField ({ value, onChange, earliest, latest, quick = true, testId }: {
  value: string | undefined, onChange: (day: string) => void, earliest: string, latest?: string, quick?: boolean, testId?: string
}) {
  const [open, setOpen] = useState(false)
  const last = latest ?? today()
  const near = [{ day: last, label: '今天' }, { day: addDays(last, -1), label: '昨天' }, { day: addDays(last, -2), label: '前天' }]
    .filter((d) => d.day >= earliest)
  const isNear = near.some((d) => d.day === value)
  return (
    <View data-testid={testId}>
      <View className='choice'>
        {quick && near.map((d) => (
          <View key={d.day} className={value === d.day ? 'pr-chip pr-chip--on' : 'pr-chip'} onClick={() => onChange(d.day)} data-testid='day-quick'>{d.label}</View>
        ))}
        <View className={value && !isNear ? 'pr-chip pr-chip--on' : 'pr-chip'} onClick={() => setOpen(true)} data-testid='day-other'>
          {value && !isNear ? monthDay(value) : (quick ? '其他日子' : '选日期')}
        </View>
      </View>
      {value && <View className='field__hint' data-testid='day-value'>{dateWords(value)}</View>}
      <DayWheels open={open} onClose={() => setOpen(false)} value={value} initial={last} start={earliest} end={last} onPick={onChange} />
    </View>
  )
}
