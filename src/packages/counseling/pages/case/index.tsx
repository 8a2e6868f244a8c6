import { useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { HARM_KINDS, HARM_KIND_LABELS, addDays, type HarmKind } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { dayWords, sessionWords, today, whenWords } from '../../../../services/format'
import { back, call, replace, routeParam } from '../../../../services/nav'
import { useCloud } from '../../../../hooks/useCloud'
import { useAttemptKey } from '../../../../hooks/useAttemptKey'
import { Page } from '../../../../components/Page'
import { Section } from '../../../../components/Section'
import { Button } from '../../../../components/nut'
import { TextArea } from '../../../../components/nut-forms/TextArea'
import { DayWheels } from '../../../../components/DayWheels'
import { EmptyState, ErrorState, LoadingState, ProblemBox, fieldsOf, messageOf } from '../../../../components/States'
import { Field } from '../../../../components/Field'
import { Chips, OneOf } from '../../../../components/Chips'
import { LongText } from '../../../../components/TextInput'
import { UrgencyTag } from '../../components/Tags'
import { ContactList } from '../../components/Buttons'
import { CrisisCard, Said, Who } from '../../components/CrisisCard'
import '../../counseling.scss'
import { useFieldErrors } from '../../../../hooks/useFieldErrors'

/** Follow-up offered with one tap, in days from today; any other day from the picker. */
const FOLLOW_UPS = [[3, '3天后'], [7, '1周后'], [14, '2周后'], [30, '1个月后']] as const

/**
 * A case: the request with every number that may reach the child (one tap each; the read is logged), 我来处理 for a
 * crisis, the session and how it happens, the mandatory report (file it, or add to it), the confidential session
 * notes (only counsellors of the station read them; every read is logged), a new note with an optional follow-up
 * day, and closing the case with a summary.
 */
export default function Case () {
  const { params } = useRouter()
  const requestId = routeParam(params.id) ?? ''
  const data = useCloud(async () => {
    const [view, notes] = await Promise.all([
      callCloud('counseling', 'caseView', { requestId }),
      callCloud('counseling', 'readNotes', { requestId })
    ])
    return { ...view, notes: notes.notes }
  }, [requestId])
  const [closed, setClosed] = useState(false)

  if (data.loading && !data.data) return <Page className='cs'><LoadingState /></Page>
  if (data.error && !data.data) return <Page className='cs'><ErrorState error={data.error} onRetry={data.reload} /></Page>
  if (!data.data) return null
  const { item, session, report, notes } = data.data
  const isClosed = closed || item.state === 'closed'

  return (
    <Page testId='case' className='cs'>
      <View className='cs-secret' data-testid='confidential'>保密：只有本站辅导员能看。每次查看都会留下记录。</View>
      {item.urgency === 'crisis' && !isClosed
        ? <CrisisCard item={item} onChanged={data.reload} />
        : (
          <View className='cs-card' data-testid='case-item'>
            <View className='cs-card__head'>
              <Text className='cs-card__name'>{item.childName}</Text>
              <UrgencyTag urgency={item.urgency} label={item.urgencyLabel} />
            </View>
            <Who item={item} />
            {isClosed && <View className='cs-card__line'>这次求助已经结案。</View>}
            {item.overdue && <View className='cs-reason'>「尽快」求助还没约上时间：请打电话给{item.requesterName}，帮忙约一个时间。</View>}
            <Said item={item} />
            {item.crisis?.acknowledgedBy && <View className='cs-ack'>✓ {item.crisis.acknowledgedBy} 已接手</View>}
            {item.counselorName && !item.crisis && <View className='cs-card__line'>辅导员：{item.counselorName}</View>}
            {item.followUpDate && <View className='cs-card__line'>回访：{dayWords(item.followUpDate)}</View>}
            <View className='section-title'>电话</View>
            <ContactList contacts={item.contacts} />
          </View>
          )}
      {session && (
        <View className='cs-card' data-testid='case-session'>
          <View className='cs-card__line'>约好的时间：<Text className='cs-strong'>{sessionWords(session.start, session.end)}</Text>（{session.modeLabel}）</View>
          <View className='cs-card__line'>{session.how}</View>
          {session.phone && <Button block type='primary' onClick={() => call(session.phone!)}>到时拨打 {session.phone}</Button>}
        </View>
      )}

      {closed && (
        <View className='cs-done' data-testid='closed'>
          <View className='cs-card__name'>已结案</View>
          <View className='cs-card__line'>这次求助已经不在队列里了，记录还留在这里。</View>
          <Button block onClick={() => back(() => replace('/packages/counseling/pages/queue/index'))}>回到求助队列</Button>
        </View>
      )}
      <ReportBox requestId={requestId} report={report} onDone={data.reload} />
      <Section title={`辅导记录（${notes.length}）`} testId='notes'>
        {notes.length === 0
          ? <EmptyState title='还没有记录' description='每次谈话后写几句：聊了什么、孩子怎么样、下一步做什么。' />
          : (
            <View className='cs-card'>
              {notes.map((n) => (
                <View key={n.id} className='cs-note' data-testid='note'>
                  <View className='cs-small'>{n.authorName} · {whenWords(n.at)}{n.followUpDate ? ` · 回访 ${dayWords(n.followUpDate)}` : ''}</View>
                  <View className='cs-note__text'>{n.text}</View>
                </View>
              ))}
            </View>
            )}
      </Section>
      {!isClosed && <NoteForm requestId={requestId} onSaved={data.reload} />}
      {!isClosed && <CloseForm requestId={requestId} needsAck={item.urgency === 'crisis' && !item.crisis?.acknowledgedBy} onClosed={() => setClosed(true)} />}
    </Page>
  )
}

const KIND_OPTIONS = HARM_KINDS.map((k) => ({ value: k, label: HARM_KIND_LABELS[k] }))

/**
 * The mandatory report of this case (未成年人保护法 第十一条): where it stands when one was opened, and a short form to
 * file it, or to add what the counsellor learnt on the phone. The station and the counsellor are the reporter.
 */
function ReportBox ({ requestId, report, onDone }: { requestId: string, report?: { id: string, reference: string, stateLabel: string, dangerNow: boolean }, onDone: () => void }) {
  const [open, setOpen] = useState(false)
  const [kinds, setKinds] = useState<HarmKind[]>([])
  const [seen, setSeen] = useState('')
  const [danger, setDanger] = useState<'yes' | 'no'>()
  const [errors, setErrors] = useFieldErrors()
  const [failure, setFailure] = useState<string>()
  const [saving, setSaving] = useState(false)
  const attempt = useAttemptKey()

  async function send () {
    setErrors({})
    setFailure(undefined)
    if (!danger) { setErrors({ dangerNow: '请选择孩子现在是否有危险' }); return }
    const filing = { requestId, kinds, seen, dangerNow: danger === 'yes' }
    setSaving(true)
    try {
      const res = await callCloud('counseling', 'reportFromCase', { ...filing, idempotencyKey: attempt.keyFor(JSON.stringify(filing)) })
      attempt.done()
      Taro.showToast({ title: res.added ? '已补充到报告里' : '已报告公安', icon: 'success' })
      setOpen(false)
      setKinds([])
      setSeen('')
      setDanger(undefined)
      onDone()
    } catch (err) {
      const f = fieldsOf(err)
      if (Object.keys(f).length > 0) setErrors(f)
      else setFailure(messageOf(err))
    } finally {
      setSaving(false)
    }
  }

  return (
    <Section title='强制报告' testId='case-report'>
      {report
        ? (
          <View className='cs-card' data-testid='report-filed'>
            <View className='cs-card__line'>已报告公安：编号 <Text className='cs-strong' data-testid='report-reference'>{report.reference}</Text></View>
            <View className='cs-card__line'>{report.stateLabel}{report.dangerNow ? ' · 写明了孩子现在有危险' : ''}</View>
          </View>
          )
        : <View className='hint'>孩子可能受到伤害时，要马上报告公安（强制报告）。报告人是辅导站和您。</View>}
      {!open && (
        <Button block size='large' type={report ? 'default' : 'danger'} fill={report ? 'outline' : 'solid'} onClick={() => setOpen(true)} data-testid='open-report'>
          {report ? '补充报告（电话里了解到的情况）' : '提交强制报告'}
        </Button>
      )}
      {open && (
        <View className='cs-card' data-testid='report-form'>
          <Field label='孩子现在有危险吗？' error={errors.dangerNow} testId='report-danger'>
            <OneOf testId='danger' value={danger} onChange={setDanger} options={[{ value: 'yes', label: '有危险' }, { value: 'no', label: '现在没有' }]} />
          </Field>
          <Field label='是哪种情况？' error={errors.kinds} testId='report-kinds'>
            <Chips testId='kind' value={kinds} onChange={setKinds} options={KIND_OPTIONS} />
          </Field>
          <Field label='孩子说了什么、您了解到什么' error={errors.seen} testId='report-seen'>
            <LongText value={seen} onChange={setSeen} placeholder='例如：电话里孩子说今晚不敢回家，现在在邻居家' maxLength={1000} rows={4} autoSize />
          </Field>
          <ProblemBox message={failure} />
          <Button block size='large' type='danger' loading={saving} disabled={saving} onClick={send} data-testid='send-report'>{report ? '补充到报告里' : '报告公安'}</Button>
          <Button block fill='none' onClick={() => setOpen(false)}>先不报</Button>
        </View>
      )}
    </Section>
  )
}

function NoteForm ({ requestId, onSaved }: { requestId: string, onSaved: () => void }) {
  const [text, setText] = useState('')
  const [followUp, setFollowUp] = useState<string>()
  const [picking, setPicking] = useState(false)
  const [errors, setErrors] = useFieldErrors()
  const [failure, setFailure] = useState<string>()
  const [saving, setSaving] = useState(false)
  const attempt = useAttemptKey()
  const now = today()

  async function save () {
    const note = { requestId, text, followUpDate: followUp }
    const idempotencyKey = attempt.keyFor(JSON.stringify(note))
    setSaving(true)
    setErrors({})
    setFailure(undefined)
    try {
      await callCloud('counseling', 'writeNote', { ...note, idempotencyKey })
      attempt.done()
      setText('')
      setFollowUp(undefined)
      Taro.showToast({ title: '已保存', icon: 'success' })
      onSaved()
    } catch (err) {
      const f = { text: fieldsOf(err).text, followUpDate: fieldsOf(err).followUpDate }
      if (f.text || f.followUpDate) setErrors(Object.fromEntries(Object.entries(f).filter(([, v]) => v)) as Record<string, string>)
      else setFailure(messageOf(err))
    } finally {
      setSaving(false)
    }
  }

  const chips = FOLLOW_UPS.map(([days, label]) => ({ day: addDays(now, days), label }))
  return (
    <Section title='写一条记录' testId='note-form'>
      <View className={errors.text ? 'cs-field cs-field--error' : 'cs-field'}>
        <View className='cs-textarea'>
          <TextArea value={text} onChange={setText} placeholder='聊了什么、孩子怎么样、下一步做什么' maxLength={2000} showCount rows={5} autoSize />
        </View>
        {errors.text && <View className='cs-field__error'>{errors.text}</View>}
      </View>
      <View className='cs-field'>
        <View className='cs-field__label'>回访日期（可不选）</View>
        <View className='cs-chips'>
          <Button shape='round' type={!followUp ? 'primary' : 'default'} onClick={() => setFollowUp(undefined)}>不用回访</Button>
          {chips.map((c) => (
            <Button key={c.label} shape='round' type={followUp === c.day ? 'primary' : 'default'} onClick={() => setFollowUp(c.day)}>{c.label}</Button>
          ))}
          <Button shape='round' type={followUp && !chips.some((c) => c.day === followUp) ? 'primary' : 'default'} onClick={() => setPicking(true)}>选日期</Button>
        </View>
        {followUp && <View className='cs-field__hint'>回访：{dayWords(followUp)}</View>}
        {errors.followUpDate && <View className='cs-field__error'>{errors.followUpDate}</View>}
      </View>
      <DayWheels open={picking} onClose={() => setPicking(false)} title='回访日期' value={followUp} initial={addDays(now, 1)}
        start={addDays(now, 1)} end={addDays(now, 365)} onPick={setFollowUp} />
      <ProblemBox message={failure} />
      <Button block size='large' type='primary' loading={saving} disabled={saving} onClick={save} data-testid='save-note'>保存记录</Button>
    </Section>
  )
}

function CloseForm ({ requestId, needsAck, onClosed }: { requestId: string, needsAck: boolean, onClosed: () => void }) {
  const [summary, setSummary] = useState('')
  const [error, setError] = useState<string>()
  const [failure, setFailure] = useState<string>()
  const [saving, setSaving] = useState(false)

  async function close () {
    setError(undefined)
    setFailure(undefined)
    if (summary.trim().length < 2) { setError('请写一句结案说明'); return }
    const sure = await Taro.showModal({ title: '结案', content: '结案后这次求助就不在队列里了。确定结案吗？', confirmText: '结案', cancelText: '再想想' }).catch(() => ({ confirm: false }))
    if (!sure.confirm) return
    setSaving(true)
    try {
      await callCloud('counseling', 'closeCase', { requestId, summary })
      Taro.showToast({ title: '已结案', icon: 'success' })
      onClosed()
    } catch (err) {
      const f = fieldsOf(err).summary
      if (f) setError(f)
      else setFailure(messageOf(err))
    } finally {
      setSaving(false)
    }
  }

  return (
    <Section title='结案' testId='close-form'>
      {needsAck && <View className='hint'>紧急求助要先有人点“我来处理”接手，才能结案。</View>}
      <View className={error ? 'cs-field cs-field--error' : 'cs-field'}>
        <View className='cs-textarea'>
          <TextArea value={summary} onChange={setSummary} placeholder='结案说明：孩子现在怎么样，以后怎么跟进' maxLength={500} showCount rows={3} autoSize />
        </View>
        {error && <View className='cs-field__error'>{error}</View>}
      </View>
      <ProblemBox message={failure} />
      <Button block size='large' fill='outline' loading={saving} disabled={saving} onClick={close} data-testid='close-case'>结案</Button>
    </Section>
  )
}
