/**
 * Weekly ranges (days of the week + start and end), as a room's open hours or a parent's free hours: each range a
 * card with weekday buttons and two times, each with its own message from the shared schema.
 */
import { View, Text } from '@tarojs/components'
import { Button } from '../../../components/nut'
import type { WeeklyRange } from '../../../domain'
import { Field } from '../../../components/Field'
import { weekdaysWords } from '../../../services/format'
import { TimeField, WeekdayChips } from './choices'

export function RangesEditor ({ ranges, onChange, errors, prefix, addLabel = '＋ 再加一段时间', newRange, testId = 'range' }: {
  ranges: WeeklyRange[]
  onChange: (ranges: WeeklyRange[]) => void
  /** field messages, keyed by path ('openHours.0.end' with prefix 'openHours', or '0.end' with prefix '') */
  errors: Record<string, string>
  prefix: string
  addLabel?: string
  newRange: () => WeeklyRange
  testId?: string
}) {
  const at = (i: number, key: string) => errors[[prefix, String(i), key].filter(Boolean).join('.')]
  const set = (i: number, patch: Partial<WeeklyRange>) => onChange(ranges.map((r, j) => (j === i ? { ...r, ...patch } : r)))
  return (
    <View>
      {ranges.map((r, i) => {
        const rangeError = at(i, '') ?? at(i, 'start') ?? at(i, 'end')
        return (
          <View key={i} className={rangeError ? 'hl-range hl-range--error' : 'hl-range'} data-testid={`${testId}-${i}`}>
            <View className='hl-range__head'>
              <Text className='hl-range__title'>第{i + 1}段：{r.days.length ? weekdaysWords(r.days) : '还没选星期'} {r.start}–{r.end}</Text>
              <Text className='hl-link' onClick={() => onChange(ranges.filter((_x, j) => j !== i))}>删除</Text>
            </View>
            <Field label='哪几天' error={at(i, 'days')}>
              <WeekdayChips value={r.days} onChange={(days) => set(i, { days })} />
            </Field>
            <View className='hl-times'>
              <View className='hl-times__one'>
                <Field label='从' error={at(i, 'start')}>
                  <TimeField value={r.start} onChange={(start) => set(i, { start })} title='开始时间' testId={`${testId}-${i}-start`} />
                </Field>
              </View>
              <View className='hl-times__one'>
                <Field label='到' error={at(i, 'end')}>
                  <TimeField value={r.end} onChange={(end) => set(i, { end })} title='结束时间' end testId={`${testId}-${i}-end`} />
                </Field>
              </View>
            </View>
          </View>
        )
      })}
      <View className='hl-gap'>
        <Button block size='large' fill='outline' type='primary' onClick={() => onChange([...ranges, newRange()])}>{addLabel}</Button>
      </View>
    </View>
  )
}
