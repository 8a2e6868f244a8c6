import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { callCloud } from '../../../../services/cloud'
import { useCloud } from '../../../../hooks/useCloud'
import { Button } from '../../../../components/nut'
import { whenWords } from '../../../../services/format'
import { go } from '../../../../services/nav'
import { useReloadOnShow } from '../../../../hooks/useReloadOnShow'
import { Page } from '../../../../components/Page'
import { EmptyState, ErrorState, LoadingState } from '../../../../components/States'
import { StateTag } from '../../components/Status'
import { clockWords, type RequestView } from '../../nextSteps'
import '../../legalaid.scss'

const PACKAGE = '/packages/legalaid/pages'

/**
 * My legal-aid requests: where each stands, the centre, the clock that runs now in a sentence, the lawyer;
 * tap one for its timeline. Drafts not yet sent are listed too, to pick up again.
 */
export default function Mine () {
  const list = useCloud(async () => {
    const [mine, drafts] = await Promise.all([callCloud('legalaid', 'mine', {}), callCloud('legalaid', 'drafts', {})])
    return { requests: mine.requests, drafts: drafts.drafts }
  })
  usePullDownRefresh(() => { list.reload(); Taro.stopPullDownRefresh() })
  useReloadOnShow(list.reload)

  const apply = () => go(`${PACKAGE}/apply/index`)
  return (
    <Page testId='legalaid-mine' className='la-root'>
      <View className='la-between'>
        <View className='title'>我的申请</View>
        <Button size='small' shape='round' type='primary' data-testid='new-request' onClick={apply}>＋ 申请</Button>
      </View>
      {list.loading && !list.data && <LoadingState />}
      {list.error && <ErrorState error={list.error} onRetry={list.reload} />}
      {list.data && list.data.drafts.length > 0 && (
        <View>
          <View className='section-title'>还没提交的草稿</View>
          {list.data.drafts.map((d) => (
            <View key={d.id} className='la-card la-card--tap' data-testid='draft'
              onClick={() => go(`${PACKAGE}/apply/index?draftId=${encodeURIComponent(d.id)}`)}>
              <View className='la-card__name'>{d.childName} · {d.matterLabel}</View>
              <View className='la-small'>{whenWords(d.savedAt)} 存的草稿</View>
              <View className='la-card__more'>接着填 ›</View>
            </View>
          ))}
        </View>
      )}
      {list.data && list.data.requests.length === 0 && (
        <View>
          <EmptyState title='还没有申请' description='孩子的抚养费、监护、受伤赔偿、被欺负，家长被欠工资等事，都可以申请免费的法律援助。' />
          <View className='big-button'>
            <Button block size='large' type='primary' onClick={apply}>申请法律援助</Button>
          </View>
        </View>
      )}
      {list.data && list.data.requests.length > 0 && list.data.drafts.length > 0 && <View className='section-title'>已提交的申请</View>}
      {list.data?.requests.map((r) => <RequestCard key={r.id} r={r} />)}
    </Page>
  )
}

function RequestCard ({ r }: { r: RequestView }) {
  const clock = r.clocks[0]
  return (
    <View className={`la-card la-card--tap${r.priority === 0 && r.state !== 'closed' && r.state !== 'refused' ? ' la-card--urgent' : ''}`}
      data-testid='my-request' onClick={() => go(`${PACKAGE}/request/index?id=${encodeURIComponent(r.id)}`)}>
      <View className='la-card__head'>
        <Text className='la-card__name'>{r.childName} · {r.matterLabel}</Text>
      </View>
      <View className='la-tags'><StateTag state={r.state} label={r.stateLabel} /></View>
      <View className='la-card__line'>{r.centreName}</View>
      <View className='la-small' data-testid='reference'>申请编号 {r.reference}</View>
      {clock && <View className={`la-card__line la-clock--${clock.state}`} data-testid='clock-words'>{clockWords(clock, r.lawyerName)}</View>}
      {r.lawyerName && <View className='la-card__line'>律师：<Text className='la-strong' data-testid='lawyer'>{r.lawyerName}</Text></View>}
      {r.documentsAsked && r.state === 'inProgress' && <View className='la-card__line la-strong'>律师需要您补交材料</View>}
      <View className='la-small'>{whenWords(r.submittedAt)} 提交</View>
      <View className='la-card__more'>看进展 ›</View>
    </View>
  )
}
