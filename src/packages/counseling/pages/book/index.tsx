import { useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { PhoneNumber, SESSION_MODES, SESSION_MODE_LABELS, type SessionMode, type SessionView } from '../../../../domain'
import type { z } from 'zod'
import { callCloud } from '../../../../services/cloud'
import { askForReminders } from '../../../../services/subscriptions'
import { sessionWords } from '../../../../services/format'
import { call, replace } from '../../../../services/nav'
import { useCloud } from '../../../../hooks/useCloud'
import { useAttemptKey } from '../../../../hooks/useAttemptKey'
import { Page } from '../../../../components/Page'
import { Section } from '../../../../components/Section'
import { Field } from '../../../../components/Field'
import { TextInput } from '../../../../components/TextInput'
import { Button, Tag } from '../../../../components/nut'
import { EmptyState, ErrorState, LoadingState, ProblemBox, messageOf } from '../../../../components/States'
import '../../counseling.scss'

const MINE = '/packages/counseling/pages/mine/index'

type Mode = SessionMode
type Session = z.infer<typeof SessionView>
const MODES = SESSION_MODES.map((m) => ({ value: m, label: SESSION_MODE_LABELS[m] }))
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
  const [phone, setPhone] = useState<string>()
  const [phoneError, setPhoneError] = useState<string>()
  const [more, setMore] = useState(false)
  const [saving, setSaving] = useState(false)
  const [failure, setFailure] = useState<string>()
  const [booked, setBooked] = useState<Session>()
  // One key per submission of one choice; a new choice (or a taken time) starts a new one.
  const attempt = useAttemptKey()

  function choose (start: number) { setChosen(start); setFailure(undefined) }
  function chooseMode (m: Mode) { setMode(m); setFailure(undefined) }

  const needsPhone = !sessionId && (mode === 'voice' || mode === 'video')
  async function confirm () {
    if (chosen === undefined || (!mode && !sessionId)) return
    const number = phone ?? data.data?.suggestedPhone ?? ''
    if (needsPhone) {
      const checked = PhoneNumber.safeParse(number)
      if (!checked.success) { setPhoneError(number.trim() ? checked.error.issues[0]?.message : '请写辅导员打哪个电话'); return }
    }
    // WeChat lets a page ask for reminders only on the tap itself, before anything else is awaited.
    await askForReminders(['sessionReminder'])
    const idempotencyKey = attempt.keyFor(JSON.stringify({ requestId, sessionId, chosen, mode, number }))
    setSaving(true)
    setFailure(undefined)
    try {
      const res = sessionId
        ? await callCloud('counseling', 'moveSession', { sessionId, start: new Date(chosen), idempotencyKey })
        : await callCloud('counseling', 'bookSession', { requestId, start: new Date(chosen), mode: mode!, ...(needsPhone ? { phone: number } : {}), idempotencyKey })
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
  const { slots, previousCounselorName, request, place, suggestedPhone } = data.data
  if (request && request.session && !sessionId) return <Page testId='book' className='cs'><Booked session={request.session} already /></Page>
  const soon = request?.urgency === 'soon'
  const forSelf = request?.forSelf ?? false
  // A soon-request sees its next 48 hours first (the function orders them so); the first few, then 看更多时间.
  const ordered = soon ? [...slots.filter((s) => s.within48h), ...slots.filter((s) => !s.within48h)] : slots
  const shown = more ? ordered : ordered.slice(0, FIRST_SHOWN)
  const chosenSlot = slots.find((s) => s.start.getTime() === chosen)

  const slotCard = (s: typeof slots[number], i: number) => {
    const at = s.start.getTime()
    // Soon: the next 48 hours first. Otherwise times out of class first: a session in class means leaving it.
    const heading = soon
      ? (i === 0 || shown[i - 1].within48h !== s.within48h ? (s.within48h ? '48小时内有空的时间' : '更晚一些') : undefined)
      : (i === 0 || shown[i - 1].duringSchool !== s.duringSchool ? (s.duringSchool ? '上课时间（要跟老师请假）' : '放学后和周末') : undefined)
    return (
      <View key={at}>
        {heading && <View className='cs-small'>{heading}：</View>}
        <View className={at === chosen ? 'cs-slot cs-slot--chosen' : 'cs-slot'} data-testid='slot' onClick={() => choose(at)}>
          <View className='cs-slot__time'>{sessionWords(s.start, s.end)}</View>
          {((soon && s.within48h) || s.sameCounselor || s.duringSchool) && (
            <View className='cs-slot__tags'>
              {soon && s.within48h && <Tag type='success'>48小时内</Tag>}
              {s.duringSchool && <Tag type='warning'>上课时间</Tag>}
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
        <View className='title'>{sessionId ? '改时间' : forSelf ? '约辅导员聊聊' : request ? `为${request.childName}约辅导员` : '约辅导员'}</View>
        {previousCounselorName && <View className='hint'>上次陪{forSelf ? '你' : request?.childName ?? '孩子'}聊天的是{previousCounselorName}，标着“上次的辅导员”的时间还是找他（她）。</View>}
        {slots.length === 0
          ? (
            <View>
              <EmptyState title='最近两周辅导员都约满了' description='过几天再来看看。想马上找人说说话，可以打 12355。' />
              <View className='big-button'><Button block size='large' type='primary' fill='outline' onClick={() => call('12355')}>拨打 12355</Button></View>
            </View>
            )
          : (
            <View>
              {!sessionId && (
                <Section title='1. 怎么聊'>
                  <View className='cs-chips' data-testid='modes'>
                    {MODES.map((m) => (
                      <Button key={m.value} size='large' shape='round' type={m.value === mode ? 'primary' : 'default'} onClick={() => chooseMode(m.value)}>{m.label}</Button>
                    ))}
                  </View>
                  {(mode === 'voice' || mode === 'video') && (
                    <Field label={mode === 'voice' ? '辅导员打哪个电话？' : '辅导员用微信视频打给哪个手机号？'} error={phoneError} testId='session-phone'
                      hint={forSelf ? '可以是你自己的，也可以是家里大人、老师的。' : undefined} hintAbove>
                      <TextInput value={phone ?? suggestedPhone ?? ''} onChange={(v) => { setPhone(v); setPhoneError(undefined) }} type='number' maxLength={13} placeholder='写电话号码' />
                    </Field>
                  )}
                  {mode === 'inPerson' && <View className='cs-card__line' data-testid='session-place'>地点：{place}</View>}
                </Section>
              )}
              <Section title={sessionId ? '选一个新时间' : '2. 选一个时间'}>
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
          <View><Text className='cs-strong'>{sessionWords(chosenSlot.start, chosenSlot.end)}</Text>{mode && !sessionId ? ` · ${SESSION_MODE_LABELS[mode]}` : ''}</View>
          {!mode && !sessionId && <View className='cs-field__error'>请在上面选怎么聊：打电话、视频通话或当面聊</View>}
          {phoneError && <View className='cs-field__error'>{phoneError}</View>}
          <ProblemBox message={failure} />
          <Button block size='large' shape='round' type='primary' loading={saving} disabled={saving || (!mode && !sessionId)} onClick={confirm}>{sessionId ? '改到这个时间' : '确认预约'}</Button>
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
        <View className='cs-card__line' data-testid='booked-how'>{session.how}</View>
        <View className='cs-status__small'>{session.mode === 'inPerson' ? '请按时到。' : '到时候请把手机放在身边。'}有事来不了，可以在“我的求助”里改时间或取消。</View>
      </View>
      <View className='big-button'>
        <Button block size='large' shape='round' type='primary' onClick={() => replace(MINE)}>看我的求助</Button>
      </View>
    </View>
  )
}
