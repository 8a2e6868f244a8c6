/**
 * Free slots grouped by day: a strip of the next days (each with how many times are free), then the chosen day's
 * times as large buttons with the devices left. Days and times are Shanghai's.
 */
import { useMemo, useState, type ReactNode } from 'react'
import { View, Text, ScrollView } from '@tarojs/components'
import type { z } from 'zod'
import { addDays, type SlotView } from '../../../domain'
import { dayOf, monthDay, nearName, timeOf, today, weekdayLabel } from '../../../services/format'

export type Slot = z.infer<typeof SlotView>

export function SlotPicker ({ slots, days = 14, initialDay, onPick, chosenKey, dayFooter }: {
  slots: readonly Slot[]
  days?: number
  /** the day shown first; by default the day of the first slot (the server's preferred-first order) */
  initialDay?: string
  onPick: (slot: Slot) => void
  /** a slot to show as chosen */
  chosenKey?: string
  /** shown under the chosen day's times (e.g. the waiting-list link) */
  dayFooter?: (day: string, free: number) => ReactNode
}) {
  const byDay = useMemo(() => {
    const map = new Map<string, Slot[]>()
    for (const s of slots) {
      const d = dayOf(s.start)
      map.set(d, [...(map.get(d) ?? []), s])
    }
    for (const list of map.values()) list.sort((a, b) => a.start.getTime() - b.start.getTime())
    return map
  }, [slots])
  const strip = useMemo(() => {
    const first = today()
    const list = Array.from({ length: days }, (_x, i) => addDays(first, i))
    // a slot beyond the strip (a longer horizon) still gets its day
    for (const d of byDay.keys()) if (!list.includes(d)) list.push(d)
    return list.sort()
  }, [byDay, days])
  const first = initialDay ?? (slots[0] ? dayOf(slots[0].start) : strip[0])
  const [day, setDay] = useState(first)
  const shown = byDay.get(day) ?? []

  return (
    <View className='hl-slots'>
      <ScrollView scrollX className='hl-days' scrollIntoView={`day-${day}`} scrollWithAnimation>
        {strip.map((d) => {
          const n = byDay.get(d)?.length ?? 0
          return (
            <View key={d} id={`day-${d}`} data-testid='day-chip' data-day={d}
              className={`hl-day${d === day ? ' hl-day--on' : ''}${n === 0 ? ' hl-day--none' : ''}`} onClick={() => setDay(d)}>
              <View className='hl-day__name'>{nearName(d) ?? weekdayLabel(d)}</View>
              <View className='hl-day__date'>{monthDay(d)}</View>
              <View className='hl-day__count'>{n === 0 ? '无空位' : `${n}个空位`}</View>
            </View>
          )
        })}
      </ScrollView>
      <View className='hl-slots__title'>{monthDay(day)} {weekdayLabel(day)}{nearName(day) ? `（${nearName(day)}）` : ''}</View>
      {shown.length === 0
        ? <View className='hl-slots__none' data-testid='day-empty'>这天没有空位了，可以看看别的日子。</View>
        : (
          <View className='hl-grid'>
            {shown.map((s) => (
              <View key={s.key} data-testid='slot' data-key={s.key}
                className={`hl-slot${s.preferred ? ' hl-slot--preferred' : ''}${s.key === chosenKey ? ' hl-slot--on' : ''}`}
                onClick={() => onPick(s)}>
                <View className='hl-slot__time'>{timeOf(s.start)}</View>
                <View className='hl-slot__left'>{s.remaining <= 1 ? '最后1台' : `还剩${s.remaining}台`}</View>
                {s.preferred && <Text className='hl-slot__mine'>您常空闲</Text>}
              </View>
            ))}
          </View>
          )}
      {dayFooter?.(day, shown.length)}
    </View>
  )
}
