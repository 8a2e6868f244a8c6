import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { ActionOutput } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { whenWords } from '../../../../services/format'
import { go } from '../../../../services/nav'
import { useCloud } from '../../../../hooks/useCloud'
import { useReloadOnShow } from '../../../../hooks/useReloadOnShow'
import { Page } from '../../../../components/Page'
import { Pill } from '../../../../components/Notice'
import { EmptyState, ErrorState, LoadingState } from '../../../../components/States'
import { StatePill } from '../../components/ReportState'
import '../../safeguard.scss'

type Summary = ActionOutput<'safeguard', 'queue'>['reports'][number]

/** Not yet acknowledged first (danger now ahead of those), then in hand, then closed; newest first within each. */
function rank (r: Summary): number {
  if (r.state === 'delivered') return r.dangerNow ? 0 : 1
  if (r.state === 'closed') return 3
  return 2
}

/**
 * The handlers' list: the police liaison's jurisdiction, or the county for 公安, 民政 and 教育 admins. Reports
 * nobody has acknowledged yet come first, in red, those with a child in danger now at the very top.
 */
export default function Queue () {
  const list = useCloud(() => callCloud('safeguard', 'queue', {}))
  usePullDownRefresh(() => { list.reload(); Taro.stopPullDownRefresh() })
  useReloadOnShow(list.reload)
  const reports = list.data ? [...list.data.reports].sort((a, b) => rank(a) - rank(b) || b.filedAt.getTime() - a.filedAt.getTime()) : undefined
  const waiting = reports?.filter((r) => r.state === 'delivered').length ?? 0
  const open = reports?.filter((r) => r.state !== 'closed') ?? []
  const closed = reports?.filter((r) => r.state === 'closed') ?? []

  return (
    <Page testId='safeguard-queue' className='sg-root'>
      <View className='title'>强制报告</View>
      {reports && reports.length > 0 && (
        <View className='hint' data-testid='queue-summary'>
          {waiting > 0 ? <Text className='sg-red sg-strong'>{waiting} 份等待接收，请立即处理。</Text> : '没有等待接收的报告。'}
          {open.length - waiting > 0 ? ` ${open.length - waiting} 份正在处理。` : ''}
        </View>
      )}
      {list.loading && !list.data && <LoadingState />}
      {list.error && <ErrorState error={list.error} onRetry={list.reload} />}
      {reports && reports.length === 0 && <EmptyState title='没有强制报告' description='有新的报告时，会立即发消息提醒您。' />}
      {open.map((r) => <Card key={r.id} r={r} />)}
      {closed.length > 0 && <View className='section-title'>已办结</View>}
      {closed.map((r) => <Card key={r.id} r={r} />)}
    </Page>
  )
}

function Card ({ r }: { r: Summary }) {
  const waiting = r.state === 'delivered'
  return (
    <View className={`sg-card sg-card--tap${waiting ? ' sg-card--urgent' : ''}`} data-testid='queue-item'
      onClick={() => go(`/packages/safeguard/pages/report/index?id=${encodeURIComponent(r.id)}`)}>
      <View className='sg-card__name'>{r.childName}</View>
      <View className='sg-tags'>
        <StatePill state={r.state} label={r.stateLabel} />
        {r.dangerNow && <Pill tone='red' testId='danger-now'>现在有危险</Pill>}
        {r.childUnlisted && <Pill tone='blue'>未登记的孩子</Pill>}
        {r.kinds.map((k) => <Pill key={k.code} tone='orange'>{k.label}</Pill>)}
      </View>
      <View className={waiting ? 'sg-line sg-red' : 'sg-line'}>{whenWords(r.filedAt)} 报告{waiting ? '，还没有接收' : ''}</View>
      {r.acknowledgedAt && <View className='sg-small'>{whenWords(r.acknowledgedAt)} 公安接收</View>}
      <View className='sg-small'>编号 {r.reference} · {r.origin}</View>
      <View className='sg-card__more'>查看 ›</View>
    </View>
  )
}
