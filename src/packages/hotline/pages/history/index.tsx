import { useEffect, useState } from 'react'
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { CALL_MODE_LABELS, callTimeLabel } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { monthDay } from '../../../../services/format'
import { go } from '../../../../services/nav'
import { useCloud } from '../../../../hooks/useCloud'
import { Page } from '../../../../components/Page'
import { Button } from '../../../../components/nut'
import { EmptyState, ErrorState, LoadingState } from '../../../../components/States'
import { HistoryTag } from '../../components/CallStatus'
import { ChildChooser } from '../../components/Children'
import '../../hotline.scss'

/**
 * A child's past calls, in the care room or straight to the phone at home, with how each went, and which of the last
 * 12 weeks had a call that counts (a held care-room call, a direct call home confirmed).
 */
export default function HistoryPage () {
  const { params } = useRouter()
  const [childId, setChildId] = useState<string | undefined>(params.childId || undefined)
  const overview = useCloud(() => callCloud('hotline', 'overview', {}))
  const history = useCloud(() => (childId ? callCloud('hotline', 'history', { childId }) : Promise.resolve(undefined)), [childId])
  usePullDownRefresh(() => { history.reload(); Taro.stopPullDownRefresh() })
  const children = overview.data?.children ?? []
  useEffect(() => { const list = overview.data?.children ?? []; if (!childId && list.length === 1) setChildId(list[0].childId) }, [childId, overview.data])

  if (!childId) {
    if (overview.loading && !overview.data) return <Page className='hl-root'><LoadingState /></Page>
    if (overview.error) return <Page className='hl-root'><ErrorState error={overview.error} onRetry={overview.reload} /></Page>
    if (children.length === 0) return <Page className='hl-root'><EmptyState title='还没有绑定孩子' description='绑定孩子以后，这里会显示和孩子的通话记录。' /></Page>
    if (!overview.data) return null
    return <Page testId='hotline-history' className='hl-root'><ChildChooser list={children} title='看哪个孩子的通话记录？' onChoose={setChildId} /></Page>
  }
  if (history.loading && !history.data) return <Page className='hl-root'><LoadingState /></Page>
  if (history.error) return <Page className='hl-root'><ErrorState error={history.error} onRetry={history.reload} /></Page>
  if (!history.data) return null

  const { calls, weeks } = history.data
  const name = children.find((c) => c.childId === childId)?.childName ?? ''
  // Oldest on the left, this week on the right.
  const strip = [...weeks].reverse()
  const heldWeeks = weeks.filter((w) => w.held).length
  const thisWeek = weeks[0]
  const anyBefore = weeks.some((w) => w.beforeKnown)
  const direct = encodeURIComponent(childId)

  return (
    <Page testId='hotline-history' className='hl-root'>
      <View className='title'>{name ? `和${name}的通话` : '通话记录'}</View>
      {children.length > 1 && <View className='hl-aside'><Text className='hl-link' onClick={() => setChildId(undefined)}>看另一个孩子的</Text></View>}

      <View className='hl-card'>
        <View className='hl-row'>
          <Text className='hl-name'>近12周</Text>
          <Text className='hl-sub' data-testid='weeks-summary'>{heldWeeks}周通过话</Text>
        </View>
        <View className='hl-weeks' data-testid='weeks'>
          {strip.map((w, i) => (
            <View key={w.weekKey} className={`hl-weeks__cell${w.held ? ' hl-weeks__cell--held' : ''}${w.beforeKnown && !w.held ? ' hl-weeks__cell--before' : ''}${i === strip.length - 1 ? ' hl-weeks__cell--now' : ''}`}
              data-testid={i === strip.length - 1 ? 'week-this' : 'week'} data-held={w.held ? 'yes' : 'no'} data-before={w.beforeKnown ? 'yes' : 'no'}>
              <View className='hl-weeks__box'>{w.held ? (w.places.includes('direct') && !w.places.includes('careRoom') ? '☎' : '✓') : w.beforeKnown ? '–' : ''}</View>
            </View>
          ))}
        </View>
        <View className='hl-weeks__axis'>
          <Text>{monthDay(strip[0].weekStart)}那周</Text>
          <Text>本周</Text>
        </View>
        <View className='hl-weeks__legend'>✓ 在关爱室通过话{'\u3000'}☎ 打到家里，家里已确认{anyBefore ? '\u3000– 还没绑定，不算' : ''}</View>
        <View className={thisWeek?.held ? 'hl-week hl-week--held hl-week--block' : 'hl-week hl-week--none hl-week--block'} data-testid='this-week'>
          {thisWeek?.held ? '本周已通话 ✓' : '本周还没通话'}
        </View>
      </View>

      <View className='section-title'>每一次通话</View>
      {calls.length === 0
        ? <EmptyState title='还没有通话记录' description='约好的通话开始以后，会显示在这里。' />
        : calls.map((c) => (
          <View key={c.id} className='hl-card' data-testid='history-call' data-place={c.place}>
            <View className='hl-row'>
              <Text className='hl-name'>{callTimeLabel(c.start)}</Text>
              <HistoryTag counted={c.counted} waiting={c.statusLabel === '等老师登记' || c.statusLabel === '等家里确认'} label={c.statusLabel} />
            </View>
            <View className='hl-sub'>{CALL_MODE_LABELS[c.mode]} · {c.minutes}分钟 · {c.placeLabel}</View>
            <View className='hl-sub'>{c.where}</View>
            {c.note ? <View className='hl-note' data-testid='note'>老师说：{c.note}</View> : null}
          </View>
        ))}
      <View className='big-button'>
        <Button block size='large' type='primary' onClick={() => go(`/packages/hotline/pages/book/index?childId=${direct}`)}>约下一次通话</Button>
      </View>
      <View className='big-button'>
        <Button block size='large' data-testid='record-direct' onClick={() => go(`/packages/hotline/pages/direct/index?childId=${direct}`)}>记下打到家里的电话</Button>
      </View>
    </Page>
  )
}
