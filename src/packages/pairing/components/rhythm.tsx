/** The child as a volunteer sees it, and the rhythm of a pairing: this month's talk, this quarter's visit. */
import { View, Text } from '@tarojs/components'
import type { z } from 'zod'
import type { ChildForVolunteer, PairingView } from '../../../domain'
import { lastDayBefore, monthDay, monthName, quarterName } from '../../../services/format'
import { Pill } from '../../../components/Notice'
import { GENDER_LABELS } from '../labels'

type Child = z.infer<typeof ChildForVolunteer>
type Rhythm = z.infer<typeof PairingView>['rhythm']

/** 男 · 9岁 · 石桥村 / 石桥镇中心小学 四年级（2）班 / needs as tags */
export function ChildFacts ({ child }: { child: Child }) {
  return (
    <View>
      <View className='pr-sub' data-testid='child-facts'>{GENDER_LABELS[child.gender]} · {child.age}岁 · {child.villageName}</View>
      <View className='pr-sub'>{child.schoolName} {child.className}</View>
      {child.needs.length > 0 && (
        <View className='pr-tags'>
          {child.needs.map((n) => <Text key={n} className='pr-tag'>{n}</Text>)}
        </View>
      )}
    </View>
  )
}

/** Two big badges: 已完成 in green, 待完成 in orange, each with the last day of its period. */
export function RhythmBadges ({ rhythm }: { rhythm: Rhythm }) {
  const quarter = quarterName(rhythm.quarter)
  const monthEnd = lastDayBefore(rhythm.monthEndsAt)
  const quarterEnd = lastDayBefore(rhythm.quarterEndsAt)
  return (
    <View className='pr-rhythm'>
      <View className={rhythm.talkDone ? 'pr-badge pr-badge--done' : 'pr-badge pr-badge--due'} data-testid='talk-badge' data-done={rhythm.talkDone ? 'yes' : 'no'}>
        <View className='pr-badge__what'>{monthName(rhythm.month)}谈心</View>
        <View className='pr-badge__state' data-testid='talk-state'>{rhythm.talkDone ? '已完成 ✓' : '待完成'}</View>
        <View className='pr-badge__when'>{rhythm.talkDone ? `本月到${monthDay(monthEnd)}` : `${monthDay(monthEnd)}前要谈一次`}</View>
      </View>
      <View className={rhythm.visitDone ? 'pr-badge pr-badge--done' : 'pr-badge pr-badge--due'} data-testid='visit-badge' data-done={rhythm.visitDone ? 'yes' : 'no'}>
        <View className='pr-badge__what'>{quarter}看望</View>
        <View className='pr-badge__state' data-testid='visit-state'>{rhythm.visitDone ? '已完成 ✓' : '待完成'}</View>
        <View className='pr-badge__when'>{rhythm.visitDone ? `本季度到${monthDay(quarterEnd)}` : `${monthDay(quarterEnd)}前要上门一次`}</View>
      </View>
    </View>
  )
}

/** The same in one line, for lists. */
export function RhythmLine ({ rhythm }: { rhythm: Rhythm }) {
  return (
    <View className='pr-rhythm-line'>
      <Pill tone={rhythm.talkDone ? 'green' : 'orange'} testId='talk-pill'>本月谈心{rhythm.talkDone ? ' ✓' : ' 待完成'}</Pill>
      <Pill tone={rhythm.visitDone ? 'green' : 'orange'} testId='visit-pill'>本季看望{rhythm.visitDone ? ' ✓' : ' 待完成'}</Pill>
    </View>
  )
}
