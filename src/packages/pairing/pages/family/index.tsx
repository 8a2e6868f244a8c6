import { useState } from 'react'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { callCloud } from '../../../../services/cloud'
import { dateWords, dayOf, whenWords } from '../../../../services/format'
import { call } from '../../../../services/nav'
import { useCloud } from '../../../../hooks/useCloud'
import { useReloadOnShow } from '../../../../hooks/useReloadOnShow'
import { Page } from '../../../../components/Page'
import { Button } from '../../../../components/nut'
import { Notice } from '../../../../components/Notice'
import { EmptyState, ErrorState, LoadingState, showError } from '../../../../components/States'
import '../../pairing.scss'

/**
 * 孩子的爱心志愿者 (a parent or guardian): who was paired with my child once they accepted — name, what kind of
 * volunteer, which agency vouches for them — with a button to call them. The number is fetched for the call only
 * (each look is logged) and never shown: WeChat cannot relay a call, so this is the privacy the app can give.
 */
export default function FamilyPage () {
  const list = useCloud(() => callCloud('pairing', 'familyPairings', {}))
  const [calling, setCalling] = useState<string>()
  usePullDownRefresh(() => { list.reload(); Taro.stopPullDownRefresh() })
  useReloadOnShow(list.reload)

  async function ring (pairingId: string) {
    if (calling) return
    setCalling(pairingId)
    try {
      const { phone } = await callCloud('pairing', 'callNumber', { pairingId })
      call(phone)
    } catch (err) {
      showError(err, { oneField: true })
    } finally {
      setCalling(undefined)
    }
  }

  return (
    <Page testId='pairing-family' className='pr-root'>
      <View className='title'>孩子的爱心志愿者</View>
      {list.loading && !list.data && <LoadingState />}
      {list.error && <ErrorState error={list.error} onRetry={list.reload} />}
      {list.data && list.data.pairings.length === 0 && (
        <EmptyState title='还没有结对的志愿者' description='部门为孩子安排好爱心志愿者、志愿者答应以后，会发消息告诉您，也会在这里看到。' />
      )}
      {list.data?.pairings.map((p) => (
        <View key={p.id} className='pr-card' data-testid='family-pairing'>
          <View className='pr-sub'>和{p.childName}结对的是</View>
          <View className='pr-name pr-family__name' data-testid='volunteer-name'>{p.volunteerName}</View>
          <View className='pr-family__line' data-testid='volunteer-kind'>{p.kindLabel} · {p.agencyLabel}</View>
          <View className='pr-sub'>{dateWords(dayOf(p.since))}开始结对{p.lastContactAt ? ` · 最近一次联系：${whenWords(p.lastContactAt)}` : ''}</View>
          {p.status === 'review' && <Notice tone='warn'>这位志愿者的年度审查过期了，正在复查。复查以前有事请先找村里的儿童主任。</Notice>}
          <View className='pr-sub pr-family__rule'>志愿者每月和孩子谈一次心，每季度上门看望一次；上门时请家里有人在。</View>
          {p.canCall
            ? <Button block size='large' type='primary' loading={calling === p.id} disabled={Boolean(calling)} data-testid='call-volunteer' onClick={() => ring(p.id)}>给{p.volunteerName}打电话</Button>
            : <View className='pr-sub'>志愿者还没有登记电话，有事请找村里的儿童主任。</View>}
          <View className='pr-sub'>号码只在打电话时用，不会显示出来。</View>
        </View>
      ))}
      <View className='pr-sub pr-family__worry'>对志愿者有任何担心，请马上告诉村里的儿童主任；孩子有危险请打 <Text className='pr-link' onClick={() => call('110')}>110</Text>。</View>
    </Page>
  )
}
