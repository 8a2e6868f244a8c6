import { useEffect, useState } from 'react'
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { z } from 'zod'
import { END_REASONS, END_REASON_LABELS, addDays, type PairingView } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { dateWords, dayOf, today } from '../../../../services/format'
import { call, go, routeParam } from '../../../../services/nav'
import { useCloud } from '../../../../hooks/useCloud'
import { useReloadOnShow } from '../../../../hooks/useReloadOnShow'
import { useAttemptKey } from '../../../../hooks/useAttemptKey'
import { Page } from '../../../../components/Page'
import { Button, Switch } from '../../../../components/nut'
import { Choice } from '../../../../components/Choice'
import { Field } from '../../../../components/Field'
import { LongText } from '../../../../components/TextInput'
import { Notice } from '../../../../components/Notice'
import { EmptyState, ErrorState, LoadingState, fieldsOf, showDone, showError, showFix } from '../../../../components/States'
import { ChildFacts, RhythmBadges, RhythmLine } from '../../components/rhythm'
import { DayField } from '../../components/DayField'
import { CONTACT_KIND_LABELS, CONTACT_MODE_LABELS } from '../../labels'
import '../../pairing.scss'
import { useFieldErrors } from '../../../../hooks/useFieldErrors'

type Pairing = z.infer<typeof PairingView>
type Rhythm = Pairing['rhythm']
type Kind = 'talk' | 'visit'
type Mode = 'call' | 'video' | 'inPerson'
type EndReason = (typeof END_REASONS)[number]

/**
 * 我结对的孩子. With `?id=` (or when I have just one): the pairing page — this month's talk and this quarter's
 * visit as big 已完成/待完成 badges, logging a talk or a visit in a few taps, recent logs, raising a concern (a
 * mandatory report when the child may be harmed), ending the pairing with a reason. Without: my pairings.
 */
export default function PairingPage () {
  const { params } = useRouter()
  const [id, setId] = useState<string | undefined>(routeParam(params.id))
  const [ended, setEnded] = useState<string | undefined>()
  const list = useCloud(() => callCloud('pairing', 'myPairings', {}))
  usePullDownRefresh(() => { list.reload(); Taro.stopPullDownRefresh() })
  useReloadOnShow(list.reload)

  if (ended) {
    return (
      <Page testId='pairing-ended' className='pr-root'>
        <View className='pr-done'>
          <View className='pr-done__title'>结对已结束</View>
          <View className='pr-done__line'>谢谢您对{ended}的关爱</View>
          <View className='pr-sub'>孩子会回到待结对的名单里，部门会再为孩子安排。</View>
        </View>
        <View className='big-button'>
          <Button block size='large' type='primary' onClick={() => { setEnded(undefined); setId(undefined); list.reload() }}>看我结对的孩子</Button>
        </View>
      </Page>
    )
  }
  if (list.loading && !list.data) return <Page className='pr-root'><LoadingState /></Page>
  if (list.error?.code === 'FORBIDDEN') {
    return (
      <Page testId='pairing-list' className='pr-root'>
        <EmptyState title='您还不是登记的志愿者' description='登记、通过审查并接受结对邀请以后，结对的孩子会在这里。' />
        <View className='big-button'><Button block size='large' type='primary' onClick={() => go('/packages/pairing/pages/register/index')}>去登记</Button></View>
      </Page>
    )
  }
  if (list.error) return <Page className='pr-root'><ErrorState error={list.error} onRetry={list.reload} /></Page>
  if (!list.data) return null
  const pairings = list.data.pairings
  const chosen = id ? pairings.find((p) => p.id === id) : (pairings.length === 1 ? pairings[0] : undefined)

  if (id && !chosen) {
    return (
      <Page testId='pairing-missing' className='pr-root'>
        <EmptyState title='没有找到这个结对' description='它可能已经结束了。' />
        <View className='big-button'><Button block size='large' type='primary' onClick={() => setId(undefined)}>看我结对的孩子</Button></View>
      </Page>
    )
  }
  if (chosen) {
    return (
      <Detail key={chosen.id} pairing={chosen} onChanged={list.reload}
        onBack={pairings.length > 1 ? () => setId(undefined) : undefined}
        onEnded={() => setEnded(chosen.child.name)} />
    )
  }

  return (
    <Page testId='pairing-list' className='pr-root'>
      <View className='title'>我结对的孩子</View>
      {pairings.length === 0
        ? (
          <View>
            <EmptyState title='还没有结对的孩子' description='接受结对邀请以后，孩子会出现在这里。' />
            <View className='big-button'><Button block size='large' type='primary' onClick={() => go('/packages/pairing/pages/offers/index')}>看结对邀请</Button></View>
          </View>
          )
        : pairings.map((p) => (
          <View key={p.id} className='pr-card pr-card--tap' data-testid='my-pairing' onClick={() => setId(p.id)}>
            <View className='pr-row'>
              <Text className='pr-name'>{p.child.name}</Text>
              <Text className='pr-more'>›</Text>
            </View>
            <ChildFacts child={p.child} />
            <RhythmLine rhythm={p.rhythm} />
            {p.status === 'review' && <Notice tone='warn'>待复核：您的审查已过期</Notice>}
          </View>
        ))}
    </Page>
  )
}

function Detail ({ pairing, onChanged, onBack, onEnded }: { pairing: Pairing, onChanged: () => void, onBack?: () => void, onEnded: () => void }) {
  const [open, setOpen] = useState<Kind | 'concern' | 'end' | undefined>()
  const [rhythm, setRhythm] = useState<Rhythm>(pairing.rhythm)
  const [saved, setSaved] = useState<Kind | undefined>()
  const [concern, setConcern] = useState<{ reported: boolean } | undefined>()
  const [showAll, setShowAll] = useState(false)
  // A fresh list from the server wins over the rhythm the last save returned.
  useEffect(() => { setRhythm(pairing.rhythm) }, [pairing])

  const since = dayOf(pairing.since)
  const logs = showAll ? pairing.logs : pairing.logs.slice(0, 5)
  const toggle = (what: typeof open) => { setOpen(open === what ? undefined : what); setSaved(undefined); setConcern(undefined) }

  return (
    <Page testId='pairing-page' className='pr-root'>
      {onBack && <Text className='pr-link' onClick={onBack}>‹ 看其他结对的孩子</Text>}
      <View className='title' data-testid='child-name'>{pairing.child.name}</View>
      <View className='pr-card'>
        <ChildFacts child={pairing.child} />
        <View className='pr-sub'>{dateWords(since)}开始结对</View>
      </View>
      <Visit pairingId={pairing.id} visit={pairing.visit} />
      {pairing.status === 'review' && (
        <Notice tone='warn' testId='review'>您的无犯罪记录审查已过期，这个结对待复核。请尽快联系负责部门复查；复查以前仍请照常关心孩子。</Notice>
      )}

      <RhythmBadges rhythm={rhythm} />
      {saved && <Notice tone='ok' testId='saved'>记好了：{CONTACT_KIND_LABELS[saved]}一次。</Notice>}

      <View className='pr-buttons pr-buttons--stack'>
        <Button block size='large' type={open === 'talk' ? 'default' : 'primary'} data-testid='log-talk' onClick={() => toggle('talk')}>记一次谈心</Button>
        {open === 'talk' && <LogForm pairingId={pairing.id} kind='talk' earliest={since} onCancel={() => setOpen(undefined)}
          onSaved={(r) => { setRhythm(r); setOpen(undefined); setSaved('talk'); onChanged() }} />}
        <Button block size='large' type={open === 'visit' ? 'default' : 'primary'} data-testid='log-visit' onClick={() => toggle('visit')}>记一次上门看望</Button>
        {open === 'visit' && <LogForm pairingId={pairing.id} kind='visit' earliest={since} onCancel={() => setOpen(undefined)}
          onSaved={(r) => { setRhythm(r); setOpen(undefined); setSaved('visit'); onChanged() }} />}
      </View>

      <View className='section-title'>最近的记录</View>
      {pairing.logs.length === 0
        ? <EmptyState title='还没有记录' description='和孩子谈过心、上门看望过，就点上面的按钮记一下。' />
        : (
          <View className='pr-card' data-testid='logs'>
            {logs.map((l, i) => (
              <View key={i} className='pr-log' data-testid='log'>
                <View className='pr-row'>
                  <Text className='pr-log__what'>{CONTACT_KIND_LABELS[l.kind]} · {CONTACT_MODE_LABELS[l.mode] ?? l.mode}</Text>
                  <Text className='pr-sub'>{dateWords(dayOf(l.at))}</Text>
                </View>
                <View className='pr-log__note'>{l.note}</View>
              </View>
            ))}
            {pairing.logs.length > 5 && <Text className='pr-link' onClick={() => setShowAll(!showAll)}>{showAll ? '收起' : `看全部${pairing.logs.length}条`}</Text>}
          </View>
          )}

      <View className='section-title'>遇到情况</View>
      {concern && (
        <Notice tone={concern.reported ? 'danger' : 'ok'} testId='concern-done'>
          {concern.reported
            ? '已经作为强制报告送到派出所，并告诉了儿童主任、民政和教育部门。派出所会处理，您不用再单独报告。孩子有紧急危险请马上拨打110。'
            : '已经告诉孩子所在村（乡镇）的儿童主任，他们会跟进。'}
        </Notice>
      )}
      <View className='pr-buttons pr-buttons--stack'>
        <Button block size='large' data-testid='raise-concern' onClick={() => toggle('concern')}>反映情况</Button>
        {open === 'concern' && <ConcernForm pairingId={pairing.id} onCancel={() => setOpen(undefined)} onDone={(r) => { setConcern(r); setOpen(undefined) }} />}
        <Button block size='large' data-testid='end' onClick={() => toggle('end')}>结束结对</Button>
        {open === 'end' && <EndForm pairingId={pairing.id} onCancel={() => setOpen(undefined)} onDone={onEnded} />}
      </View>
    </Page>
  )
}

/**
 * Where to visit and whom to call: the village and the guardian at home. The number is fetched for the call only
 * (each look is logged, docs/DOMAIN.md "Children's personal information") and never shown.
 */
function Visit ({ pairingId, visit }: { pairingId: string, visit: Pairing['visit'] }) {
  const [calling, setCalling] = useState(false)
  async function ring () {
    if (calling) return
    setCalling(true)
    try {
      const { phone } = await callCloud('pairing', 'callNumber', { pairingId })
      call(phone)
    } catch (err) {
      showError(err, { oneField: true })
    } finally {
      setCalling(false)
    }
  }
  return (
    <View className='pr-card' data-testid='visit'>
      <View className='pr-visit' data-testid='visit-where'>上门看望：{visit.villageName}，监护人{visit.guardianName}家</View>
      <View className='pr-sub'>去之前先打个电话约时间，请家人在场。</View>
      <Button block size='large' loading={calling} disabled={calling} data-testid='call-guardian' onClick={ring}>给{visit.guardianName}打电话</Button>
      <View className='pr-sub'>号码只在打电话时用，每次都会记录。</View>
    </View>
  )
}

const TALK_MODES: Array<{ value: Mode, label: string }> = [
  { value: 'call', label: CONTACT_MODE_LABELS.call }, { value: 'video', label: CONTACT_MODE_LABELS.video }, { value: 'inPerson', label: CONTACT_MODE_LABELS.inPerson }
]

/** 记一次谈心 / 上门看望: how (a visit is in person), which day (today unless changed), a line of what happened. */
function LogForm ({ pairingId, kind, earliest, onSaved, onCancel }: { pairingId: string, kind: Kind, earliest: string, onSaved: (r: Rhythm) => void, onCancel: () => void }) {
  const [mode, setMode] = useState<Mode>(kind === 'visit' ? 'inPerson' : 'call')
  // Unset means today, read when shown or sent: the cloud's clock may have moved since the form opened.
  const [date, setDate] = useState<string>()
  const [note, setNote] = useState('')
  const [errors, setErrors] = useFieldErrors()
  const [busy, setBusy] = useState(false)
  const attempt = useAttemptKey()
  // A pairing may have started today; a talk a year back is still allowed to be caught up on.
  const first = earliest < addDays(today(), -365) ? addDays(today(), -365) : earliest

  async function save () {
    if (busy) return
    setBusy(true)
    setErrors({})
    try {
      // Pressing 保存 again after a lost connection sends the same key: the talk is recorded once.
      const contact = { pairingId, kind, mode, date: date ?? today(), note }
      const res = await callCloud('pairing', 'logContact', { ...contact, idempotencyKey: attempt.keyFor(JSON.stringify(contact)) })
      attempt.done()
      showDone('记好了')
      onSaved(res.rhythm)
    } catch (err) {
      const fields = fieldsOf(err)
      if (Object.keys(fields).length > 0) { setErrors(fields); showFix() } else showError(err, { oneField: true })
    } finally {
      setBusy(false)
    }
  }

  return (
    <View className='pr-form' data-testid={`${kind}-form`}>
      {kind === 'talk' && (
        <Field label='怎么谈的？' error={errors.mode} testId='f-mode'>
          <Choice value={mode} options={TALK_MODES} onChange={setMode} />
        </Field>
      )}
      <Field label={kind === 'talk' ? '哪天谈的？' : '哪天去的？'} error={errors.date} testId='f-date'>
        <DayField value={date ?? today()} onChange={setDate} earliest={first} />
      </Field>
      <Field label={kind === 'talk' ? '聊了什么？' : '看到孩子怎么样？'} error={errors.note} testId='f-note'>
        <LongText rows={3} autoSize value={note} onChange={setNote} maxLength={300} placeholder={kind === 'talk' ? '一句话就行，例如：聊了学校里的事' : '一句话就行，例如：家里都好，带了课外书'} />
      </Field>
      {kind === 'visit' && <View className='pr-sub'>上门看望也算这个月谈过心。请有家人在场。</View>}
      <View className='pr-buttons'>
        <Button type='primary' size='large' loading={busy} data-testid='save-log' onClick={save}>保存</Button>
        <Button size='large' onClick={onCancel}>不记了</Button>
      </View>
    </View>
  )
}

/**
 * 反映情况: what the volunteer saw or heard. With 孩子可能受到伤害 on, it becomes a mandatory report to the police
 * at once (未成年人保护法 第十一条), and the page says so before it is sent.
 */
function ConcernForm ({ pairingId, onDone, onCancel }: { pairingId: string, onDone: (r: { reported: boolean }) => void, onCancel: () => void }) {
  const [text, setText] = useState('')
  const [harm, setHarm] = useState(false)
  const [errors, setErrors] = useFieldErrors()
  const [busy, setBusy] = useState(false)
  const attempt = useAttemptKey()

  async function send () {
    if (busy) return
    setBusy(true)
    setErrors({})
    try {
      const concern = { pairingId, text, harm }
      const res = await callCloud('pairing', 'raiseConcern', { ...concern, idempotencyKey: attempt.keyFor(JSON.stringify(concern)) })
      attempt.done()
      onDone({ reported: res.reported })
    } catch (err) {
      const fields = fieldsOf(err)
      if (Object.keys(fields).length > 0) { setErrors(fields); showFix() } else showError(err, { oneField: true })
    } finally {
      setBusy(false)
    }
  }

  return (
    <View className='pr-form' data-testid='concern-form'>
      <Field label='看到或听到了什么？' error={errors.text} testId='f-text'>
        <LongText rows={3} autoSize value={text} onChange={setText} maxLength={500} placeholder='写下您看到、听到的事，什么时候，在哪里' />
      </Field>
      <View className={harm ? 'field pr-harm pr-harm--on' : 'field pr-harm'} data-testid='f-harm'>
        <View className='pr-row'>
          <Text className='field__label'>孩子可能受到伤害</Text>
          <Switch checked={harm} onChange={setHarm} data-testid='harm-switch' />
        </View>
        <View className='field__hint'>
          {harm
            ? '打开了：这会作为强制报告，马上送到派出所，并告诉民政和教育部门（《未成年人保护法》第十一条）。'
            : '如果孩子可能被打、被虐待、被欺负或有危险，请打开。'}
        </View>
      </View>
      <Notice tone='danger'>
        孩子正有危险，请马上<Text className='pr-link' data-testid='call-110' onClick={() => call('110')}>拨打 110</Text>。
      </Notice>
      <View className='pr-buttons'>
        <Button type={harm ? 'danger' : 'primary'} size='large' loading={busy} data-testid='send-concern' onClick={send}>{harm ? '发出强制报告' : '告诉儿童主任'}</Button>
        <Button size='large' onClick={onCancel}>先不报</Button>
      </View>
    </View>
  )
}

/** The reasons a volunteer gives; 审查过期 is the admin's. */
const END_OPTIONS = END_REASONS.filter((r) => r !== 'vettingExpired').map((r) => ({ value: r, label: END_REASON_LABELS[r] }))

function EndForm ({ pairingId, onDone, onCancel }: { pairingId: string, onDone: () => void, onCancel: () => void }) {
  const [reason, setReason] = useState<EndReason | undefined>()
  const [note, setNote] = useState('')
  const [errors, setErrors] = useFieldErrors()
  const [busy, setBusy] = useState(false)

  async function end () {
    if (busy) return
    setBusy(true)
    setErrors({})
    try {
      await callCloud('pairing', 'endPairing', { pairingId, reason: reason as EndReason, ...(note.trim() ? { note } : {}) })
      onDone()
    } catch (err) {
      const fields = fieldsOf(err)
      if (Object.keys(fields).length > 0) { setErrors(fields); showFix() } else showError(err, { oneField: true })
    } finally {
      setBusy(false)
    }
  }

  return (
    <View className='pr-form' data-testid='end-form'>
      <Field label='为什么结束？' error={errors.reason} testId='f-reason'>
        <Choice value={reason} options={END_OPTIONS} onChange={setReason} />
      </Field>
      <Field label='补充说明' optional error={errors.note}>
        <LongText rows={3} autoSize value={note} onChange={setNote} maxLength={200} />
      </Field>
      <View className='pr-sub'>结束以后，孩子会回到待结对的名单，部门会再为孩子安排。</View>
      <View className='pr-buttons'>
        <Button type='danger' size='large' loading={busy} data-testid='end-yes' onClick={end}>确认结束</Button>
        <Button size='large' onClick={onCancel}>不结束</Button>
      </View>
    </View>
  )
}
