import { useState } from 'react'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { callCloud } from '../../../../services/cloud'
import { dateWords, dayOf, lastDayBefore, monthDay } from '../../../../services/format'
import { useCloud } from '../../../../hooks/useCloud'
import { useReloadOnShow } from '../../../../hooks/useReloadOnShow'
import { Page } from '../../../../components/Page'
import { Choice } from '../../../../components/Choice'
import { Notice, Pill } from '../../../../components/Notice'
import { EmptyState, ErrorState, LoadingState } from '../../../../components/States'
import { ChildFacts, RhythmLine } from '../../components/rhythm'
import { CONTACT_KIND_LABELS } from '../../labels'
import '../../pairing.scss'

type Filter = 'all' | 'due' | 'review'

/**
 * 本地区的结对 (admins and child-welfare officers): every active pairing of my area with its rhythm — this
 * month's talk and this quarter's visit — the last contact, and pairings under review; those needing follow-up
 * first.
 */
export default function AreaPage () {
  const list = useCloud(() => callCloud('pairing', 'areaPairings', {}))
  const [filter, setFilter] = useState<Filter>('all')
  usePullDownRefresh(() => { list.reload(); Taro.stopPullDownRefresh() })
  useReloadOnShow(list.reload)

  if (list.loading && !list.data) return <Page className='pr-root'><LoadingState /></Page>
  if (list.error) return <Page className='pr-root'><ErrorState error={list.error} onRetry={list.reload} /></Page>
  if (!list.data) return null
  const all = list.data.pairings
  const due = (p: typeof all[number]) => !p.rhythm.talkDone || !p.rhythm.visitDone
  const score = (p: typeof all[number]) => (p.status === 'review' ? 0 : 2) + (p.rhythm.talkDone ? 1 : 0) + (p.rhythm.visitDone ? 1 : 0)
  const sorted = [...all].sort((a, b) => score(a) - score(b) || a.child.name.localeCompare(b.child.name, 'zh'))
  const shownList = sorted.filter((p) => filter === 'all' || (filter === 'due' && due(p)) || (filter === 'review' && p.status === 'review'))
  const noTalk = all.filter((p) => !p.rhythm.talkDone).length
  const noVisit = all.filter((p) => !p.rhythm.visitDone).length
  const review = all.filter((p) => p.status === 'review').length
  const r = all[0]?.rhythm

  return (
    <Page testId='pairing-area' className='pr-root'>
      <View className='title'>本地区的结对</View>
      {all.length === 0
        ? <EmptyState title='本地区还没有结对' description='志愿者接受结对邀请以后，会出现在这里。' />
        : (
          <View>
            <View className='pr-card pr-totals' data-testid='area-totals'>
              <View className='pr-total'><Text className='pr-big'>{all.length}</Text>对在结对</View>
              <View className='pr-total'><Text className='pr-big'>{noTalk}</Text>对本月还没谈心</View>
              <View className='pr-total'><Text className='pr-big'>{noVisit}</Text>对本季度还没看望</View>
            </View>
            {r && <View className='hint'>本月到{monthDay(lastDayBefore(r.monthEndsAt))}为止，本季度到{monthDay(lastDayBefore(r.quarterEndsAt))}为止。没做到的，月底、季度末会提醒志愿者；过了期限会通知儿童主任。</View>}
            {review > 0 && <Notice tone='warn'>{review}对待复核：志愿者的审查已过期。</Notice>}
            <Choice value={filter} onChange={setFilter} options={[{ value: 'all', label: `全部 ${all.length}` }, { value: 'due', label: '待跟进' }, { value: 'review', label: '待复核' }]} />
            {shownList.length === 0 && <EmptyState title={filter === 'review' ? '没有待复核的结对' : '都按时做到了'} />}
            {shownList.map((p) => {
              const last = p.logs[0]
              return (
                <View key={p.id} className='pr-card' data-testid='area-pairing'>
                  <View className='pr-row'>
                    <Text className='pr-name'>{p.child.name}</Text>
                    {p.status === 'review' && <Pill tone='red'>待复核</Pill>}
                  </View>
                  <ChildFacts child={p.child} />
                  <View className='pr-sub'>志愿者：{p.volunteerName} · {dateWords(dayOf(p.since))}起</View>
                  <RhythmLine rhythm={p.rhythm} />
                  <View className='pr-sub' data-testid='last-contact'>
                    {last ? `最近一次：${dateWords(dayOf(last.at))} ${CONTACT_KIND_LABELS[last.kind]}` : '还没有记录'}
                  </View>
                </View>
              )
            })}
          </View>
          )}
    </Page>
  )
}
