import { useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { SESSION_MODE_LABELS, type SessionView } from '../../../../domain'
import type { z } from 'zod'
import { callCloud } from '../../../../services/cloud'
import { askForReminders } from '../../../../services/subscriptions'
import { sessionWords } from '../../../../services/format'
import { call, replace } from '../../../../services/nav'
import { useCloud } from '../../../../hooks/useCloud'
import { useAttemptKey } from '../../../../hooks/useAttemptKey'
import { Page } from '../../../../components/Page'
import { Section } from '../../../../components/Section'
import { Button, Tag } from '../../../../components/nut'
import { EmptyState, ErrorState, LoadingState, ProblemBox, messageOf } from '../../../../components/States'
import '../../counseling.scss'

const MINE = '/packages/counseling/pages/mine/index'

type Mode = keyof typeof SESSION_MODE_LABELS
type Session = z.infer<typeof SessionView>
const MODES = (Object.keys(SESSION_MODE_LABELS) as Mode[]).map((m) => ({ value: m, label: SESSION_MODE_LABELS[m] }))
/** Slots shown before 看更多时间: enough to choose from, few enough to read. */
const FIRST_SHOWN = 6

/**
 * Booking a session for a soon or routine request: the station's free times (a soon-request's next 48 hours
 * first; the counsellor the child saw last marked), how to meet, confirm. A time taken meanwhile is said so and the
 * list reloads.
 */
export default function Book () {
  const { params } = useRouter()
  const requestId = params.requestId ?? ''
  // With a session id the page moves that session instead of booking a new one.
  const sessionId = params.sessionId
  const data = useCloud(async () => {
    const [slots, mine] = await Promise.all([
      callCloud('counseling', 'sessionSlots', { requestId }),
      callCloud('counseling', 'myRequests', {})
    ])
    return { ...slots, request: mine.requests.find((r) => r.id === requestId) }
  }, [requestId])
  const [chosen, setChosen] = useState<number>()
  const [mode, setMode] = useState<Mode>()
  const [more, setMore] = useState(false)
  const [saving, setSaving] = useState(false)
  const [failure, setFailure] = useState<string>()
  const [booked, setBooked] = useState<Session>()
  // One key per submission of one choice; a new choice (or a taken time) starts a new one.
  const attempt = useAttemptKey()

  function choose (start: number) { setChosen(start); setFailure(undefined) }
  function chooseMode (m: Mode) { setMode(m); setFailure(undefined) }

  async function confirm () {
    if (chosen === undefined || !mode) return
    // WeChat lets a page ask for reminders only on the tap itself, before anything else is awaited.
    await askForReminders(['sessionReminder'])
    const idempotencyKey = attempt.keyFor(JSON.stringify({ requestId, sessionId, chosen, mode }))
    setSaving(true)
    setFailure(undefined)
    try {
      const res = sessionId
        ? await callCloud('counseling', 'moveSession', { sessionId, start: new Date(chosen), idempotencyKey })
        : await callCloud('counseling', 'bookSession', { requestId, start: new Date(chosen), mode, idempotencyKey })
      if (res.outcome === 'booked') {
        setBooked(res.session)
        return
      }
      attempt.done()
      setChosen(undefined)
      setFailure(res.message)
      Taro.showToast({ title: '这个时间刚被约走了', icon: 'none' })
      data.reload()
    } catch (err) {
      setFailure(messageOf(err))
    } finally {
      setSaving(false)
    }
  }

  if (booked) return <Page testId='book' className='cs'><Booked session={booked} /></Page>
  if (data.loading && !data.data) return <Page className='cs'><LoadingState text='正在找辅导员有空的时间…' /></Page>
  if (data.error) {
    return (
      <Page testId='book' className='cs'>
        <ErrorState error={data.error} onRetry={data.reload} />
        <View className='big-button'><Button block onClick={() => replace(MINE)}>看我的求助</Button></View>
      </Page>
    )
  }
  if (!data.data) return null
  const { slots, previousCounselorName, request } = data.data
  if (request && request.session) return <Page testId='book' className='cs'><Booked session={request.session} already /></Page>
  const soon = request?.urgency === 'soon'
  // A soon-request sees its next 48 hours first (the function orders them so); the first few, then 看更多时间.
  const ordered = soon ? [...slots.filter((s) => s.within48h), ...slots.filter((s) => !s.within48h)] : slots
  const shown = more ? ordered : ordered.slice(0, FIRST_SHOWN)
  const chosenSlot = slots.find((s) => s.start.getTime() === chosen)

  const slotCard = (s: typeof slots[number], i: number) => {
    const at = s.start.getTime()
    const heading = soon && (i === 0 || shown[i - 1].within48h !== s.within48h) ? (s.within48h ? '48小时内有空的时间' : '更晚一些') : undefined
    return (
      <View key={at}>
        {heading && <View className='cs-small'>{heading}：</View>}
        <View className={at === chosen ? 'cs-slot cs-slot--chosen' : 'cs-slot'} data-testid='slot' onClick={() => choose(at)}>
          <View className='cs-slot__time'>{sessionWords(s.start, s.end)}</View>
          {((soon && s.within48h) || s.sameCounselor) && (
            <View className='cs-slot__tags'>
              {soon && s.within48h && <Tag type='success'>48小时内</Tag>}
              {s.sameCounselor && <Tag type='primary'>上次的辅导员{previousCounselorName ? ` ${previousCounselorName}` : ''}</Tag>}
            </View>
          )}
        </View>
      </View>
    )
  }

  return (
    <Page testId='book' className='cs'>
      <View className={chosenSlot ? 'cs-with-bar' : undefined}>
        <View className='title'>{request ? `为${request.childName}约辅导员` : '约辅导员'}</View>
        {previousCounselorName && <View className='hint'>上次陪{request?.childName ?? '孩子'}聊天的是{previousCounselorName}，标着“上次的辅导员”的时间还是找他（她）。</View>}
        {slots.length === 0
          ? (
            <View>
              <EmptyState title='最近两周辅导员都约满了' description='过几天再来看看。想马上找人说说话，可以打 12355。' />
              <View className='big-button'><Button block size='large' type='primary' fill='outline' onClick={() => call('12355')}>拨打 12355</Button></View>
            </View>
            )
          : (
            <View>
              <Section title='1. 怎么聊'>
                <View className='cs-chips' data-testid='modes'>
                  {MODES.map((m) => (
                    <Button key={m.value} size='large' shape='round' type={m.value === mode ? 'primary' : 'default'} onClick={() => chooseMode(m.value)}>{m.label}</Button>
                  ))}
                </View>
              </Section>
              <Section title='2. 选一个时间'>
                {shown.map(slotCard)}
                {!more && shown.length < ordered.length && (
                  <Button block fill='outline' onClick={() => setMore(true)}>看更多时间（还有 {ordered.length - shown.length} 个）</Button>
                )}
              </Section>
              {!chosenSlot && <ProblemBox message={failure} />}
            </View>
            )}
      </View>
      {chosenSlot && (
        <View className='cs-bar' data-testid='confirm'>
          <View><Text className='cs-strong'>{sessionWords(chosenSlot.start, chosenSlot.end)}</Text>{mode ? ` · ${SESSION_MODE_LABELS[mode]}` : ''}</View>
          {!mode && <View className='cs-field__error'>请在上面选怎么聊：视频、语音或到辅导站见面</View>}
          <ProblemBox message={failure} />
          <Button block size='large' shape='round' type='primary' loading={saving} disabled={saving || !mode} onClick={confirm}>确认预约</Button>
        </View>
      )}
    </Page>
  )
}

function Booked ({ session, already }: { session: Session, already?: boolean }) {
  return (
    <View data-testid='booked'>
      <View className='cs-done'>
        <View className='cs-card__name'>{already ? '这次求助已经约好了' : '约好了！'}</View>
        <View className='cs-card__line'>时间：{sessionWords(session.start, session.end)}</View>
        <View className='cs-card__line' data-testid='booked-counselor'>辅导员：{session.counselorName}</View>
        <View className='cs-card__line'>方式：{session.modeLabel}</View>
        <View className='cs-status__small'>{session.mode === 'inPerson' ? '请按时到县心理健康辅导站。' : '到时候辅导员会联系你，请把手机放在身边。'}有事来不了，可以在“我的求助”里取消。</View>
      </View>
      <View className='big-button'>
        <Button block size='large' shape='round' type='primary' onClick={() => replace(MINE)}>看我的求助</Button>
      </View>
    </View>
  )
}
