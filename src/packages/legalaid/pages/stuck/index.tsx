import { useState } from 'react'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { ActionOutput } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { whenWords } from '../../../../services/format'
import { useCloud } from '../../../../hooks/useCloud'
import { useReloadOnShow } from '../../../../hooks/useReloadOnShow'
import { useStep } from '../../../../hooks/useStep'
import { Page } from '../../../../components/Page'
import { Field } from '../../../../components/Field'
import { OneOf } from '../../../../components/Chips'
import { LongText } from '../../../../components/TextInput'
import { Button } from '../../../../components/nut'
import { EmptyState, ErrorState, LoadingState, ProblemBox, fieldsOf, messageOf } from '../../../../components/States'
import '../../legalaid.scss'

type Stuck = ActionOutput<'legalaid', 'stuck'>
type Row = Stuck['requests'][number]

/**
 * The county justice admin's view of requests stuck at a centre: nobody active there to act, or a clock run late,
 * each with why in words; 转办 moves one to a centre that can act, with a reason the applicant reads (logged).
 */
export default function StuckPage () {
  const list = useCloud(() => callCloud('legalaid', 'stuck', {}))
  usePullDownRefresh(() => { list.reload(); Taro.stopPullDownRefresh() })
  useReloadOnShow(list.reload)
  const data = list.data

  return (
    <Page testId='legalaid-stuck' className='la-root'>
      <View className='title'>卡住的法律援助申请</View>
      <View className='hint'>中心没人能办、或期限已经超过的申请。可以转给有人在岗的中心，申请人会收到通知。</View>
      {list.loading && !data && <LoadingState />}
      {list.error && <ErrorState error={list.error} onRetry={list.reload} />}
      {data && data.requests.length === 0 && <EmptyState title='没有卡住的申请' description='各中心的申请都在按时办理。有申请卡住时，会发消息提醒您。' />}
      {data?.requests.map((r) => <StuckCard key={r.id} r={r} centres={data.centres} onDone={list.reload} />)}
    </Page>
  )
}

function StuckCard ({ r, centres, onDone }: { r: Row, centres: Stuck['centres'], onDone: () => void }) {
  const [open, setOpen] = useState(false)
  const [centreId, setCentreId] = useState<string>()
  const [reason, setReason] = useState('')
  const { busy, err, run } = useStep()
  const options = centres.filter((c) => c.id !== r.centreId).map((c) => ({ value: c.id, label: `${c.name}（${c.activeOfficers}人在岗）` }))

  async function reassign () {
    if (!centreId) return
    if (await run(() => callCloud('legalaid', 'reassign', { requestId: r.id, centreId, reason }), '已转办')) onDone()
  }

  return (
    <View className='la-card la-card--urgent' data-testid='stuck-item'>
      <View className='la-card__name'>{r.childName} · {r.matterLabel}</View>
      <View className='la-small'>申请编号 {r.reference} · {whenWords(r.submittedAt)} 提交</View>
      <View className='la-card__line'>现在在：<Text className='la-strong'>{r.centreName}</Text>（{r.stateLabel}）</View>
      {r.why.map((w) => <View key={w} className='la-card__line la-clock--late' data-testid='stuck-why'>· {w}</View>)}
      {!open && (
        <View className='la-gap'>
          <Button block size='large' type='primary' data-testid='reassign-open' onClick={() => setOpen(true)}>转给别的中心</Button>
        </View>
      )}
      {open && (
        <View className='la-gap' data-testid='reassign-form'>
          {options.length === 0
            ? <EmptyState title='没有可以转去的中心' description='其他中心也没有在岗人员。请联系中心负责人安排人手，或打 12348。' />
            : (
              <View>
                <Field label='转给哪个中心？' error={fieldsOf(err).centreId}>
                  <OneOf options={options} value={centreId} onChange={setCentreId} testId='reassign-centre' />
                </Field>
                <Field label='为什么转？' hint='申请人会看到这段话。' hintAbove error={fieldsOf(err).reason}>
                  <LongText value={reason} onChange={setReason} maxLength={200} rows={2} placeholder='比如：深圳中心暂时无人在岗，先由县中心办理' testId='reassign-reason' />
                </Field>
                <Button block size='large' type='primary' loading={busy} disabled={busy || !centreId} data-testid='reassign' onClick={reassign}>
                  {centreId ? '确定转办' : '先选一个中心'}
                </Button>
              </View>
              )}
          <Button block size='large' fill='none' disabled={busy} onClick={() => setOpen(false)}>先不转</Button>
          {Boolean(err) && !fieldsOf(err).centreId && !fieldsOf(err).reason && <ProblemBox message={messageOf(err)} />}
        </View>
      )}
    </View>
  )
}
