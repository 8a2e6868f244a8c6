import { useEffect, useRef, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { DraftInput, MATTERS, MATTER_LABELS, Story, addDays, type ActionOutput, type Matter } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { now } from '../../../../services/clock'
import { today, whenWords } from '../../../../services/format'
import { call, go, replace } from '../../../../services/nav'
import { useCloud } from '../../../../hooks/useCloud'
import { useAttemptKey } from '../../../../hooks/useAttemptKey'
import { useOneAtATime } from '../../../../hooks/useOneAtATime'
import { Page } from '../../../../components/Page'
import { Button } from '../../../../components/nut'
import { Field } from '../../../../components/Field'
import { LongText, TextInput } from '../../../../components/TextInput'
import { EmptyState, ErrorState, LoadingState, ProblemBox, fieldsOf, messageOf } from '../../../../components/States'
import { EvidencePicker, fromFileIds, uploadedIds, type EvidenceItem } from '../../evidence'
import { VoiceNoteRecorder, type VoiceNoteValue } from '../../voice'
import { DayPicker, Pair, QuickAnswers } from '../../components/Answers'
import { Exemptions } from '../../components/CaseRecord'
import '../../legalaid.scss'
import { useFieldErrors } from '../../../../hooks/useFieldErrors'

type Draft = ActionOutput<'legalaid', 'drafts'>['drafts'][number]
type Result = ActionOutput<'legalaid', 'submit'>
type Step = 'start' | 1 | 2 | 3 | 4 | 'done'

interface Form {
  childId?: string
  matter?: Matter
  story: string
  people: string
  /** 'yes' shows the date picker; 'no' (or no answer) sends no deadline */
  deadlineKnown?: 'yes' | 'no'
  deadline?: string
  deadlineWhat: string
  evidenceUrgent?: boolean
  /** The story told by voice (in place of, or besides, writing it). */
  voiceNote?: VoiceNoteValue
}

const EMPTY: Form = { story: '', people: '', deadlineWhat: '' }
const HARM: readonly Matter[] = ['abuseOrViolence', 'abandonment']
const DEADLINE_KINDS = ['开庭', '起诉期限', '仲裁期限', '对方要转移财产']
/** Which step shows each field of the form, to go back to the first one with a problem. */
const STEP_OF: Record<string, 1 | 2 | 3 | 4> = { childId: 1, matter: 2, story: 3, voiceNote: 3, people: 3, deadline: 3, deadlineWhat: 3, evidenceUrgent: 3, files: 4 }

function toDraft (f: Form, files: string[]) {
  const withDeadline = f.deadlineKnown === 'yes'
  return {
    childId: f.childId ?? '',
    matter: f.matter as Matter,
    people: f.people,
    story: f.story,
    deadline: withDeadline ? f.deadline : undefined,
    deadlineWhat: withDeadline && f.deadlineWhat.trim() ? f.deadlineWhat.trim() : undefined,
    evidenceUrgent: f.evidenceUrgent === true,
    files,
    ...(f.voiceNote ? { voiceNote: { fileId: f.voiceNote.fileId, seconds: f.voiceNote.seconds } } : {})
  }
}

function fromDraft (d: Draft['draft']): Form {
  return {
    childId: d.childId,
    matter: d.matter,
    story: d.story ?? '',
    people: d.people ?? '',
    deadlineKnown: d.deadline ? 'yes' : 'no',
    deadline: d.deadline,
    deadlineWhat: d.deadlineWhat ?? '',
    evidenceUrgent: d.evidenceUrgent,
    voiceNote: d.voiceNote
  }
}

/** Field messages keyed by the form's own names (the server names them draft.story, draft.files.0, …). */
const errorsOf = (err: unknown) => fieldsOf(err, { prefix: 'draft.', topNames: true })

/**
 * 申请法律援助, in four plain steps for a grandmother: which child, what happened (big tiles), the story with any
 * court date and whether evidence must be saved at once, then photos or PDFs. A draft can be saved at every step
 * and picked up again; submitting (with one idempotency key kept across retries) shows what happens next and by
 * when, and the exemptions the law grants.
 */
export default function Apply () {
  const { params } = useRouter()
  const loaded = useCloud(async () => {
    const [kids, saved] = await Promise.all([callCloud('legalaid', 'children', {}), callCloud('legalaid', 'drafts', {})])
    return { children: kids.children, drafts: saved.drafts }
  })
  const [step, setStep] = useState<Step>()
  const [form, setForm] = useState<Form>(EMPTY)
  const [items, setItems] = useState<EvidenceItem[]>([])
  const [errors, setErrors] = useFieldErrors()
  const [failure, setFailure] = useState<string>()
  // Saving and submitting, one at a time: a second tap files nothing twice.
  const one = useOneAtATime<'save' | 'submit'>()
  const busy = one.running
  const [savedAt, setSavedAt] = useState<Date>()
  const [result, setResult] = useState<Result>()
  const draftId = useRef<string>()
  const attempt = useAttemptKey()

  const set = (patch: Partial<Form>) => {
    setForm((f) => ({ ...f, ...patch }))
    setErrors((e) => {
      const next = { ...e }
      for (const k of Object.keys(patch)) delete next[k]
      if (patch.voiceNote) delete next.story // told by voice, the writing may be left empty
      return next
    })
  }

  function resume (d: Draft) {
    draftId.current = d.id
    setForm(fromDraft(d.draft))
    setItems(fromFileIds(d.draft.files ?? []))
    setErrors({})
    setFailure(undefined)
    setStep(4)
  }

  function startNew () {
    draftId.current = undefined
    attempt.done()
    setForm(EMPTY)
    setItems([])
    setErrors({})
    setFailure(undefined)
    setSavedAt(undefined)
    setStep(1)
  }

  // Where to begin: a draft asked for by id, the list of drafts, or step 1.
  useEffect(() => {
    if (!loaded.data || step !== undefined) return
    const wanted = params.draftId ? loaded.data.drafts.find((d) => d.id === params.draftId) : undefined
    if (wanted) resume(wanted)
    else setStep(loaded.data.drafts.length > 0 ? 'start' : 1)
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, when the drafts arrive; later steps are the person's
  }, [loaded.data])

  const goTo = (s: Step) => {
    setFailure(undefined)
    setStep(s)
    Taro.pageScrollTo({ scrollTop: 0, duration: 0 }).catch(() => undefined)
  }

  /** Step 3's own checks, with the shared schema's words, before moving on. */
  function checkStory (): boolean {
    const e: Record<string, string> = {}
    // Written, a few words at least; told by voice, the writing may be left empty.
    const story = (form.voiceNote ? DraftInput.shape.story : Story).safeParse(form.story)
    if (!story.success) e.story = story.error.issues[0].message
    const people = DraftInput.shape.people.safeParse(form.people)
    if (!people.success) e.people = people.error.issues[0].message
    if (form.deadlineKnown === 'yes' && !form.deadline) e.deadline = '请选日期；不知道日期就选「没有」'
    if (form.deadlineKnown === 'yes' && form.deadlineWhat.trim().length > 50) e.deadlineWhat = '最多50字'
    setErrors(e)
    return Object.keys(e).length === 0
  }

  const saveDraft = () => one.run('save', async () => {
    setFailure(undefined)
    const missing = [
      !form.childId && '选是哪个孩子',
      !form.matter && '选是什么事',
      form.story.trim().length < 5 && !form.voiceNote && '写几句发生了什么（至少5个字），或者录一段语音'
    ].filter(Boolean)
    if (missing.length > 0) {
      setFailure(`存草稿前还要：${missing.join('、')}。`)
      return
    }
    try {
      const res = await callCloud('legalaid', 'saveDraft', { ...(draftId.current ? { draftId: draftId.current } : {}), draft: toDraft(form, uploadedIds(items)) })
      draftId.current = res.draftId
      setSavedAt(now())
      Taro.showToast({ title: '草稿已保存', icon: 'success' })
    } catch (err) {
      const e = errorsOf(err)
      setErrors(e)
      setFailure(messageOf(err))
    }
  })

  const submit = () => one.run('submit', async () => {
    setFailure(undefined)
    if (items.some((i) => i.status === 'uploading')) { setFailure('还有文件在上传，请等一下再提交。'); return }
    if (items.some((i) => i.status === 'failed')) { setFailure('有文件没有传上去：点它再试一次，或者点 × 去掉它。'); return }
    try {
      const request = { draft: toDraft(form, uploadedIds(items)), ...(draftId.current ? { draftId: draftId.current } : {}) }
      // The same request sent again (a retry) keeps its key, so it is never filed twice.
      const res = await callCloud('legalaid', 'submit', { ...request, idempotencyKey: attempt.keyFor(JSON.stringify(request)) })
      attempt.done()
      setResult(res)
      draftId.current = undefined
      goTo('done')
    } catch (err) {
      const e = errorsOf(err)
      setErrors(e)
      setFailure(messageOf(err))
      const first = Object.keys(e).map((k) => STEP_OF[k]).filter(Boolean).sort()[0]
      if (first && first !== 4) setStep(first)
    }
  })

  if (loaded.loading && !loaded.data) return <Page className='la-root'><LoadingState /></Page>
  if (loaded.error && !loaded.data) return <Page className='la-root'><ErrorState error={loaded.error} onRetry={loaded.reload} /></Page>
  if (!loaded.data || step === undefined) return <Page className='la-root'><LoadingState /></Page>
  const { children, drafts } = loaded.data
  const childName = children.find((c) => c.id === form.childId)?.name

  if (step === 'done' && result) return <Done result={result} onAnother={startNew} />

  if (step === 'start') {
    return (
      <Page testId='apply-start' className='la-root'>
        <View className='title'>申请法律援助</View>
        <View className='section-title'>上次没填完的申请</View>
        {drafts.map((d) => (
          <View key={d.id} className='la-card la-card--tap' data-testid='draft' onClick={() => resume(d)}>
            <View className='la-card__name'>{d.childName} · {d.matterLabel}</View>
            <View className='la-small'>{whenWords(d.savedAt)} 存的草稿</View>
            <View className='la-card__more'>接着填 ›</View>
          </View>
        ))}
        <View className='big-button'>
          <Button block size='large' type='primary' data-testid='start-new' onClick={startNew}>重新填一份</Button>
        </View>
      </Page>
    )
  }

  const n = step as 1 | 2 | 3 | 4
  const bar = (next?: { label: string, onClick: () => void, testId: string }) => (
    <View className='la-bar'>
      <ProblemBox message={failure} />
      {next && (
        <Button block size='large' type='primary' loading={busy === 'submit' && n === 4} disabled={Boolean(busy)}
          data-testid={next.testId} onClick={next.onClick}>{next.label}</Button>
      )}
      <View className='la-bar__row'>
        {n > 1 && <Button size='large' fill='outline' disabled={Boolean(busy)} data-testid='back' onClick={() => goTo((n - 1) as Step)}>上一步</Button>}
        <Button size='large' fill='outline' loading={busy === 'save'} disabled={Boolean(busy)} data-testid='save-draft' onClick={saveDraft}>先存草稿</Button>
      </View>
      {savedAt && <View className='la-saved' data-testid='saved'>{whenWords(savedAt)} 已存草稿，下次可以接着填</View>}
    </View>
  )

  return (
    <Page testId='apply' className='la-root'>
      <View className='la-steps'>
        {[1, 2, 3, 4].map((i) => <View key={i} className={i <= n ? 'la-steps__dot la-steps__dot--done' : 'la-steps__dot'} />)}
      </View>
      <View className='la-steps__text'>第 {n} 步，共 4 步{childName && n > 1 ? ` · ${childName}` : ''}{form.matter && n > 2 ? ` · ${MATTER_LABELS[form.matter]}` : ''}</View>

      {n === 1 && (
        <View data-testid='step-child'>
          <View className='la-question'>是哪个孩子的事？</View>
          {children.length === 0
            ? (
              <View>
                <EmptyState title='还没有绑定孩子' description='要先绑定孩子，才能为孩子申请。请向儿童主任或班主任要绑定码。' />
                <Button block size='large' type='primary' onClick={() => go('/packages/join/pages/bind/index')}>去绑定孩子</Button>
              </View>
              )
            : (
              <View className='la-choices'>
                {children.map((c) => (
                  <Button key={c.id} block shape='round' size='large' type={c.id === form.childId ? 'primary' : 'default'} data-testid='child'
                    onClick={() => { set({ childId: c.id }); goTo(2) }}>{c.name}</Button>
                ))}
              </View>
              )}
          {errors.childId && <View className='field__error'>{errors.childId}</View>}
          {children.length > 0 && bar()}
        </View>
      )}

      {n === 2 && (
        <View data-testid='step-matter'>
          <View className='la-question'>是什么事？</View>
          <View className='la-tiles'>
            {MATTERS.map((m) => (
              <View key={m} data-testid={`matter-${m}`}
                className={`la-tile${m === form.matter ? ' la-tile--on' : ''}${HARM.includes(m) ? ' la-tile--danger' : ''}`}
                onClick={() => { set({ matter: m }); goTo(3) }}>{MATTER_LABELS[m]}</View>
            ))}
          </View>
          {errors.matter && <View className='field__error'>{errors.matter}</View>}
          <View className='la-danger la-between'>
            <Text>孩子现在有危险？请先打 110</Text>
            <Button size='small' type='danger' onClick={() => call('110')}>打 110</Button>
          </View>
          {bar()}
        </View>
      )}

      {n === 3 && (
        <View data-testid='step-story'>
          <View className='la-question'>说说发生了什么</View>
          {form.matter && HARM.includes(form.matter) && (
            <View className='la-danger' data-testid='harm-note'>孩子受到伤害的事，提交后会同时报告公安等部门。孩子现在有危险，请马上打 110。</View>
          )}
          <Field label='发生了什么？' hint={form.voiceNote ? '已经录了语音，这里可以不写。' : '什么时候、谁、做了什么。说几句就行，律师会再问您。不方便打字，可以在下面录音。'} hintAbove error={errors.story} testId='f-story'>
            <LongText value={form.story} onChange={(v) => set({ story: v })} maxLength={2000} placeholder='比如：孩子爸妈离婚两年了，爸爸一直没给抚养费。' />
          </Field>
          <Field label='不方便打字？说给我们听' optional hint='按下面的按钮，对着手机说发生了什么，最长3分钟。只有法律援助中心和律师能听。' hintAbove error={errors.voiceNote} testId='f-voice'>
            <VoiceNoteRecorder value={form.voiceNote} onChange={(v) => set({ voiceNote: v })} />
          </Field>
          <Field label='和哪些人有关？' optional hint='对方是谁，有谁知道这件事。' hintAbove error={errors.people} testId='f-people'>
            <LongText value={form.people} onChange={(v) => set({ people: v })} maxLength={200} rows={2} placeholder='比如：孩子的爸爸王某某' />
          </Field>
          <Field label='有没有开庭日期，或者必须在哪天前办的事？' error={errors.deadline} testId='f-deadline'>
            <Pair testId='deadline-known' value={form.deadlineKnown} onChange={(v) => set({ deadlineKnown: v })}
              options={[{ value: 'yes', label: '有' }, { value: 'no', label: '没有 / 不清楚' }]} />
            {form.deadlineKnown === 'yes' && (
              <View className='la-gap'>
                <DayPicker value={form.deadline} onChange={(d) => set({ deadline: d })} start={today()} end={addDays(today(), 3 * 366)} title='哪一天？' testId='deadline-day' />
                <View className='field__hint la-gap'>是什么日子？</View>
                <QuickAnswers options={DEADLINE_KINDS} value={form.deadlineWhat} onChange={(v) => set({ deadlineWhat: v })} />
                <TextInput value={form.deadlineWhat} onChange={(v) => set({ deadlineWhat: v })} maxLength={50} placeholder='也可以自己写' />
                {errors.deadlineWhat && <View className='field__error'>{errors.deadlineWhat}</View>}
                <View className='field__hint'>不到7天的，中心会先帮忙，再补审查。</View>
              </View>
            )}
          </Field>
          <Field label='需要马上保全证据吗？' hint='比如证据可能被删掉、扔掉，或者对方可能把钱和东西转走。' hintAbove error={errors.evidenceUrgent} testId='f-urgent'>
            <Pair testId='urgent' value={form.evidenceUrgent === undefined ? undefined : form.evidenceUrgent ? 'yes' : 'no'}
              onChange={(v) => set({ evidenceUrgent: v === 'yes' })}
              options={[{ value: 'yes', label: '需要' }, { value: 'no', label: '不需要' }]} />
          </Field>
          {bar({ label: '下一步：交材料', testId: 'next', onClick: () => { if (checkStory()) goTo(4) } })}
        </View>
      )}

      {n === 4 && (
        <View data-testid='step-files'>
          <View className='la-question'>有照片或文件吗？</View>
          <View className='field__hint'>比如判决书、离婚协议、欠条、病历、聊天记录的截图。没有也可以先提交，以后再补。</View>
          <Field label='照片和文件' optional error={errors.files} testId='f-files'>
            <EvidencePicker items={items} setItems={setItems} />
          </Field>
          {bar({ label: '提交申请', testId: 'submit', onClick: submit })}
        </View>
      )}
    </Page>
  )
}

/** Right after submitting: what happens next and by when, in big plain words, and what the law waives. */
function Done ({ result, onAnother }: { result: Result, onAnother: () => void }) {
  const v = result.view
  return (
    <Page testId='apply-done' className='la-root'>
      <View className='la-done'>
        <View className='la-done__title'>✓ 申请已提交</View>
        <View>已交给{v.centreName}</View>
      </View>
      <View className='section-title'>接下来会这样</View>
      <View className='la-next' data-testid='next-steps'>
        {result.nextSteps.map((s, i) => (
          <View key={i} className='la-next__item' data-testid='next-step'>
            <View className='la-next__num'>{i + 1}</View>
            <View>{s}</View>
          </View>
        ))}
      </View>
      {v.exemptions.length > 0 && (
        <View>
          <View className='section-title'>不用证明家里经济困难</View>
          <Exemptions list={v.exemptions} />
        </View>
      )}
      <View className='big-button'>
        <Button block size='large' type='primary' data-testid='see-request'
          onClick={() => replace(`/packages/legalaid/pages/request/index?id=${encodeURIComponent(result.requestId)}`)}>看申请进展</Button>
      </View>
      <View className='big-button'>
        <Button block size='large' fill='outline' onClick={onAnother}>再申请一件事</Button>
      </View>
    </Page>
  )
}
