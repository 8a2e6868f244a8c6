import { useState } from 'react'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { z } from 'zod'
import type { MyRequest } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { sessionWords, whenWords } from '../../../../services/format'
import { go } from '../../../../services/nav'
import { useCloud } from '../../../../hooks/useCloud'
import { useReloadOnShow } from '../../../../hooks/useReloadOnShow'
import { Page } from '../../../../components/Page'
import { Button, Tag } from '../../../../components/nut'
import { TextArea } from '../../../../components/nut-forms/TextArea'
import { EmptyState, ErrorState, LoadingState, ProblemBox, fieldsOf, messageOf } from '../../../../components/States'
import { ToggleButtons } from '../../components/Buttons'
import { SoftTag, UrgencyTag } from '../../components/Tags'
import { dutyLineOf } from '../../crisis'
import '../../counseling.scss'

type Request = z.infer<typeof MyRequest>
const PACKAGE = '/packages/counseling/pages'

/** Reasons offered with one tap; anything else can be written. */
const CANCEL_REASONS = ['时间不方便了', '孩子已经好些了', '想换一种方式聊']

function stateLabel (r: Request): string {
  if (r.state === 'closed') return '已结束'
  if (r.crisis) return r.crisis.acknowledged ? '辅导员在处理' : '正在找辅导员'
  if (r.session) return '已约好'
  return '还没约时间'
}

/** My requests for help: how urgent, where each stands, the session and its counsellor; cancel; crises link to their page. */
export default function Mine () {
  const list = useCloud(() => callCloud('counseling', 'myRequests', {}))
  usePullDownRefresh(() => { list.reload(); Taro.stopPullDownRefresh() })
  // Back from booking or the crisis page: things may have moved.
  useReloadOnShow(list.reload)

  const requests = list.data?.requests
  return (
    <Page testId='mine' className='cs'>
      <View className='cs-between'>
        <View className='title'>我的求助</View>
        <Button size='small' shape='round' type='primary' onClick={() => go(`${PACKAGE}/ask/index`)}>＋ 新的求助</Button>
      </View>
      {list.loading && !list.data && <LoadingState />}
      {list.error && <ErrorState error={list.error} onRetry={list.reload} />}
      {requests && requests.length === 0 && (
        <View>
          <EmptyState title='还没有求助' description='心里难受、遇到麻烦，都可以找辅导员聊一聊。' />
          <View className='big-button'>
            <Button block size='large' shape='round' type='primary' onClick={() => go(`${PACKAGE}/ask/index`)}>我想找人聊聊</Button>
          </View>
        </View>
      )}
      {requests?.map((r) => <RequestCard key={r.id} r={r} onChanged={list.reload} />)}
    </Page>
  )
}

function RequestCard ({ r, onChanged }: { r: Request, onChanged: () => void }) {
  const [cancelling, setCancelling] = useState(false)
  const [reason, setReason] = useState('')
  const [saving, setSaving] = useState(false)
  const [failure, setFailure] = useState<string>()
  const crisis = r.crisis

  async function cancel () {
    if (!r.session) return
    setSaving(true)
    setFailure(undefined)
    try {
      await callCloud('counseling', 'cancelSession', { sessionId: r.session.id, reason })
      Taro.showToast({ title: '已取消', icon: 'success' })
      setCancelling(false)
      onChanged()
    } catch (err) {
      setFailure(fieldsOf(err).reason ?? messageOf(err))
    } finally {
      setSaving(false)
    }
  }

  const toCrisis = () => {
    const line = crisis ? dutyLineOf(crisis.numbers) : undefined
    go(`${PACKAGE}/crisis/index?requestId=${encodeURIComponent(r.id)}&who=${r.forSelf ? 'child' : 'adult'}${line ? `&line=${encodeURIComponent(line)}` : ''}`)
  }

  return (
    <View className={`cs-card${crisis && r.state !== 'closed' ? ' cs-card--crisis' : ''}${r.state === 'closed' ? ' cs-card--done' : ''}`} data-testid='my-request'>
      <View className='cs-card__head'>
        <Text className='cs-card__name'>{r.forSelf ? '我找辅导员聊聊' : r.childName}</Text>
        <View className='tag-row'>
          {/* A child reads no triage level of her own request; a grown-up asking for a child does. */}
          {!r.forSelf && <UrgencyTag urgency={r.urgency} label={r.urgencyLabel} />}
          {r.session || crisis?.acknowledged ? <Tag type='success' data-testid='state'>{stateLabel(r)}</Tag> : <SoftTag testId='state'>{stateLabel(r)}</SoftTag>}
        </View>
      </View>
      <View className='cs-small'>{whenWords(r.createdAt)} 求助</View>
      {crisis && r.state !== 'closed' && (
        <View className='cs-card__line'>{crisis.message}</View>
      )}
      {r.session && (
        <View className='cs-card__line' data-testid='session'>
          <View>时间：<Text className='cs-strong'>{sessionWords(r.session.start, r.session.end)}</Text></View>
          <View>辅导员：<Text className='cs-strong' data-testid='counselor'>{r.session.counselorName}</Text></View>
          <View>方式：{r.session.modeLabel}</View>
          <View data-testid='how'>{r.session.how}</View>
        </View>
      )}
      <View className='cs-card__actions'>
        {crisis && r.state !== 'closed' && <Button block type='danger' onClick={toCrisis}>打电话 / 看进展</Button>}
        {!crisis && r.state === 'open' && !r.session && (
          <Button block type='primary' onClick={() => go(`${PACKAGE}/book/index?requestId=${encodeURIComponent(r.id)}`)}>预约辅导员</Button>
        )}
        {r.session && !cancelling && <Button block fill='outline' onClick={() => go(`${PACKAGE}/book/index?requestId=${encodeURIComponent(r.id)}&sessionId=${encodeURIComponent(r.session!.id)}`)}>改时间</Button>}
        {r.session && !cancelling && <Button block fill='outline' onClick={() => setCancelling(true)}>取消预约</Button>}
      </View>
      {r.session && cancelling && (
        <View data-testid='cancel-form'>
          <View className='section-title'>为什么取消？</View>
          <ToggleButtons options={CANCEL_REASONS.map((x) => ({ value: x, label: x }))} value={CANCEL_REASONS.filter((x) => x === reason)}
            onChange={(v) => setReason(v.filter((x) => x !== reason)[0] ?? '')} />
          <View className='cs-textarea'>
            <TextArea value={reason} onChange={setReason} placeholder='也可以自己写' maxLength={100} rows={2} />
          </View>
          <ProblemBox message={failure} />
          <View className='cs-toolbar'>
            <Button fill='outline' onClick={() => { setCancelling(false); setFailure(undefined) }}>不取消了</Button>
            <Button type='danger' loading={saving} disabled={saving} onClick={cancel}>确定取消</Button>
          </View>
        </View>
      )}
    </View>
  )
}
