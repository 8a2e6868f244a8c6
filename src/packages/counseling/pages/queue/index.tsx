import { useState } from 'react'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { z } from 'zod'
import type { QueueItem } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { askIfRunningLow } from '../../../../services/subscriptions'
import { useAllowsLeft } from '../../../../hooks/useAllowsLeft'
import { dayWords, sessionWords, whenWords } from '../../../../services/format'
import { go } from '../../../../services/nav'
import { useCloud } from '../../../../hooks/useCloud'
import { useReloadOnShow } from '../../../../hooks/useReloadOnShow'
import { Page } from '../../../../components/Page'
import { Section } from '../../../../components/Section'
import { Button, Tag } from '../../../../components/nut'
import { EmptyState, ErrorState, LoadingState, ProblemBox, messageOf } from '../../../../components/States'
import { UrgencyTag } from '../../components/Tags'
import '../../counseling.scss'

type Item = z.infer<typeof QueueItem>
const PACKAGE = '/packages/counseling/pages'
const STATE_LABELS = { open: '还没约时间', booked: '已约好', closed: '已结案' } as const

/**
 * The counsellor's queue: crises on top in red (who was alerted; 我来处理; once taken, by whom and when), then open
 * requests (soon before routine) with the reasons and the child's own words, then my coming sessions.
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
              : q.crises.map((c) => <CrisisCard key={c.id} item={c} onChanged={queue.reload} />)}
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
                <View key={s.id} className='cs-card' data-testid='session' onClick={() => go(`${PACKAGE}/case/index?id=${encodeURIComponent(s.requestId)}`)}>
                  <View className='cs-card__head'><Text className='cs-card__name'>{s.childName}</Text><Tag type='primary' plain>{s.modeLabel}</Tag></View>
                  <View className='cs-card__line'>{sessionWords(s.start, s.end)}</View>
                </View>
              ))}
          </Section>
        </View>
      )}
    </Page>
  )
}

function Who ({ item }: { item: Item }) {
  return (
    <View>
      <View className='cs-card__line'>{item.childAge}岁{item.schoolName ? ` · ${item.schoolName}` : ''}</View>
      <View className='cs-small'>{whenWords(item.createdAt)} · {item.requesterName}{item.requesterRoleLabel ? `（${item.requesterRoleLabel}）` : ''}求助</View>
    </View>
  )
}

function Words ({ item }: { item: Item }) {
  return (
    <View>
      {item.reasons.length > 0 && (
        <View className='cs-reasons'>
          {item.reasons.map((r) => <View key={r} className='cs-reason'>· {r}</View>)}
        </View>
      )}
      {item.words && <View className='cs-words' data-testid='words'>“{item.words}”</View>}
    </View>
  )
}

function CrisisCard ({ item, onChanged }: { item: Item, onChanged: () => void }) {
  const [saving, setSaving] = useState(false)
  const [failure, setFailure] = useState<string>()
  const c = item.crisis

  async function take () {
    // A natural tap: the counsellor on duty keeps the crisis alert switched on.
    await askIfRunningLow(['crisisAlert'])
    setSaving(true)
    setFailure(undefined)
    try {
      const res = await callCloud('counseling', 'acknowledge', { requestId: item.id })
      Taro.showToast({ title: `${res.by}已接手，请马上打电话`, icon: 'none', duration: 3000 })
      onChanged()
    } catch (err) {
      setFailure(messageOf(err))
    } finally {
      setSaving(false)
    }
  }

  return (
    <View className='cs-card cs-card--crisis' data-testid='crisis-item'>
      <View className='cs-card__head'>
        <Text className='cs-card__name'>{item.childName}</Text>
        <UrgencyTag urgency={item.urgency} label={item.urgencyLabel} />
      </View>
      <Who item={item} />
      <Words item={item} />
      {c && c.alertedNames.length > 0 && <View className='cs-small'>已提醒：{c.alertedNames.join('、')}{c.level > 0 ? `（无人接，已升级 ${c.level} 次）` : ''}</View>}
      {c?.acknowledgedBy
        ? <View className='cs-ack' data-testid='acknowledged'>✓ {c.acknowledgedBy} {c.acknowledgedAt ? `${whenWords(c.acknowledgedAt)} ` : ''}已接手</View>
        : (
          <View className='cs-card__actions'>
            <Button block size='large' type='danger' loading={saving} disabled={saving} onClick={take} data-testid='take'>我来处理</Button>
          </View>
          )}
      <ProblemBox message={failure} />
      <View className='cs-card__actions'>
        <Button block fill='outline' onClick={() => go(`${PACKAGE}/case/index?id=${encodeURIComponent(item.id)}`)}>记录和结案</Button>
      </View>
    </View>
  )
}

function OpenCard ({ item }: { item: Item }) {
  return (
    <View className='cs-card' data-testid='open-item' onClick={() => go(`${PACKAGE}/case/index?id=${encodeURIComponent(item.id)}`)}>
      <View className='cs-card__head'>
        <Text className='cs-card__name'>{item.childName}</Text>
        <View className='tag-row'>
          {item.mine && <Tag type='success'>我的</Tag>}
          <UrgencyTag urgency={item.urgency} label={item.urgencyLabel} />
        </View>
      </View>
      <Who item={item} />
      <View className='cs-card__line'>{STATE_LABELS[item.state]}{item.counselorName ? ` · 辅导员 ${item.counselorName}` : ''}{item.followUpDate ? ` · 回访 ${dayWords(item.followUpDate)}` : ''}</View>
      <Words item={item} />
      <View className='cs-link'>查看记录 ›</View>
    </View>
  )
}
