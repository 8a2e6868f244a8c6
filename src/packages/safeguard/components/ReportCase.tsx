/**
 * A report as its handlers read it: what was reported, every entry of its chain with who and when, whether the
 * chain is whole, and the steps the reader's role may add: the police liaison acknowledges (接收), records what
 * was done and closes it (办结); civil affairs records a guardianship intervention. Others of the county read only.
 */
import { useState } from 'react'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import {
  INTERVENTIONS, INTERVENTION_LABELS, POLICE_ACTIONS, POLICE_ACTION_LABELS, type ActionOutput
} from '../../../domain'
import { callCloud } from '../../../services/cloud'
import { askIfRunningLow } from '../../../services/subscriptions'
import { useAllowsLeft } from '../../../hooks/useAllowsLeft'
import { dayWords, whenWords } from '../../../services/format'
import { call } from '../../../services/nav'
import { useCloud } from '../../../hooks/useCloud'
import { useReloadOnShow } from '../../../hooks/useReloadOnShow'
import { useStep } from '../../../hooks/useStep'
import { Button } from '../../../components/nut'
import { Page } from '../../../components/Page'
import { Field } from '../../../components/Field'
import { LongText } from '../../../components/TextInput'
import { OneOf } from '../../../components/Chips'
import { Pill } from '../../../components/Notice'
import { ErrorState, LoadingState, ProblemBox, fieldsOf, messageOf } from '../../../components/States'
import { ChildSearch, type Pickable } from './ReportForm'
import { StatePill } from './ReportState'
import '../safeguard.scss'

type Detail = ActionOutput<'safeguard', 'detail'>
type PoliceAction = (typeof POLICE_ACTIONS)[number]
type Intervention = (typeof INTERVENTIONS)[number]

const ACTION_OPTIONS = POLICE_ACTIONS.map((a) => ({ value: a, label: POLICE_ACTION_LABELS[a] }))
const INTERVENTION_OPTIONS = INTERVENTIONS.map((i) => ({ value: i, label: INTERVENTION_LABELS[i] }))

export function ReportCase ({ id }: { id: string }) {
  useAllowsLeft()
  const loaded = useCloud(async () => {
    return { detail: await callCloud('safeguard', 'detail', { reportId: id }) }
  }, [id])
  usePullDownRefresh(() => { loaded.reload(); Taro.stopPullDownRefresh() })
  useReloadOnShow(loaded.reload)

  if (loaded.loading && !loaded.data) return <Page className='sg-root'><LoadingState /></Page>
  if (loaded.error && !loaded.data) return <Page className='sg-root'><ErrorState error={loaded.error} onRetry={loaded.reload} /></Page>
  const { detail: d } = loaded.data!
  const open = d.state !== 'closed'
  const may = d.may

  return (
    <Page testId='report-case' className='sg-root'>
      {d.dangerNow && d.state === 'delivered' && <View className='sg-danger sg-strong' data-testid='danger-now'>报告人说孩子现在有危险，请立即处置</View>}
      <View className='sg-card'>
        <View className='sg-card__name' data-testid='case-child'>{d.childName}</View>
        <View className='sg-tags'>
          <StatePill state={d.state} label={d.stateLabel} />
          {d.dangerNow && <Pill tone='red'>现在有危险</Pill>}
          {d.childUnlisted && <Pill tone='blue' testId='unlisted'>未登记的孩子</Pill>}
          {d.kinds.map((k) => <Pill key={k.code} tone='orange'>{k.label}</Pill>)}
        </View>
        {d.childUnlisted && (
          <View className='sg-line' data-testid='case-child-about'>
            <Text className='sg-label'>孩子：</Text>{[d.childTownship, d.childAbout].filter(Boolean).join('，') || '报告人没有写更多'}
          </View>
        )}
        <View className='sg-line'>编号：<Text className='sg-strong' data-testid='case-reference'>{d.reference}</Text></View>
        <View className='sg-line'>报告时间：{whenWords(d.filedAt)}</View>
        <View className='sg-line'>报告人：{d.reporterName || '—'} · {d.origin}</View>
        {d.acknowledgedAt && <View className='sg-line'>公安接收：{whenWords(d.acknowledgedAt)}</View>}
      </View>

      <View className='section-title'>报告的情况</View>
      <View className='sg-card'>
        <View className='sg-label'>看到或听到的</View>
        <View className='sg-story' data-testid='case-seen'>{d.seen || '—'}</View>
        {d.when && <View className='sg-line'><Text className='sg-label'>时间：</Text>{dayWords(d.when)}</View>}
        {d.where && <View className='sg-line'><Text className='sg-label'>地点：</Text>{d.where}</View>}
      </View>

      {may.acknowledge && <Acknowledge id={id} onDone={loaded.reload} />}
      {(d.place.school || d.place.township) && (
        <View>
          <View className='section-title'>去哪里找孩子</View>
          <View className='sg-card' data-testid='case-place'>
            {d.place.school && <View className='sg-line'><Text className='sg-label'>学校：</Text>{d.place.school}{d.place.className ? ` ${d.place.className}` : ''}</View>}
            {(d.place.township || d.place.village) && <View className='sg-line'><Text className='sg-label'>住在：</Text>{d.place.township}{d.place.village}</View>}
          </View>
        </View>
      )}
      {d.contacts.length > 0 && (
        <View>
          <View className='section-title'>打电话（按顺序）</View>
          <View className='sg-card' data-testid='case-contacts'>
            {d.contacts.map((c, i) => (
              <View key={c.phone} className='sg-contact' data-testid='case-contact'>
                <View className='sg-contact__main'>
                  {/* Why to be careful, said once above the numbers it is about. */}
                  {c.caution && c.caution !== d.contacts[i - 1]?.caution && <View className='sg-red sg-small'>⚠ {c.caution}</View>}
                  <View className='sg-small'>{c.label}</View>
                  <View className='sg-contact__phone'>{c.phone}</View>
                  {c.avoid && <View className='sg-red' data-testid='case-contact-avoid'>见到孩子之前，先不要通知这个人</View>}
                </View>
                <Button size='large' shape='round' type={c.avoid ? 'default' : 'primary'} fill={c.avoid ? 'outline' : 'solid'} onClick={() => call(c.phone)}>拨打</Button>
              </View>
            ))}
          </View>
        </View>
      )}

      {may.recordAction && <RecordAction id={id} onDone={loaded.reload} />}
      {may.recordIntervention && <RecordIntervention id={id} onDone={loaded.reload} />}
      {may.close && <Close id={id} onDone={loaded.reload} />}
      {may.linkChild && <LinkChild id={id} described={d.childName} onDone={loaded.reload} />}
      {!may.recordAction && !may.recordIntervention && open && <View className='hint' data-testid='read-only'>处理由辖区公安联络员记录，监护干预由民政局记录；您可以在这里看到每一步。</View>}
      {!open && <View className='sg-closed' data-testid='case-closed'>这份报告已办结</View>}

      <View className='section-title'>处理记录</View>
      <Timeline d={d} />
    </Page>
  )
}

function Timeline ({ d }: { d: Detail }) {
  return (
    <View className='sg-card'>
      {d.intact
        ? <View className='sg-intact' data-testid='integrity'>✓ 记录完整：每一条都和上一条连着，没有被改动过</View>
        : <View className='sg-broken' data-testid='integrity'>
          {d.missing
            ? `记录被删掉了：应有${d.entries.length + d.missing}条，现在只有${d.entries.length}条，最新的${d.missing}条不见了。这份记录不可信，请马上告诉上级。`
            : `记录被改动过，从第${(d.brokenAt ?? 0) + 1}条起不可信`}
        </View>}
      <View className='sg-timeline'>
        {d.entries.map((e, i) => {
          const bad = !d.intact && e.seq >= (d.brokenAt ?? 0)
          return (
            <View key={e.seq} className='sg-tl' data-testid='entry'>
              <View className='sg-tl__rail'>
                <View className={i === d.entries.length - 1 ? 'sg-tl__dot sg-tl__dot--last' : bad ? 'sg-tl__dot sg-tl__dot--bad' : 'sg-tl__dot'} />
                {i < d.entries.length - 1 && <View className='sg-tl__line' />}
              </View>
              <View className='sg-tl__body'>
                <View className={bad ? 'sg-tl__text sg-tl__text--bad' : 'sg-tl__text'} data-testid='entry-text'>{e.text}</View>
                <View className='sg-tl__time'>第{e.seq + 1}条 · {e.byName || '—'} · {whenWords(e.at)}</View>
              </View>
            </View>
          )
        })}
      </View>
    </View>
  )
}

/** A handler step (useStep) with its failure as the form shows it: by field, or in words when no field is named. */
function useHandlerStep () {
  const { busy, err, run } = useStep()
  const errors = fieldsOf(err)
  const failure = err && Object.keys(errors).length === 0 ? messageOf(err) : undefined
  return {
    busy,
    errors,
    failure,
    run: async (work: () => Promise<unknown>, done: string, onDone: () => void) => {
      const ok = await run(work, done)
      if (ok) onDone()
      return ok
    }
  }
}

/** A described child found in the registry: pick the file, and the report joins it (the description stays). */
function LinkChild ({ id, described, onDone }: { id: string, described: string, onDone: () => void }) {
  const s = useHandlerStep()
  const [picked, setPicked] = useState<Pickable>()
  return (
    <View className='sg-actions' data-testid='link-box'>
      <View className='sg-actions__title'>对应孩子档案</View>
      <View className='sg-small'>报告人写的是「{described}」。在儿童档案里找到这个孩子后，这份报告会记入孩子的档案。</View>
      {picked
        ? (
          <View className='sg-picked' data-testid='link-picked'>
            <View>
              <View className='sg-picked__name'>{picked.name}</View>
              {picked.detail && <View className='sg-small'>{picked.detail}</View>}
            </View>
            <View className='sg-link' onClick={() => setPicked(undefined)}>换一个</View>
          </View>
          )
        : <ChildSearch onPick={setPicked} />}
      {s.errors.childId && <View className='field__error'>{s.errors.childId}</View>}
      <ProblemBox message={s.failure} />
      {picked && (
        <Button block size='large' type='primary' loading={s.busy} disabled={s.busy} data-testid='link-child'
          onClick={() => s.run(() => callCloud('safeguard', 'linkChild', { reportId: id, childId: picked.id }), '已对应', onDone)}>对应到{picked.name}的档案</Button>
      )}
    </View>
  )
}

function Acknowledge ({ id, onDone }: { id: string, onDone: () => void }) {
  const s = useHandlerStep()
  return (
    <View className='sg-actions sg-actions--urgent' data-testid='ack-box'>
      <View className='sg-actions__title'>接收这份报告</View>
      <View className='sg-small'>接收后，报告人会看到「公安已接收，正在处理」，上报提醒停止。</View>
      <ProblemBox message={s.failure} />
      <Button block size='large' type='danger' loading={s.busy} disabled={s.busy} data-testid='acknowledge'
        onClick={async () => { await askIfRunningLow(['reportAlert']); await s.run(() => callCloud('safeguard', 'acknowledge', { reportId: id }), '已接收', onDone) }}>接收</Button>
    </View>
  )
}

function RecordAction ({ id, onDone }: { id: string, onDone: () => void }) {
  const s = useHandlerStep()
  const [action, setAction] = useState<PoliceAction>()
  const [note, setNote] = useState('')
  return (
    <View className='sg-actions' data-testid='action-box'>
      <View className='sg-actions__title'>记录处理</View>
      <Field label='做了什么？' error={s.errors.action}>
        <OneOf options={ACTION_OPTIONS} value={action} onChange={setAction} testId='action' />
      </Field>
      <Field label='说明' optional error={s.errors.note}>
        <LongText value={note} onChange={setNote} maxLength={300} rows={3} placeholder='例如：已到家中了解情况' testId='action-note' />
      </Field>
      <ProblemBox message={s.failure} />
      <Button block size='large' type='primary' loading={s.busy} disabled={s.busy} data-testid='record-action'
        onClick={async () => {
          const ok = await s.run(() => callCloud('safeguard', 'recordAction', { reportId: id, action: action as PoliceAction, ...(note.trim() ? { note } : {}) }), '已记录', onDone)
          if (ok) { setAction(undefined); setNote('') }
        }}>保存处理情况</Button>
    </View>
  )
}

function RecordIntervention ({ id, onDone }: { id: string, onDone: () => void }) {
  const s = useHandlerStep()
  const [intervention, setIntervention] = useState<Intervention>()
  const [note, setNote] = useState('')
  return (
    <View className='sg-actions' data-testid='intervention-box'>
      <View className='sg-actions__title'>记录监护干预</View>
      <Field label='采取了什么措施？' error={s.errors.intervention}>
        <OneOf options={INTERVENTION_OPTIONS} value={intervention} onChange={setIntervention} testId='intervention' />
      </Field>
      <Field label='说明' optional error={s.errors.note}>
        <LongText value={note} onChange={setNote} maxLength={300} rows={3} placeholder='例如：已对监护人训诫' testId='intervention-note' />
      </Field>
      <ProblemBox message={s.failure} />
      <Button block size='large' type='primary' loading={s.busy} disabled={s.busy} data-testid='record-intervention'
        onClick={async () => {
          const ok = await s.run(() => callCloud('safeguard', 'recordIntervention', { reportId: id, intervention: intervention as Intervention, ...(note.trim() ? { note } : {}) }), '已记录', onDone)
          if (ok) { setIntervention(undefined); setNote('') }
        }}>保存干预措施</Button>
    </View>
  )
}

function Close ({ id, onDone }: { id: string, onDone: () => void }) {
  const s = useHandlerStep()
  const [note, setNote] = useState('')
  return (
    <View className='sg-actions' data-testid='close-box'>
      <View className='sg-actions__title'>办结</View>
      <View className='sg-small'>办结后不能再添加处理记录。报告人会看到「已办结」。</View>
      <Field label='结案说明' error={s.errors.note}>
        <LongText value={note} onChange={setNote} maxLength={300} rows={3} placeholder='例如：监护人已整改，孩子安全' testId='close-note' />
      </Field>
      <ProblemBox message={s.failure} />
      <Button block size='large' type='success' loading={s.busy} disabled={s.busy} data-testid='close'
        onClick={() => s.run(() => callCloud('safeguard', 'close', { reportId: id, note }), '已办结', onDone)}>办结</Button>
    </View>
  )
}
