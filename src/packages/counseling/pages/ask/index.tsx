import { useEffect, useState } from 'react'
import { View } from '@tarojs/components'
import { TRIAGE_QUESTIONS, nextStep, type QuestionKey, type TriageAnswers } from '../../../../domain'
import { callCloud, uniqueId } from '../../../../services/cloud'
import { back, call, home, replace } from '../../../../services/nav'
import { useCloud } from '../../../../hooks/useCloud'
import { useAttemptKey } from '../../../../hooks/useAttemptKey'
import { useOneAtATime } from '../../../../hooks/useOneAtATime'
import { Page } from '../../../../components/Page'
import { Button } from '../../../../components/nut'
import { TextArea } from '../../../../components/nut-forms/TextArea'
import { EmptyState, ErrorState, LoadingState, ProblemBox, messageOf } from '../../../../components/States'
import { BigChoice } from '../../components/Buttons'
import { WHO_WILL_KNOW, rememberAsk } from '../../crisis'
import '../../counseling.scss'

const PACKAGE = '/packages/counseling/pages'
const MINE = `${PACKAGE}/mine/index`

type Answers = Partial<Omit<TriageAnswers, 'words'>>
type Step = 'who' | QuestionKey | 'words'
type Asker = 'child' | 'adult'
interface Done { requestId: string, urgency: 'soon' | 'routine' }

/**
 * Asking for someone to talk to: who it is for (skipped when there is only one child, as for a child's own
 * account), then the triage questions one a screen with big answers. The first answer that means danger ends the
 * questions: the crisis screen opens at once and files what was answered (src/domain/counseling/triage.ts). With no
 * danger, anything they want to say, then a gentle word and the way to book a counsellor. A child is spoken to as
 * 你; a grown-up asking for a child is asked about the child.
 */
export default function Ask () {
  const kids = useCloud(() => callCloud('counseling', 'children', {}))
  const [childId, setChildId] = useState<string>()
  const [step, setStep] = useState<Step>('who')
  const [answers, setAnswers] = useState<Answers>({})
  const [words, setWords] = useState('')
  const one = useOneAtATime()
  const sending = one.running !== undefined
  const [failure, setFailure] = useState<string>()
  const [done, setDone] = useState<Done>()
  // One key for this request, kept across retries: pressing 发送 twice never asks twice.
  const attempt = useAttemptKey()

  const list = kids.data?.children
  const asker: Asker = kids.data?.asker ?? 'child'
  useEffect(() => {
    if (list && list.length === 1 && step === 'who') { setChildId(list[0].id); setStep('safeNow') }
  }, [list, step])

  const child = list?.find((c) => c.id === childId)
  const keys = TRIAGE_QUESTIONS.map((q) => q.key) as QuestionKey[]

  /** The crisis screen, at once: it files the answers itself, so nothing waits for the cloud before it shows. */
  function toCrisis (so: TriageAnswers, requestId?: string) {
    if (!childId) return
    const token = uniqueId()
    rememberAsk(token, { childId, answers: so, idempotencyKey: uniqueId(), requestId })
    const line = child?.dutyLine
    replace(`${PACKAGE}/crisis/index?pending=${encodeURIComponent(token)}&who=${asker}${line ? `&line=${encodeURIComponent(line)}` : ''}`)
  }

  function answer (k: QuestionKey, v: string) {
    const next = { ...answers, [k]: v }
    setAnswers(next)
    const then = nextStep(next)
    if ('crisis' in then) toCrisis(next as TriageAnswers)
    else if ('ask' in then) setStep(then.ask)
    else setStep('words')
  }

  function stepBack () {
    setFailure(undefined)
    if (step === 'words') setStep(keys[keys.length - 1])
    else if (step !== 'who' && keys.indexOf(step) > 0) setStep(keys[keys.indexOf(step) - 1])
    else if (step === 'safeNow' && (list?.length ?? 0) > 1) setStep('who')
    else back(home)
  }

  const send = () => one.run('send', async () => {
    if (!childId) return
    setFailure(undefined)
    try {
      const request = { childId, answers: { ...(answers as TriageAnswers), words: words.trim() || undefined } }
      const res = await callCloud('counseling', 'ask', { ...request, idempotencyKey: attempt.keyFor(JSON.stringify(request)) })
      attempt.done()
      // Her own words can mean danger: then the crisis screen, with the request already filed.
      if (res.urgency === 'crisis') { toCrisis(request.answers, res.requestId); return }
      setDone({ requestId: res.requestId, urgency: res.urgency })
    } catch (err) {
      setFailure(messageOf(err))
    }
  })

  if (kids.loading && !kids.data) return <Page className='cs'><LoadingState /></Page>
  if (kids.error) return <Page className='cs'><ErrorState error={kids.error} onRetry={kids.reload} /></Page>
  if (!list) return null
  if (list.length === 0) {
    return (
      <Page testId='ask' className='cs'>
        <EmptyState title='还没有可以求助的孩子' description='请先绑定孩子。遇到危险请直接打 110，想找人说说话可以打 12355。' />
        <View className='big-button'><Button block size='large' type='danger' onClick={() => call('110')}>拨打 110</Button></View>
        <View className='big-button'><Button block size='large' type='primary' fill='outline' onClick={() => call('12355')}>拨打 12355</Button></View>
      </Page>
    )
  }

  if (done) return <Page testId='ask' className='cs'><Gentle done={done} asker={asker} childName={child?.name ?? ''} /></Page>

  return (
    <Page testId='ask' className='cs'>
      {step === 'who' && (
        <View>
          <View className='cs-question'>这次是为哪个孩子找辅导员？</View>
          <BigChoice testId='who' value={childId} options={list.map((c) => ({ value: c.id, label: c.name }))}
            onChange={(id) => { setChildId(id); setStep('safeNow') }} />
        </View>
      )}
      {step !== 'who' && step !== 'words' && <Question k={step} answers={answers} onAnswer={answer} asker={asker} childName={child?.name} />}
      {step === 'words' && (
        <View data-testid='words-step'>
          <Progress at={keys.length} total={keys.length} />
          <View className='cs-question'>{asker === 'child' ? '还有想说的话吗？' : '还有想告诉辅导员的吗？'}</View>
          <View className='hint' data-testid='who-will-know'>可以不写。{WHO_WILL_KNOW[asker]}</View>
          <View className='cs-textarea'>
            <TextArea value={words} onChange={setWords} placeholder={asker === 'child' ? '想说什么都可以写在这里' : '孩子的情况，想说什么都可以写在这里'} maxLength={500} showCount rows={5} autoSize />
          </View>
          <ProblemBox message={failure} />
          <View className='cs-actions'>
            <Button block size='large' shape='round' type='primary' loading={sending} disabled={sending} onClick={send} data-testid='send'>发送给辅导员</Button>
          </View>
        </View>
      )}
      {step !== 'who' && (
        <View className='cs-back'>
          <Button block fill='none' onClick={stepBack} disabled={sending}>‹ 上一步</Button>
        </View>
      )}
      {/* Danger now needs no answers: 110 is one tap away on every question. */}
      {step !== 'words' && (
        <View className='cs-back'>
          <Button block type='danger' fill='outline' onClick={() => call('110')} data-testid='ask-call-110'>{asker === 'child' ? '有危险？直接打 110' : '孩子有危险？直接打 110'}</Button>
        </View>
      )}
    </Page>
  )
}

function Progress ({ at, total }: { at: number, total: number }) {
  return (
    <View className='cs-progress' aria-label={`第 ${Math.min(at + 1, total)} 题，共 ${total} 题`}>
      {Array.from({ length: total }, (_x, i) => <View key={i} className={i < at ? 'cs-progress__dot cs-progress__dot--done' : 'cs-progress__dot'} />)}
    </View>
  )
}

function Question ({ k, answers, onAnswer, asker, childName }: {
  k: QuestionKey, answers: Answers, onAnswer: (k: QuestionKey, v: string) => void, asker: Asker, childName?: string
}) {
  const index = TRIAGE_QUESTIONS.findIndex((q) => q.key === k)
  const q = TRIAGE_QUESTIONS[index]
  const choices: ReadonlyArray<readonly [string, string]> = asker === 'adult' && 'adultChoices' in q ? q.adultChoices : q.choices
  return (
    <View data-testid={`question-${q.key}`}>
      <Progress at={index} total={TRIAGE_QUESTIONS.length} />
      {index === 0 && (
        <View className='hint'>
          {asker === 'child'
            ? '回答几个小问题，辅导员就知道怎么帮你。没有对错，照心里想的选就好。'
            : `回答几个问题，辅导员就知道怎么帮${childName ?? '孩子'}。请按孩子的情况选。`}
        </View>
      )}
      <View className='cs-question'>{asker === 'child' ? q.text : q.adultText}</View>
      <BigChoice<string> value={answers[q.key]} options={choices.map(([value, label]) => ({ value, label }))}
        onChange={(v) => onAnswer(q.key, v)} />
    </View>
  )
}

/** Soon or routine: a kind word and the way to a counsellor. */
function Gentle ({ done, asker, childName }: { done: Done, asker: Asker, childName: string }) {
  const book = () => replace(`${PACKAGE}/book/index?requestId=${encodeURIComponent(done.requestId)}`)
  const who = asker === 'child' ? '你' : childName || '孩子'
  return (
    <View data-testid='asked'>
      <View className='cs-done'>
        <View className='cs-card__name'>{asker === 'child' ? '谢谢你告诉我们' : '谢谢您告诉我们'}</View>
        {done.urgency === 'soon'
          ? <View className='cs-card__line'>{asker === 'child' ? '最近好像过得不太容易。' : ''}辅导员想在两天之内和{who}聊一聊，请选一个方便的时间。</View>
          : <View className='cs-card__line'>愿意找人聊聊，是很好的事。选一个方便的时间，辅导员会陪{who}聊聊。</View>}
      </View>
      <View className='big-button'>
        <Button block size='large' shape='round' type='primary' onClick={book} data-testid='go-book'>预约辅导员</Button>
      </View>
      <View className='big-button'>
        <Button block size='large' shape='round' onClick={() => replace(MINE)}>以后再约</Button>
      </View>
      <View className='hint'>如果觉得有危险，随时可以打 110；想找人说说话，可以打 12355。</View>
    </View>
  )
}
