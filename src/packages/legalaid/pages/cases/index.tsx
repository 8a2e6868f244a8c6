import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { View } from '@tarojs/components'
import { callCloud } from '../../../../services/cloud'
import { useCloud } from '../../../../hooks/useCloud'
import { dayWords, whenWords } from '../../../../services/format'
import { go } from '../../../../services/nav'
import { useReloadOnShow } from '../../../../hooks/useReloadOnShow'
import { Page } from '../../../../components/Page'
import { EmptyState, ErrorState, LoadingState } from '../../../../components/States'
import { ClockLine, PriorityTag, StateTag } from '../../components/Status'
import type { RequestView } from '../../nextSteps'
import '../../legalaid.scss'

/** A volunteer lawyer's cases: those waiting for an answer first, then those in hand, then the closed ones. */
export default function Cases () {
  const list = useCloud(() => callCloud('legalaid', 'myCases', {}))
  usePullDownRefresh(() => { list.reload(); Taro.stopPullDownRefresh() })
  useReloadOnShow(list.reload)
  const cases = list.data?.cases
  const order = { lawyerAssigned: 0, inProgress: 1 } as Record<string, number>
  const sorted = cases ? [...cases].sort((a, b) => (order[a.state] ?? 2) - (order[b.state] ?? 2)) : undefined
  const waiting = cases?.filter((c) => c.state === 'lawyerAssigned').length ?? 0

  return (
    <Page testId='legalaid-cases' className='la-root'>
      <View className='title'>我承办的案件</View>
      {waiting > 0 && <View className='la-ask' data-testid='waiting'>有 {waiting} 件新案件等您回复是否接案</View>}
      {list.loading && !list.data && <LoadingState />}
      {list.error && <ErrorState error={list.error} onRetry={list.reload} />}
      {sorted && sorted.length === 0 && <EmptyState title='还没有指派给您的案件' description='法律援助中心指派案件时，会发消息提醒您。' />}
      {sorted?.map((c) => <CaseCard key={c.id} c={c} />)}
    </Page>
  )
}

function CaseCard ({ c }: { c: RequestView }) {
  return (
    <View className={`la-card la-card--tap${c.priority === 0 && c.state !== 'closed' ? ' la-card--urgent' : ''}`} data-testid='lawyer-case'
      onClick={() => go(`/packages/legalaid/pages/case/index?id=${encodeURIComponent(c.id)}`)}>
      <View className='la-card__name'>{c.childName} · {c.matterLabel}</View>
      <View className='la-tags'>
        <StateTag state={c.state} label={c.state === 'lawyerAssigned' ? '等您接案' : c.stateLabel} />
        {c.state !== 'closed' && <PriorityTag priority={c.priority} label={c.priorityLabel} />}
      </View>
      {c.clocks[0] && <ClockLine clock={c.clocks[0]} />}
      {c.deadline && <View className='la-card__line'>期限：{dayWords(c.deadline)}</View>}
      <View className='la-small'>{whenWords(c.submittedAt)} 申请 · {c.centreName}</View>
    </View>
  )
}
