import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { callCloud } from '../../../../services/cloud'
import { useCloud } from '../../../../hooks/useCloud'
import { whenWords } from '../../../../services/format'
import { go } from '../../../../services/nav'
import { useReloadOnShow } from '../../../../hooks/useReloadOnShow'
import { Page } from '../../../../components/Page'
import { EmptyState, ErrorState, LoadingState } from '../../../../components/States'
import { ClockLine, PriorityTag, ProvideFirstTag, StateTag } from '../../components/Status'
import type { RequestView } from '../../nextSteps'
import '../../legalaid.scss'

/**
 * The centre's queue: open requests in the order the server sends them (nearest deadline first, abuse and aid-first
 * ahead at the same time), each with its priority, the aid-first badge and its nearest clock coloured by state.
 */
export default function Queue () {
  const list = useCloud(() => callCloud('legalaid', 'queue', {}))
  usePullDownRefresh(() => { list.reload(); Taro.stopPullDownRefresh() })
  useReloadOnShow(list.reload)
  const requests = list.data?.requests
  const late = requests?.filter((r) => r.clocks[0]?.state === 'late').length ?? 0

  return (
    <Page testId='legalaid-queue' className='la-root'>
      <View className='title'>法律援助申请</View>
      {requests && requests.length > 0 && (
        <View className='hint' data-testid='queue-summary'>
          共 {requests.length} 件在办，按最近的期限排{late > 0 ? <Text className='la-clock--late'>，{late} 件已超时</Text> : ''}
        </View>
      )}
      {list.loading && !list.data && <LoadingState />}
      {list.error && <ErrorState error={list.error} onRetry={list.reload} />}
      {requests && requests.length === 0 && <EmptyState title='没有待办的申请' description='有新的申请时，会发消息提醒您。' />}
      {requests?.map((r) => <QueueCard key={r.id} r={r} />)}
    </Page>
  )
}

function QueueCard ({ r }: { r: RequestView }) {
  const clock = r.clocks[0]
  return (
    <View className={`la-card la-card--tap${r.priority === 0 ? ' la-card--urgent' : ''}`} data-testid='queue-item'
      onClick={() => go(`/packages/legalaid/pages/case/index?id=${encodeURIComponent(r.id)}`)}>
      <View className='la-card__name'>{r.childName} · {r.matterLabel}</View>
      <View className='la-tags'>
        <PriorityTag priority={r.priority} label={r.priorityLabel} />
        {r.provideFirst && <ProvideFirstTag />}
        <StateTag state={r.state} label={r.stateLabel} />
      </View>
      {clock ? <ClockLine clock={clock} /> : <View className='la-small'>没有在走的期限</View>}
      {r.lawyerName && <View className='la-card__line'>律师：{r.lawyerName}</View>}
      <View className='la-small'>{whenWords(r.submittedAt)} 提交 · {r.centreName}</View>
    </View>
  )
}
