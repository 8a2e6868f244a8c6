import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { View } from '@tarojs/components'
import { callCloud } from '../../../../services/cloud'
import { whenWords } from '../../../../services/format'
import { go } from '../../../../services/nav'
import { useCloud } from '../../../../hooks/useCloud'
import { useReloadOnShow } from '../../../../hooks/useReloadOnShow'
import { Page } from '../../../../components/Page'
import { Button } from '../../../../components/nut'
import { EmptyState, ErrorState, LoadingState } from '../../../../components/States'
import '../../safeguard.scss'

/** The reporter's receipts: reference, child, time and the state in words; never the details or the handling. */
export default function Mine () {
  const list = useCloud(() => callCloud('safeguard', 'myReports', {}))
  usePullDownRefresh(() => { list.reload(); Taro.stopPullDownRefresh() })
  useReloadOnShow(list.reload)
  const reports = list.data?.reports

  return (
    <Page testId='safeguard-mine' className='sg-root'>
      <View className='title'>我的报告</View>
      <View className='hint'>这里能看到报告到了哪一步。处理的细节只有负责的部门能看到，以保护孩子。</View>
      {list.loading && !list.data && <LoadingState />}
      {list.error && <ErrorState error={list.error} onRetry={list.reload} />}
      {reports && reports.length === 0 && <EmptyState title='还没有报告过' description='发现孩子可能受到伤害，点下面的按钮报告。' />}
      {reports?.map((r) => (
        <View key={r.reference} className='sg-card' data-testid='my-report'>
          <View className='sg-between'>
            <View className='sg-card__name'>{r.childName}</View>
            <View className={r.stateLabel === '已办结' ? 'sg-state sg-state--done' : 'sg-state'} data-testid='my-report-state'>{r.stateLabel}</View>
          </View>
          <View className='sg-line'>{whenWords(r.filedAt)} 报告</View>
          <View className='sg-small'>编号 {r.reference}</View>
        </View>
      ))}
      <View className='big-button'>
        <Button block size='large' type='danger' data-testid='new-report' onClick={() => go('/packages/safeguard/pages/report/index')}>报告孩子受到伤害</Button>
      </View>
    </Page>
  )
}
