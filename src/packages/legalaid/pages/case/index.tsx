import { useState } from 'react'
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { addDays, type ActionOutput } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { askIfRunningLow } from '../../../../services/subscriptions'
import { useAllowsLeft } from '../../../../hooks/useAllowsLeft'
import { dayWords, dueWords, today, whenWords } from '../../../../services/format'
import { back } from '../../../../services/nav'
import { useCloud } from '../../../../hooks/useCloud'
import { useReloadOnShow } from '../../../../hooks/useReloadOnShow'
import { useStep } from '../../../../hooks/useStep'
import { Page } from '../../../../components/Page'
import { Section } from '../../../../components/Section'
import { Pill } from '../../../../components/Notice'
import { Field } from '../../../../components/Field'
import { LongText } from '../../../../components/TextInput'
import { Button } from '../../../../components/nut'
import { EmptyState, ErrorState, LoadingState, ProblemBox, fieldsOf, messageOf } from '../../../../components/States'
import { EvidenceList } from '../../evidence'
import { VoiceNotePlayer } from '../../voice'
import { DayPicker, QuickAnswers } from '../../components/Answers'
import { Exemptions, Timeline } from '../../components/CaseRecord'
import { ClockLine, PriorityTag, ProvideFirstTag, StateTag } from '../../components/Status'
import '../../legalaid.scss'

type Detail = ActionOutput<'legalaid', 'detail'>

/**
 * A case for the centre's officer and the assigned lawyer: the story, people, deadline, files, exemptions and
 * timeline, and the actions the viewer may take in the case's state. Officer: acknowledge; approve or refuse
 * (with a reason; a complex case's extension with its reason); choose among the proposed lawyers and assign.
 * Lawyer: accept or decline (with a reason); record progress (consulted, filed, hearing date, closed with the
 * outcome); ask the applicant for more documents.
 */
export default function Case () {
  useAllowsLeft()
  const { params } = useRouter()
  const requestId = params.id ?? ''
  const data = useCloud(async () => {
    const detail = await callCloud('legalaid', 'detail', { requestId })
    // The server says how the reader stands to the case; the page offers that role's actions.
    return { detail, officer: detail.viewer === 'officer', lawyer: detail.viewer === 'lawyer' }
  }, [requestId])
  usePullDownRefresh(() => { data.reload(); Taro.stopPullDownRefresh() })
  useReloadOnShow(data.reload)

  if (data.loading && !data.data) return <Page className='la-root'><LoadingState /></Page>
  if (data.error && !data.data) return <Page className='la-root'><ErrorState error={data.error} onRetry={data.reload} /></Page>
  if (!data.data) return null
  const { detail: r, officer, lawyer } = data.data

  return (
    <Page testId='legalaid-case' className='la-root'>
      <View className={r.priority === 0 ? 'la-card la-card--urgent' : 'la-card'}>
        <View className='la-card__name'>{r.childName} · {r.matterLabel}</View>
        <View className='la-tags'>
          <PriorityTag priority={r.priority} label={r.priorityLabel} />
          {r.provideFirst && <ProvideFirstTag />}
          <StateTag state={r.state} label={r.stateLabel} />
        </View>
        {r.clocks.map((c) => <ClockLine key={c.name} clock={c} />)}
        <View className='la-card__line'>申请人：{r.applicantName}</View>
        <View className='la-small'>{whenWords(r.submittedAt)} 提交 · {r.centreName}</View>
        {r.lawyerName && <View className='la-card__line'>律师：<Text className='la-strong' data-testid='lawyer'>{r.lawyerName}</Text></View>}
      </View>

      {officer && <OfficerActions r={r} onDone={data.reload} />}
      {lawyer && <LawyerActions r={r} onDone={data.reload} />}

      <Section title='情况'>
        <View className='la-card'>
          {r.story && <View className='la-story' data-testid='story'>{r.story}</View>}
          <VoiceNotePlayer note={r.voiceNote} />
          {r.people && <View className='la-card__line'>有关的人：{r.people}</View>}
          {r.deadline && <View className='la-card__line la-strong'>{r.deadlineWhat || '期限'}：{dayWords(r.deadline)}</View>}
          {r.evidenceUrgent && <View className='la-card__line la-strong'>需要马上保全证据</View>}
          {r.documentsAsked && <View className='la-card__line'>已请申请人补交：{r.documentsAsked}</View>}
        </View>
      </Section>
      {r.refusal && (
        <Section title='不予援助'>
          <View className='la-danger'>{r.refusal.reason}</View>
        </Section>
      )}
      <Section title={`材料（${r.files.length}）`} testId='files'>
        <View className='la-card'><EvidenceList files={r.files} /></View>
      </Section>
      <Section title='免予核查经济困难'>
        {r.exemptions.length > 0 ? <Exemptions list={r.exemptions} /> : <View className='la-small'>无</View>}
      </Section>
      <Section title='经过' testId='progress'>
        <Timeline entries={r.timeline} />
      </Section>
    </Page>
  )
}

// ---- Officer ----

function OfficerActions ({ r, onDone }: { r: Detail, onDone: () => void }) {
  const { busy, err, run } = useStep()
  const acknowledge = async () => {
    await askIfRunningLow(['deadlineAlert', 'caseUpdate']) // a natural tap: the officer keeps the deadline warnings on
    if (await run(() => callCloud('legalaid', 'acknowledge', { requestId: r.id }), '已确认收到')) onDone()
  }

  if (r.state === 'submitted' || r.state === 'acknowledged') {
    return (
      <View>
        {r.provideFirst && <AssignLawyer r={r} onDone={onDone} first />}
        {r.state === 'submitted' && (
          <View className='la-actions' data-testid='ack-panel'>
            <View className='la-actions__title'>先确认收到（绿色通道：当天）</View>
            <View className='la-small'>申请人会马上知道中心收到了。</View>
            <ProblemBox message={err ? messageOf(err) : undefined} />
            <Button block size='large' type='primary' loading={busy} disabled={busy} data-testid='acknowledge' onClick={acknowledge}>确认收到</Button>
          </View>
        )}
        <DecisionForm r={r} onDone={onDone} />
      </View>
    )
  }
  if (r.state === 'approved') return <AssignLawyer r={r} onDone={onDone} />
  // Art. 44: the lawyer came first; the review is still owed and follows here.
  const followUp = r.approvalPending ? <DecisionForm r={r} onDone={onDone} followUp /> : null
  if (r.state === 'lawyerAssigned') {
    return (
      <View>
        <View className='la-actions' data-testid='waiting-lawyer'>
          <View className='la-actions__title'>等{r.lawyerName}律师接案</View>
          <View className='la-small'>律师不接或超时未回复，会提醒您另选律师。</View>
        </View>
        {followUp}
      </View>
    )
  }
  return followUp
}

const REFUSAL_REASONS = ['不属于法律援助事项，已转12348咨询', '申请事项已经处理完毕', '申请材料不全，补齐后可再申请']

function DecisionForm ({ r, onDone, followUp = false }: { r: Detail, onDone: () => void, followUp?: boolean }) {
  const [refusing, setRefusing] = useState(false)
  const [reason, setReason] = useState('')
  const [complex, setComplex] = useState(false)
  const [complexReason, setComplexReason] = useState('')
  const { busy, err, setErr, run } = useStep()

  async function decide (decision: 'approved' | 'refused') {
    setErr(undefined)
    if (decision === 'approved') {
      const content = followUp ? `${r.lawyerName ?? ''}律师已先行提供帮助，批准后继续办理。` : `批准后请在3日内为${r.childName}指派律师。`
      const ok = await Taro.showModal({ title: '批准法律援助？', content, confirmText: '批准' }).then((x) => x.confirm, () => false)
      if (!ok) return
    }
    const decided = () => callCloud('legalaid', 'decide', {
      requestId: r.id,
      decision,
      ...(decision === 'refused' ? { reason } : {}),
      complex,
      ...(complex ? { complexReason } : {})
    })
    if (await run(decided, decision === 'approved' ? '已批准' : '已作出决定')) onDone()
  }
  const extend = async () => { if (await run(() => callCloud('legalaid', 'extendReview', { requestId: r.id, reason: complexReason }), '已延长审查期限')) onDone() }

  return (
    <View className='la-actions' data-testid='decision-panel'>
      <View className='la-actions__title'>{followUp ? '补办审查：律师已先行帮助，请作出决定' : '作出决定（绿色通道：3个工作日内）'}</View>
      {followUp && <View className='la-small'>不予援助时，先行提供的援助随即终止，律师和申请人都会收到通知。</View>}
      <Field label='案情复杂，需要延长审查期限吗？' hint='法律援助法允许复杂案件延长3个工作日，要写明原因。' hintAbove error={fieldsOf(err).complexReason ?? fieldsOf(err).reason}>
        <QuickAnswers options={['案情复杂，延长审查']} value={complex ? '案情复杂，延长审查' : ''} onChange={(v) => setComplex(Boolean(v))} />
        {complex && <LongText value={complexReason} onChange={setComplexReason} maxLength={200} rows={2} placeholder='延期的原因' />}
        {complex && (
          <Button block fill='outline' disabled={busy} data-testid='extend-review' onClick={extend}>先延长审查期限（还在审查中）</Button>
        )}
      </Field>
      {!refusing && (
        <View>
          <Button block size='large' type='primary' loading={busy} disabled={busy} data-testid='approve' onClick={() => decide('approved')}>批准援助</Button>
          <Button block size='large' type='danger' fill='outline' disabled={busy} data-testid='refuse' onClick={() => setRefusing(true)}>不予援助</Button>
        </View>
      )}
      {refusing && (
        <View data-testid='refuse-form'>
          <Field label='不予援助的理由' hint='申请人会看到这段话，以及怎样提出异议。' hintAbove error={fieldsOf(err).reason}>
            <QuickAnswers options={REFUSAL_REASONS} value={reason} onChange={setReason} />
            <LongText value={reason} onChange={setReason} maxLength={500} rows={3} placeholder='写明理由' />
          </Field>
          <Button block size='large' type='danger' loading={busy} disabled={busy} data-testid='confirm-refuse' onClick={() => decide('refused')}>确定不予援助</Button>
          <Button block size='large' fill='outline' disabled={busy} onClick={() => { setRefusing(false); setErr(undefined) }}>返回</Button>
        </View>
      )}
      <ProblemBox message={err ? messageOf(err) : undefined} />
    </View>
  )
}

/**
 * Choosing a lawyer: after the approval, or (`first`) at once for an urgent request, before the approval, which then
 * follows (Art. 44, docs/DOMAIN.md "Legal Aid Law").
 */
function AssignLawyer ({ r, onDone, first = false }: { r: Detail, onDone: () => void, first?: boolean }) {
  const proposed = useCloud(() => callCloud('legalaid', 'proposeLawyers', { requestId: r.id }), [r.id])
  const [chosen, setChosen] = useState<string>()
  const { busy, err, run } = useStep()
  const lawyers = proposed.data?.lawyers
  const pick = lawyers?.find((l) => l.id === chosen)
  const failure = err ? fieldsOf(err).lawyerId ?? messageOf(err) : undefined

  async function assign () {
    if (pick && await run(() => callCloud('legalaid', 'assignLawyer', { requestId: r.id, lawyerId: pick.id }), '已指派')) onDone()
  }
  const why = r.evidenceUrgent ? '需要马上保全证据' : r.deadline ? `${r.deadlineWhat || '期限'}在${dayWords(r.deadline)}，不足7天` : '情况紧急'

  return (
    <View className={first ? 'la-actions la-first' : 'la-actions'} data-testid={first ? 'assign-first-panel' : 'assign-panel'}>
      <View className='la-actions__title'>{first ? '先行援助：现在就指派律师' : '指派律师（决定后3日内）'}</View>
      {first && <View className='la-small' data-testid='assign-first-why'>{why}。可以先指派律师，审查随后补办（法律援助法第四十四条）。</View>}
      <View className='la-small'>按专长、手上的案件数排；有利益冲突的律师不会列出。</View>
      {proposed.loading && !proposed.data && <LoadingState text='正在找合适的律师…' />}
      {proposed.error && <ErrorState error={proposed.error} onRetry={proposed.reload} />}
      {lawyers && lawyers.length === 0 && <EmptyState title='没有可以指派的律师' description='本中心的律师都有利益冲突或已经拒绝。请联系中心负责人另找律师。' />}
      {lawyers?.map((l) => (
        <View key={l.id} className={l.id === chosen ? 'la-lawyer la-lawyer--on' : 'la-lawyer'} data-testid='proposed-lawyer' onClick={() => setChosen(l.id)}>
          <View className='la-between'>
            <Text className='la-card__name'>{l.name}</Text>
            {l.specialist ? <Pill tone='green'>擅长</Pill> : <Pill tone='grey'>未登记专长</Pill>}
          </View>
          <View className='la-small'>{l.why}</View>
        </View>
      ))}
      <ProblemBox message={failure} />
      {lawyers && lawyers.length > 0 && (
        <Button block size='large' type='primary' loading={busy} disabled={busy || !pick} data-testid='assign' onClick={assign}>
          {pick ? `${first ? '先行' : ''}指派给${pick.name}` : '先点选一位律师'}
        </Button>
      )}
    </View>
  )
}

// ---- Lawyer ----

function LawyerActions ({ r, onDone }: { r: Detail, onDone: () => void }) {
  if (r.state === 'lawyerAssigned') return <Respond r={r} onDone={onDone} />
  if (r.state === 'inProgress') {
    return (
      <View>
        <Progress r={r} onDone={onDone} />
        <AskDocuments r={r} onDone={onDone} />
      </View>
    )
  }
  return null
}

const DECLINE_REASONS = ['有利益冲突', '时间排不开', '不熟悉这类案件']

function Respond ({ r, onDone }: { r: Detail, onDone: () => void }) {
  const [declining, setDeclining] = useState(false)
  const [reason, setReason] = useState('')
  const { busy, err, setErr, run } = useStep()

  async function respond (accept: boolean) {
    if (!await run(() => callCloud('legalaid', 'respond', { requestId: r.id, accept, ...(accept ? {} : { reason }) }), accept ? '已接案' : '已告诉中心')) return
    if (accept) onDone()
    else back(onDone) // the case is no longer mine to see
  }

  const accept = r.clocks.find((c) => c.name === 'lawyerAccept')
  return (
    <View className='la-actions' data-testid='respond-panel'>
      <View className='la-actions__title'>中心请您承办这个案件</View>
      {accept && <View className='la-small'>请在 {dueWords(accept.due)} 前回复。</View>}
      {!declining && (
        <View>
          <Button block size='large' type='primary' loading={busy} disabled={busy} data-testid='accept' onClick={() => respond(true)}>接案</Button>
          <Button block size='large' fill='outline' disabled={busy} data-testid='decline' onClick={() => setDeclining(true)}>不接案</Button>
        </View>
      )}
      {declining && (
        <View>
          <Field label='不接案的原因' hint='中心会另选律师。' hintAbove error={fieldsOf(err).reason}>
            <QuickAnswers options={DECLINE_REASONS} value={reason} onChange={setReason} />
            <LongText value={reason} onChange={setReason} maxLength={200} rows={2} placeholder='写明原因' />
          </Field>
          <Button block size='large' type='danger' loading={busy} disabled={busy} data-testid='confirm-decline' onClick={() => respond(false)}>确定不接案</Button>
          <Button block size='large' fill='outline' disabled={busy} onClick={() => { setDeclining(false); setErr(undefined) }}>返回</Button>
        </View>
      )}
      <ProblemBox message={err ? messageOf(err) : undefined} />
    </View>
  )
}

const STEPS = [
  { value: 'consulted', label: '已和申请人沟通' },
  { value: 'filed', label: '已起诉或申请仲裁' },
  { value: 'hearing', label: '定了开庭日期' },
  { value: 'closed', label: '结案' }
] as const
type ProgressStep = (typeof STEPS)[number]['value']

function Progress ({ r, onDone }: { r: Detail, onDone: () => void }) {
  const [step, setStep] = useState<ProgressStep>()
  const [hearingDate, setHearingDate] = useState<string>()
  const [outcome, setOutcome] = useState('')
  const [note, setNote] = useState('')
  const { busy, err, setErr, run } = useStep()

  async function save () {
    if (!step) return
    const saved = await run(() => callCloud('legalaid', 'update', {
      requestId: r.id,
      step,
      ...(step === 'hearing' && hearingDate ? { hearingDate } : {}),
      ...(step === 'closed' ? { outcome } : {}),
      ...(note.trim() ? { note } : {})
    }), '已记下')
    if (!saved) return
    setStep(undefined)
    setHearingDate(undefined)
    setOutcome('')
    setNote('')
    onDone()
  }

  return (
    <View className='la-actions' data-testid='progress-panel'>
      <View className='la-actions__title'>记下进展（申请人会看到）</View>
      <View className='la-choices'>
        {STEPS.map((s) => (
          <Button key={s.value} block shape='round' type={s.value === step ? 'primary' : 'default'} data-testid={`step-${s.value}`}
            onClick={() => { setStep(s.value); setErr(undefined) }}>{s.label}</Button>
        ))}
      </View>
      {step === 'hearing' && (
        <Field label='开庭日期' error={fieldsOf(err).hearingDate}>
          <DayPicker value={hearingDate} onChange={setHearingDate} start={today()} end={addDays(today(), 2 * 366)} title='开庭日期' testId='hearing-date' />
        </Field>
      )}
      {step === 'closed' && (
        <Field label='结果' error={fieldsOf(err).outcome}>
          <LongText value={outcome} onChange={setOutcome} maxLength={300} rows={2} placeholder='比如：调解成功，每月支付抚养费1000元' />
        </Field>
      )}
      {step && (
        <View>
          <Field label='补充说明' optional error={fieldsOf(err).note}>
            <LongText value={note} onChange={setNote} maxLength={300} rows={2} />
          </Field>
          <Button block size='large' type='primary' loading={busy} disabled={busy} data-testid='save-progress' onClick={save}>记下进展</Button>
        </View>
      )}
      <ProblemBox message={err ? messageOf(err) : undefined} />
    </View>
  )
}

function AskDocuments ({ r, onDone }: { r: Detail, onDone: () => void }) {
  const [what, setWhat] = useState('')
  const { busy, err, run } = useStep()

  async function ask () {
    if (!await run(() => callCloud('legalaid', 'askDocuments', { requestId: r.id, what }), '已告诉申请人')) return
    setWhat('')
    onDone()
  }

  return (
    <View className='la-actions' data-testid='ask-panel'>
      <View className='la-actions__title'>请申请人补交材料</View>
      {r.documentsAsked && <View className='la-small'>上次要的：{r.documentsAsked}（还没交）</View>}
      <Field label='需要什么材料？' hint='写得具体些，申请人多是老人。' hintAbove error={fieldsOf(err).what}>
        <LongText value={what} onChange={setWhat} maxLength={200} rows={2} placeholder='比如：离婚判决书的照片' />
      </Field>
      <Button block size='large' fill='outline' type='primary' loading={busy} disabled={busy} data-testid='ask-documents' onClick={ask}>请申请人补交</Button>
      {Boolean(err) && !fieldsOf(err).what && <ProblemBox message={messageOf(err)} />}
    </View>
  )
}
