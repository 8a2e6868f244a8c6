import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { callCloud } from '../../../../services/cloud'
import { go } from '../../../../services/nav'
import { useCloud } from '../../../../hooks/useCloud'
import { useReloadOnShow } from '../../../../hooks/useReloadOnShow'
import { Page } from '../../../../components/Page'
import { Pill } from '../../../../components/Notice'
import { EmptyState, ErrorState, LoadingState } from '../../../../components/States'
import '../../legalaid.scss'

/** The centre's volunteer lawyers for its officer: specialties, declared conflicts and open cases; tap to edit. */
export default function LawyersPage () {
  const list = useCloud(() => callCloud('legalaid', 'centreLawyers', {}))
  usePullDownRefresh(() => { list.reload(); Taro.stopPullDownRefresh() })
  useReloadOnShow(list.reload)
  return (
    <Page testId='legalaid-lawyers' className='la-root'>
      <View className='title'>本中心律师</View>
      <View className='hint'>指派律师时，按这里登记的专长排序，申报了利益冲突的律师不会列出。</View>
      {list.loading && !list.data && <LoadingState />}
      {list.error && <ErrorState error={list.error} onRetry={list.reload} />}
      {list.data && list.data.lawyers.length === 0 && <EmptyState title='还没有律师' description='请管理员邀请志愿律师加入本中心。' />}
      {list.data?.lawyers.map((l) => (
        <View key={l.id} className='la-card la-card--tap' data-testid='lawyer-row' onClick={() => go(`/packages/legalaid/pages/lawyer/index?id=${encodeURIComponent(l.id)}`)}>
          <View className='la-between'>
            <Text className='la-card__name'>{l.name}</Text>
            <Text className='la-small'>手上{l.openCases}件</Text>
          </View>
          <View className='la-tags'>
            {l.specialtyLabels.length === 0 ? <Pill tone='grey'>未登记专长</Pill> : l.specialtyLabels.map((s) => <Pill key={s} tone='green'>{s}</Pill>)}
          </View>
          <View className='la-small'>{l.conflicts > 0 ? `申报了${l.conflicts}个利益冲突` : '没有申报利益冲突'}</View>
          <View className='la-card__more'>修改 ›</View>
        </View>
      ))}
    </Page>
  )
}
