import { useEffect, useState } from 'react'
import { View, Text } from '@tarojs/components'
import { TRIAGE_QUESTIONS, type TriageAnswers } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { back, call, home, replace } from '../../../../services/nav'
import { useCloud } from '../../../../hooks/useCloud'
import { useAttemptKey } from '../../../../hooks/useAttemptKey'
import { Page } from '../../../../components/Page'
import { Button } from '../../../../components/nut'
import { TextArea } from '../../../../components/nut-forms/TextArea'
import { EmptyState, ErrorState, LoadingState, ProblemBox, messageOf } from '../../../../components/States'
import { BigChoice } from '../../components/Buttons'
import { dutyLineOf, rememberCrisis } from '../../crisis'
import '../../counseling.scss'

const PACKAGE = '/packages/counseling/pages'
const MINE = `${PACKAGE}/mine/index`

type Answers = Partial<Omit<TriageAnswers, 'words'>>
type Step = 'who' | number | 'words'
interface Done { requestId: string, urgency: 'soon' | 'routine' }

/** Any answer so far that already means danger: the call to 110 stays one tap away for the rest of the questions. */
function dangerSoFar (a: Answers): boolean {
  return (a.safeNow !== undefined && a.safeNow !== 'yes') || a.someoneHurts === 'yes' || (a.selfHarmThoughts !== undefined && a.selfHarmThoughts !== 'no')
}

/**
 * Asking for someone to talk to: who it is for (skipped when there is only one child, as for a child's own
 * account), then the triage questions one a screen with big answers, then anything they want to say. A crisis goes
 * straight to the crisis page; otherwise a gentle word and the way to book a counsellor.
 */
export default function Ask () {
  const kids = useCloud(() => callCloud('counseling', 'children', {}))
  const [childId, setChildId] = useState<string>()
  const [step, setStep] = useState<Step>('who')
  const [answers, setAnswers] = useState<Answers>({})
  const [words, setWords] = useState('')
  const [sending, setSending] = useState(false)
  const [failure, setFailure] = useState<string>()
  const [done, setDone] = useState<Done>()
  // One key for this request, kept across retries: pressing 发送 twice never asks twice.
  const attempt = useAttemptKey()

  const list = kids.data?.children
  useEffect(() => {
    if (list && list.length === 1 && step === 'who') { setChildId(list[0].id); setStep(0) }
  }, [list])

  const child = list?.find((c) => c.id === childId)
  const total = TRIAGE_QUESTIONS.length

  function answer (k: keyof Answers, v: string) {
    setAnswers((a) => ({ ...a, [k]: v }))
    setStep((s) => (typeof s === 'number' && s + 1 < total ? s + 1 : 'words'))
  }

  function stepBack () {
    setFailure(undefined)
    if (step === 'words') setStep(total - 1)
    else if (typeof step === 'number' && step > 0) setStep(step - 1)
    else if (step === 0 && (list?.length ?? 0) > 1) setStep('who')
    else back(home)
  }

  async function send () {
    if (!childId) return
    setSending(true)
    setFailure(undefined)
    try {
      const request = { childId, answers: { ...(answers as TriageAnswers), words: words.trim() || undefined } }
      const res = await callCloud('counseling', 'ask', { ...request, idempotencyKey: attempt.keyFor(JSON.stringify(request)) })
      attempt.done()
      if (res.urgency === 'crisis') {
        const numbers = res.crisis?.numbers ?? []
        rememberCrisis(res.requestId, { numbers })
        const line = dutyLineOf(numbers)
        replace(`${PACKAGE}/crisis/index?requestId=${encodeURIComponent(res.requestId)}${line ? `&line=${encodeURIComponent(line)}` : ''}`)
        return
      }
      setDone({ requestId: res.requestId, urgency: res.urgency })
    } catch (err) {
      setFailure(messageOf(err))
    } finally {
      setSending(false)
    }
  }

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

  if (done) return <Page testId='ask' className='cs'><Gentle done={done} childName={child?.name ?? ''} /></Page>

  const danger = dangerSoFar(answers)
  return (
    <Page testId='ask' className='cs'>
      {danger && (
        <View className='cs-danger-strip' data-testid='danger-strip'>
          <Text>有危险就马上打电话</Text>
          <Button type='danger' size='small' shape='round' onClick={() => call('110')}>拨打 110</Button>
        </View>
      )}
      {step === 'who' && (
        <View>
          <View className='cs-question'>这次是为哪个孩子找辅导员？</View>
          <BigChoice testId='who' value={childId} options={list.map((c) => ({ value: c.id, label: c.name }))}
            onChange={(id) => { setChildId(id); setStep(0) }} />
        </View>
      )}
      {typeof step === 'number' && <Question index={step} answers={answers} onAnswer={answer} childName={list.length > 1 ? child?.name : undefined} />}
      {step === 'words' && (
        <View data-testid='words-step'>
          <Progress at={total} total={total} />
          <View className='cs-question'>还有想说的话吗？</View>
          <View className='hint'>可以不写。写下来的话，辅导员会认真看，不会告诉别人。</View>
          <View className='cs-textarea'>
            <TextArea value={words} onChange={setWords} placeholder='想说什么都可以写在这里' maxLength={500} showCount rows={5} autoSize />
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

function Question ({ index, answers, onAnswer, childName }: {
  index: number, answers: Answers, onAnswer: (k: keyof Answers, v: string) => void, childName?: string
}) {
  const q = TRIAGE_QUESTIONS[index]
  return (
    <View data-testid={`question-${q.key}`}>
      <Progress at={index} total={TRIAGE_QUESTIONS.length} />
      {index === 0 && <View className='hint'>回答几个小问题，辅导员就知道怎么帮{childName ? childName : '你'}。没有对错，照心里想的选就好。</View>}
      <View className='cs-question'>{q.text}</View>
      <BigChoice<string> value={answers[q.key]} options={(q.choices as ReadonlyArray<readonly [string, string]>).map(([value, label]) => ({ value, label }))}
        onChange={(v) => onAnswer(q.key, v)} />
      <View className='cs-small'>大人替孩子回答时，请按孩子的情况选。</View>
    </View>
  )
}

/** Soon or routine: a kind word and the way to a counsellor. */
function Gentle ({ done, childName }: { done: Done, childName: string }) {
  const book = () => replace(`${PACKAGE}/book/index?requestId=${encodeURIComponent(done.requestId)}`)
  return (
    <View data-testid='asked'>
      <View className='cs-done'>
        <View className='cs-card__name'>谢谢你告诉我们</View>
        {done.urgency === 'soon'
          ? <View className='cs-card__line'>最近好像过得不太容易。辅导员想在两天之内和{childName || '你'}聊一聊，请选一个方便的时间。</View>
          : <View className='cs-card__line'>愿意找人聊聊，是很好的事。选一个方便的时间，辅导员会陪{childName || '你'}聊聊。</View>}
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
