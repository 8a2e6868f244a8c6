import { useMemo, useState } from 'react'
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { CALL_MODE_LABELS, callTimeLabel, type BookingView } from '../../../domain'
import { callCloud, isNetworkError } from '../../../services/cloud'
import { dayTimeWords } from '../../../services/format'
import { useCloud } from '../../../hooks/useCloud'
import { useAttemptKey } from '../../../hooks/useAttemptKey'
import { Page } from '../../../components/Page'
import { Button } from '../../../components/nut'
import { Input } from '../../../components/nut-forms/Input'
import { Field } from '../../../components/Field'
import { EmptyState, ErrorState, LoadingState, ProblemBox, messageOf, showDone } from '../../../components/States'
import { SlotPicker, type Slot } from './SlotPicker'

/** Picks a new time for a booking; the old one stays until the new one is had. */
export function MoveBooking ({ booking: b, onDone, onBack }: { booking: BookingView, onDone: () => void, onBack: () => void }) {
  const slots = useCloud(() => callCloud('hotline', 'slots', { childId: b.childId, days: 14 }), [b.childId])
  const [chosen, setChosen] = useState<Slot | undefined>()
  const [reason, setReason] = useState('')
  const [problem, setProblem] = useState<string | undefined>()
  const [next, setNext] = useState<Slot[]>([])
  const [saving, setSaving] = useState(false)
  const attempt = useAttemptKey()
  const choices = useMemo(() => (slots.data?.slots ?? []).filter((s) => s.start.getTime() !== b.start.getTime()), [slots.data, b.start])

  function choose (s: Slot) {
    setChosen(s)
    setProblem(undefined)
    Taro.pageScrollTo({ scrollTop: 0, duration: 200 }).catch(() => undefined)
  }

  async function move () {
    if (!chosen || saving) return
    setSaving(true)
    setProblem(undefined)
    const idempotencyKey = attempt.keyFor(`${b.id}|${chosen.key}|${reason}`)
    try {
      const res = await callCloud('hotline', 'move', { bookingId: b.id, start: chosen.start, reason: reason.trim() || undefined, idempotencyKey })
      attempt.done()
      if (res.outcome === 'booked') {
        showDone('已改好')
        onDone()
        return
      }
      setProblem(res.message)
      setNext(res.next)
      setChosen(undefined)
      slots.reload()
    } catch (err) {
      if (!isNetworkError(err)) attempt.done()
      setProblem(messageOf(err, { oneField: true }))
    } finally {
      setSaving(false)
    }
  }

  return (
    <Page testId='hotline-move' className='hl-root'>
      <Text className='hl-link' onClick={onBack}>‹ 返回我的预约</Text>
      <View className='title'>改时间</View>
      <View className='hl-card'>
        <View className='hl-sub'>原来的时间</View>
        <View className='hl-name'>{callTimeLabel(b.start)}</View>
        <View className='hl-sub'>和{b.childName} · {CALL_MODE_LABELS[b.mode]}</View>
      </View>
      <ProblemBox message={problem} testId='move-problem' />
      {next.length > 0 && !chosen && (
        <View className='hl-next'>
          {next.map((s) => (
            <View className='big-button' key={s.key}>
              <Button block size='large' type='primary' fill='outline' onClick={() => choose(s)}>{dayTimeWords(s.start)}</Button>
            </View>
          ))}
        </View>
      )}
      {chosen && (
        <View className='hl-card hl-card--ok' data-testid='move-confirm'>
          <View className='hl-sub'>改到</View>
          <View className='hl-name'>{callTimeLabel(chosen.start)}</View>
          <Field label='为什么改？' optional>
            <View className='hl-input'><Input value={reason} onChange={setReason} placeholder='例如：要加班' maxLength={100} clearable={false} /></View>
          </Field>
          <View className='hl-buttons'>
            <Button size='large' type='primary' loading={saving} onClick={move}>确认改时间</Button>
            <Button size='large' onClick={() => setChosen(undefined)}>重新选</Button>
          </View>
        </View>
      )}
      {slots.loading && !slots.data && <LoadingState text='正在找空位…' />}
      {slots.error && <ErrorState error={slots.error} onRetry={slots.reload} />}
      {slots.data && (
        <View>
          <View className='section-title'>选一个新的时间</View>
          {choices.length === 0
            ? <EmptyState title='接下来两周没有别的空位了' description='原来的时间还保留着。' />
            : <SlotPicker slots={choices} onPick={choose} chosenKey={chosen?.key} />}
        </View>
      )}
    </Page>
  )
}
