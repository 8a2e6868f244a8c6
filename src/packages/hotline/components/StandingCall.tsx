/** A child's standing weekly call: the card on the bookings page, and the form that sets or changes it. */
import { useEffect, useMemo, useState } from 'react'
import { View, Text } from '@tarojs/components'
import type { z } from 'zod'
import {
  CALL_MODE_LABELS, WEEKDAY_LABELS, callTimeLabel, fieldErrors, hotlineContract, weekdayOf,
  type BookingView, type CallMode, type StandingCallView, type Weekday
} from '../../../domain'
import { callCloud, isNetworkError } from '../../../services/cloud'
import { askForReminders } from '../../../services/subscriptions'
import { dayOf, timeOf, weeklyWords } from '../../../services/format'
import { useCloud } from '../../../hooks/useCloud'
import { Page } from '../../../components/Page'
import { Button } from '../../../components/nut'
import { Dialog } from '../../../components/nut-forms/Dialog'
import { Choice } from '../../../components/Choice'
import { Field } from '../../../components/Field'
import { ErrorState, LoadingState, ProblemBox, messageOf, showDone, showError } from '../../../components/States'
import type { ChildOverview } from './Children'
import { ModeChoice, WeekdayChoice } from './choices'
import { useFieldErrors } from '../../../hooks/useFieldErrors'

export type StandingRule = z.infer<typeof StandingCallView>

/** A child's standing weekly call (or the offer to set one), its missed weeks, and ways to change or end it. */
export function StandingCallCard ({ child, rule, onEdit, onRemoved }: { child: ChildOverview, rule?: StandingRule, onEdit: () => void, onRemoved: () => void }) {
  const [asking, setAsking] = useState(false)
  async function remove () {
    if (!rule) return
    try {
      await callCloud('hotline', 'removeStandingCall', { ruleId: rule.id })
      showDone('已取消固定通话')
    } catch (err) {
      showError(err, { oneField: true })
      if (isNetworkError(err)) throw err
    }
    onRemoved()
  }
  if (!rule) {
    return (
      <View className='hl-card' data-testid='standing-none'>
        <View className='hl-name'>{child.childName}：还没有设置</View>
        <View className='hl-sub'>设好以后，每周这个时间会自动帮您约好，不用每次来约。</View>
        <View className='hl-buttons'><Button size='large' type='primary' fill='outline' onClick={onEdit}>设每周固定通话</Button></View>
      </View>
    )
  }
  return (
    <View className='hl-card' data-testid='standing'>
      <View className='hl-row'>
        <Text className='hl-name'>{child.childName}：{weeklyWords(rule.weekday, rule.time)}</Text>
        <Text className='hl-week hl-week--held'>{CALL_MODE_LABELS[rule.mode].replace('通话', '')}</Text>
      </View>
      {rule.missedWeeks.length > 0 && (
        <View className='hl-missed' data-testid='missed-weeks'>
          <View className='hl-missed__title'>这几周没能自动约上，请另约时间：</View>
          {rule.missedWeeks.map((m) => <View key={m.weekKey} className='hl-missed__item'>· {m.reason}</View>)}
        </View>
      )}
      <View className='hl-buttons'>
        <Button size='large' type='primary' fill='outline' onClick={onEdit}>修改</Button>
        <Button size='large' onClick={() => setAsking(true)}>取消固定通话</Button>
      </View>
      <Dialog visible={asking} title='取消每周固定通话？' confirmText='确认取消' cancelText='不取消'
        onConfirm={remove} onCancel={() => setAsking(false)} onClose={() => setAsking(false)}>
        <View className='hl-confirm__who'>以后不再自动约。已经约好的通话还在，不想要可以在上面一次次取消。</View>
      </Dialog>
    </View>
  )
}

/** Sets (or changes) a child's standing weekly call; the times offered are the room's real call times. */
export function StandingCallForm ({ child, rule, onDone, onBack }: { child: ChildOverview, rule?: StandingRule, onDone: () => void, onBack: () => void }) {
  const slots = useCloud(() => callCloud('hotline', 'slots', { childId: child.childId, days: 14 }), [child.childId])
  const [weekday, setWeekday] = useState<number | undefined>(rule?.weekday)
  const [time, setTime] = useState<string | undefined>(rule?.time)
  const [mode, setMode] = useState<CallMode>(rule?.mode ?? 'video')
  const [errors, setErrors] = useFieldErrors()
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<string | undefined>()
  const [saved, setSaved] = useState<{ rule: StandingRule, booked: BookingView[] } | undefined>()

  // Call times the room has on each weekday (from its free slots of the next two weeks).
  const timesByDay = useMemo(() => {
    const map = new Map<number, Set<string>>()
    for (const s of slots.data?.slots ?? []) {
      const d = weekdayOf(dayOf(s.start))
      map.set(d, (map.get(d) ?? new Set()).add(timeOf(s.start)))
    }
    return map
  }, [slots.data])
  const times = weekday ? [...(timesByDay.get(weekday) ?? new Set<string>()), ...(rule && rule.weekday === weekday ? [rule.time] : [])] : []
  const timeOptions = [...new Set(times)].sort().map((t) => ({ value: t, label: t }))
  // Only when the weekday changes: a time kept from the rule must survive the free times loading after it.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- see above
  useEffect(() => { if (time && weekday && !timeOptions.some((o) => o.value === time)) setTime(undefined) }, [weekday])

  async function save () {
    const input = { childId: child.childId, weekday, time, mode }
    const parsed = hotlineContract.setStandingCall.input.safeParse(input)
    if (!parsed.success) { setErrors(fieldErrors(parsed.error)); return }
    setErrors({})
    setProblem(undefined)
    const asked = askForReminders(['callReminder']) // on the tap, as WeChat requires
    setSaving(true)
    await asked
    try {
      setSaved(await callCloud('hotline', 'setStandingCall', parsed.data))
    } catch (err) {
      setProblem(messageOf(err, { oneField: true }))
    } finally {
      setSaving(false)
    }
  }

  if (saved) {
    return (
      <Page testId='standing-saved' className='hl-root'>
        <View className='hl-done'>
          <View className='hl-done__mark'>✓</View>
          <View className='hl-done__title'>{weeklyWords(saved.rule.weekday, saved.rule.time)}</View>
          <View className='hl-done__who'>和{child.childName} · {CALL_MODE_LABELS[saved.rule.mode]}</View>
        </View>
        {saved.booked.length > 0 && (
          <View className='hl-card'>
            <View className='hl-name'>已经帮您约好：</View>
            {saved.booked.map((b) => <View key={b.id} className='hl-sub'>· {callTimeLabel(b.start)}</View>)}
          </View>
        )}
        {saved.rule.missedWeeks.length > 0 && (
          <View className='hl-missed'>
            <View className='hl-missed__title'>这几周没能约上，请另约时间：</View>
            {saved.rule.missedWeeks.map((m) => <View key={m.weekKey} className='hl-missed__item'>· {m.reason}</View>)}
          </View>
        )}
        <View className='hint'>以后每周会自动约好这个时间；哪一周约不上，会在“我的预约”里告诉您。</View>
        <View className='big-button'><Button block size='large' type='primary' onClick={onDone}>好的</Button></View>
      </Page>
    )
  }

  return (
    <Page testId='standing-form' className='hl-root'>
      <Text className='hl-link' onClick={onBack}>‹ 返回我的预约</Text>
      <View className='title'>{child.childName}的每周固定通话</View>
      <View className='hint'>选好星期几、几点，以后每周都会自动帮您约好这个时间。</View>
      {slots.loading && !slots.data && <LoadingState />}
      {slots.error && <ErrorState error={slots.error} onRetry={slots.reload} />}
      {slots.data && (
        <View>
          <Field label='每周星期几' error={errors.weekday}>
            <WeekdayChoice value={weekday} onChange={setWeekday} />
          </Field>
          {weekday && (
            <Field label={`${WEEKDAY_LABELS[weekday as Weekday]}几点`} error={errors.time}
              hint={timeOptions.length === 0 ? '关爱室这天没有可约的时间，请换一天' : undefined}>
              <Choice value={time} options={timeOptions} onChange={setTime} alwaysButtons />
            </Field>
          )}
          <Field label='怎么通话' error={errors.mode}>
            <ModeChoice value={mode} onChange={setMode} />
          </Field>
          <ProblemBox message={problem} testId='problem' />
          <View className='hl-actions'>
            <Button block size='large' type='primary' loading={saving} onClick={save}>保存每周固定通话</Button>
          </View>
        </View>
      )}
    </Page>
  )
}
