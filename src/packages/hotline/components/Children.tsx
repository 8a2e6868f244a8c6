/** A parent's bound children with their care room and this week's call, each a tap away. */
import { View, Text } from '@tarojs/components'
import type { z } from 'zod'
import type { hotlineContract } from '../../../domain'

export type ChildOverview = z.infer<typeof hotlineContract.overview.output>['children'][number]

/** This week (Monday to Sunday, Shanghai) in words: held, booked, a direct call awaiting home's word, or nothing yet. */
export function WeekState ({ week }: { week: ChildOverview['thisWeek'] }) {
  if (week.held) return <Text className='hl-week hl-week--held' data-testid='week-state'>本周已通话</Text>
  if (week.booked) return <Text className='hl-week hl-week--booked' data-testid='week-state'>本周已约好，还没通话</Text>
  if (week.awaitingConfirm) return <Text className='hl-week hl-week--booked' data-testid='week-state'>打到家里的电话，等家里确认</Text>
  return <Text className='hl-week hl-week--none' data-testid='week-state'>本周还没通话</Text>
}

export function ChildChooser ({ list, onChoose, title }: { list: ChildOverview[], onChoose: (childId: string) => void, title: string }) {
  return (
    <View>
      <View className='title'>{title}</View>
      {list.map((c) => (
        <View key={c.childId} className='hl-card hl-card--tap' data-testid='child-choice' onClick={() => onChoose(c.childId)}>
          <View className='hl-row'>
            <Text className='hl-name'>{c.childName}</Text>
            <WeekState week={c.thisWeek} />
          </View>
          <View className='hl-sub'>{c.room ? c.room.name : '学校还没有开通真情关爱室'}</View>
        </View>
      ))}
    </View>
  )
}
