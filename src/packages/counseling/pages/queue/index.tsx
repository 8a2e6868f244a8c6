import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { z } from 'zod'
import type { QueueItem } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { useAllowsLeft } from '../../../../hooks/useAllowsLeft'
import { dayWords, sessionWords } from '../../../../services/format'
import { call, go } from '../../../../services/nav'
import { useCloud } from '../../../../hooks/useCloud'
import { useReloadOnShow } from '../../../../hooks/useReloadOnShow'
import { Page } from '../../../../components/Page'
import { Section } from '../../../../components/Section'
import { Button, Tag } from '../../../../components/nut'
import { EmptyState, ErrorState, LoadingState } from '../../../../components/States'
import { UrgencyTag } from '../../components/Tags'
import { CrisisCard, Said, Who } from '../../components/CrisisCard'
import '../../counseling.scss'

type Item = z.infer<typeof QueueItem>
const PACKAGE = '/packages/counseling/pages'
const STATE_LABELS = { open: '还没约时间', booked: '已约好', closed: '已结案' } as const

/**
 * The counsellor's queue: crises on top in red (我来处理; every number to call the child back; what she said; who was
 * alerted), then open requests (overdue soon-requests first, soon before routine) with the reasons and the child's
 * own words, then my coming sessions with how each happens.
 */
export default function Queue () {
  useAllowsLeft()
  const queue = useCloud(() => callCloud('counseling', 'queue', {}))
  usePullDownRefresh(() => { queue.reload(); Taro.stopPullDownRefresh() })
  useReloadOnShow(queue.reload)

  const q = queue.data
  return (
    <Page testId='queue' className='cs'>
      {q && (
        <View className='cs-toolbar'>
          <Button type='primary' loading={queue.loading} disabled={queue.loading} onClick={queue.reload} data-testid='refresh'>刷新</Button>
          <Button fill='outline' onClick={() => go(`${PACKAGE}/roster/index`)}>值班表和我的时间</Button>
        </View>
      )}
      {queue.loading && !q && <LoadingState />}
      {queue.error && <ErrorState error={queue.error} onRetry={queue.reload} />}
      {q && (
        <View>
          <Section title={`紧急求助（${q.crises.length}）`} testId='crises'>
            {q.crises.length === 0
              ? <EmptyState title='现在没有紧急求助' description='有孩子遇到危险时，这里会马上出现，并给值班辅导员发提醒。' />
              : q.crises.map((c) => (
                <CrisisCard key={c.id} item={c} onChanged={queue.reload}>
                  <View className='cs-card__actions'>
                    <Button block fill='outline' onClick={() => go(`${PACKAGE}/case/index?id=${encodeURIComponent(c.id)}`)}>记录、强制报告和结案</Button>
                  </View>
                </CrisisCard>
              ))}
          </Section>
          <Section title={`等待处理（${q.open.length}）`} testId='open'>
            {q.open.length === 0
              ? <EmptyState title='没有等待处理的求助' />
              : q.open.map((r) => <OpenCard key={r.id} item={r} />)}
          </Section>
          <Section title={`我接下来的辅导（${q.sessions.length}）`} testId='sessions'>
            {q.sessions.length === 0
              ? <EmptyState title='接下来没有约好的辅导' />
              : q.sessions.map((s) => (
                <View key={s.id} className='cs-card' data-testid='session'>
                  <View className='cs-card__head' onClick={() => go(`${PACKAGE}/case/index?id=${encodeURIComponent(s.requestId)}`)}><Text className='cs-card__name'>{s.childName}</Text><Tag type='primary' plain>{s.modeLabel}</Tag></View>
                  <View className='cs-card__line'>{sessionWords(s.start, s.end)}</View>
                  <View className='cs-card__line' data-testid='session-how'>{s.how}</View>
                  {s.phone && <View className='cs-card__actions'><Button block type='primary' onClick={() => call(s.phone!)}>到时拨打 {s.phone}</Button></View>}
                  <View className='cs-link' onClick={() => go(`${PACKAGE}/case/index?id=${encodeURIComponent(s.requestId)}`)}>查看记录 ›</View>
                </View>
              ))}
          </Section>
        </View>
      )}
    </Page>
  )
}

function OpenCard ({ item }: { item: Item }) {
  return (
    <View className='cs-card' data-testid='open-item' onClick={() => go(`${PACKAGE}/case/index?id=${encodeURIComponent(item.id)}`)}>
      <View className='cs-card__head'>
        <Text className='cs-card__name'>{item.childName}</Text>
        <View className='tag-row'>
          {item.overdue && <Tag type='danger' data-testid='overdue'>超过一天没约上</Tag>}
          {item.mine && <Tag type='success'>我的</Tag>}
          <UrgencyTag urgency={item.urgency} label={item.urgencyLabel} />
        </View>
      </View>
      <Who item={item} />
      {item.overdue && <View className='cs-reason'>「尽快」求助还没约上时间：请打电话给{item.requesterName}，帮忙约一个时间。</View>}
      <View className='cs-card__line'>{STATE_LABELS[item.state]}{item.counselorName ? ` · 辅导员 ${item.counselorName}` : ''}{item.followUpDate ? ` · 回访 ${dayWords(item.followUpDate)}` : ''}</View>
      <Said item={item} />
      <View className='cs-link'>查看记录 ›</View>
    </View>
  )
}
