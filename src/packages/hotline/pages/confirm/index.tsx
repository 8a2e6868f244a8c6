import { useState } from 'react'
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { CALL_MODE_LABELS, callTimeLabel, type DirectCallView } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { askForReminders } from '../../../../services/subscriptions'
import { home, routeParam } from '../../../../services/nav'
import { useCloud } from '../../../../hooks/useCloud'
import { useOneAtATime } from '../../../../hooks/useOneAtATime'
import { useReloadOnShow } from '../../../../hooks/useReloadOnShow'
import { Page } from '../../../../components/Page'
import { Button } from '../../../../components/nut'
import { Dialog } from '../../../../components/nut-forms/Dialog'
import { Notice } from '../../../../components/Notice'
import { EmptyState, ErrorState, LoadingState, ProblemBox, messageOf } from '../../../../components/States'
import '../../hotline.scss'

type Answer = 'confirmed' | 'declined'

/**
 * The guardian at home (or the child's teacher) says, in one tap, whether a call a parent recorded really came to the
 * phone at home: confirmed, it counts for its week (docs/DOMAIN.md, "Contact rhythm"). Opened from home or from the
 * notice's link (?id=).
 */
export default function ConfirmPage () {
  const { params } = useRouter()
  const linked = routeParam(params.id)
  const list = useCloud(() => callCloud('hotline', 'callsToConfirm', {}))
  const [answers, setAnswers] = useState<Record<string, Answer>>({})
  usePullDownRefresh(() => { list.reload(); Taro.stopPullDownRefresh() })
  useReloadOnShow(list.reload)

  if (list.loading && !list.data) return <Page className='hl-root'><LoadingState /></Page>
  if (list.error) return <Page className='hl-root'><ErrorState error={list.error} onRetry={list.reload} /></Page>
  if (!list.data) return null
  // The call the notice named first; calls answered here stay, showing the answer.
  const calls = [...list.data.calls].sort((a, b) => (a.id === linked ? -1 : b.id === linked ? 1 : 0))
  const linkedGone = linked && !calls.some((c) => c.id === linked) && !answers[linked]

  return (
    <Page testId='hotline-confirm' className='hl-root'>
      <View className='title'>确认家里接到的电话</View>
      {linkedGone && <Notice tone='info' testId='already-answered'>这个电话已经有人确认过了，不用再确认。</Notice>}
      {calls.length === 0
        ? <EmptyState title='没有要确认的电话' description='孩子的爸爸妈妈直接打到家里手机上的电话，他们记下以后，会在这里请您确认。' />
        : calls.map((c) => <ConfirmCard key={c.id} call={c} answer={answers[c.id]} onAnswered={(a) => setAnswers((m) => ({ ...m, [c.id]: a }))} />)}
      <View className='big-button'><Button block size='large' onClick={() => home()}>回首页</Button></View>
    </Page>
  )
}

function ConfirmCard ({ call, answer, onAnswered }: { call: DirectCallView, answer?: Answer, onAnswered: (a: Answer) => void }) {
  const one = useOneAtATime<Answer>()
  const saving = one.running
  const [asking, setAsking] = useState(false)
  const [problem, setProblem] = useState<string | undefined>()

  const send = (decision: Answer) => one.run(decision, async () => {
    setProblem(undefined)
    // On the tap: allow the next request to confirm as a WeChat message.
    const asked = askForReminders(['callConfirm'])
    try {
      await asked
      await callCloud('hotline', 'confirmDirectCall', { callId: call.id, decision })
      onAnswered(decision)
    } catch (err) {
      setProblem(messageOf(err))
    } finally {
      setAsking(false)
    }
  })

  const who = `${call.recordedByName}${call.recordedByRelation ? `（${call.recordedByRelation}）` : ''}`
  return (
    <View className={answer ? 'hl-card hl-call--marked' : 'hl-card hl-card--offer'} data-testid='confirm-call' data-id={call.id}>
      <View className='hl-confirm__who'>{who}说：</View>
      <View className='hl-confirm__time'>{callTimeLabel(call.at)}</View>
      <View className='hl-name hl-center'>和{call.childName}{CALL_MODE_LABELS[call.mode]}，约{call.minutes}分钟</View>
      {answer
        ? <View className={answer === 'confirmed' ? 'hl-week hl-week--held hl-week--block' : 'hl-week hl-week--none hl-week--block'} data-testid='answered'>
          {answer === 'confirmed' ? '已确认 ✓ 这周算通过话了' : '已说明没有这次通话'}
        </View>
        : (
          <View>
            <View className='big-button'>
              <Button block size='large' type='primary' loading={saving === 'confirmed'} disabled={!!saving} onClick={() => send('confirmed')} data-testid='confirm-yes'>对，打过了</Button>
            </View>
            <View className='hl-center'>
              <Text className='hl-link' onClick={() => setAsking(true)} data-testid='confirm-no'>没有这回事</Text>
            </View>
          </View>
          )}
      <ProblemBox message={problem} />
      <Dialog visible={asking} title='没有这次通话？' confirmText='对，没有' cancelText='再想想'
        onConfirm={() => send('declined')} onCancel={() => setAsking(false)} onClose={() => setAsking(false)}>
        <View className='hl-confirm__who'>{who}会收到消息：家里说没有这次通话，这次不算。</View>
      </Dialog>
    </View>
  )
}
