import { useEffect, useMemo, useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { z } from 'zod'
import {
  CALL_MODE_LABELS, WEEKDAY_LABELS, fieldErrors, hotlineContract, weekdayOf, type BookingView, type CallMode, type StandingCallView, type WaitlistView, type Weekday
} from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { askForReminders } from '../../../../services/subscriptions'
import { useCloud } from '../../../../hooks/useCloud'
import { Page } from '../../../../components/Page'
import { Button } from '../../../../components/nut'
import { EmptyState, ErrorState, LoadingState } from '../../../../components/States'
import { Dialog, Input } from '../../nut'
import {
  Choice, Field, ModeChoice, ProblemBox, WeekdayChoice, isNetwork, messageOf, tellDone, tellError, useAttemptKey
} from '../../components/bits'
import { SlotPicker, type Slot } from '../../components/SlotPicker'
import type { ChildOverview } from '../../components/Children'
import { callTimeLabel, clock, dayOf, dayWords, monthDay, nearName, weeklyWords } from '../../time'
import '../../hotline.scss'

type Standing = z.infer<typeof StandingCallView>
type Waiting = z.infer<typeof WaitlistView>
type View_ = { kind: 'list' } | { kind: 'move', booking: BookingView } | { kind: 'standing', child: ChildOverview, rule?: Standing }

const go = (url: string) => Taro.navigateTo({ url })
const CANCEL_REASONS = ['要加班', '孩子有事', '换个时间再约']

/**
 * A parent's calls to come (move, cancel), the waiting lists they are on (and a freed slot offered to them), and
 * the standing weekly call of each child.
 */
export default function BookingsPage () {
  const mine = useCloud(() => callCloud('hotline', 'myBookings', {}))
  const overview = useCloud(() => callCloud('hotline', 'overview', {}))
  const [view, setView] = useState<View_>({ kind: 'list' })
  const reload = () => { mine.reload(); overview.reload() }
  usePullDownRefresh(() => { reload(); Taro.stopPullDownRefresh() })
  // Back from booking: the list may have changed.
  const [shown, setShown] = useState(false)
  useDidShow(() => { if (shown) reload(); setShown(true) })

  if (view.kind === 'move') {
    return <MoveView booking={view.booking} onDone={() => { setView({ kind: 'list' }); reload() }} onBack={() => setView({ kind: 'list' })} />
  }
  if (view.kind === 'standing') {
    return <StandingForm child={view.child} rule={view.rule} onDone={() => { setView({ kind: 'list' }); reload() }} onBack={() => setView({ kind: 'list' })} />
  }

  if ((mine.loading && !mine.data) || (overview.loading && !overview.data)) return <Page><LoadingState /></Page>
  if (mine.error) return <Page><ErrorState error={mine.error} onRetry={reload} /></Page>
  if (overview.error) return <Page><ErrorState error={overview.error} onRetry={reload} /></Page>
  if (!mine.data || !overview.data) return null
  const { upcoming, waitlist, standing } = mine.data
  const withRoom = overview.data.children.filter((c) => c.room)

  return (
    <Page testId='hotline-bookings'>
      <View className='title'>我的预约</View>
      {waitlist.filter((w) => w.offer).map((w) => <OfferCard key={w.id} entry={w} onDone={reload} />)}

      <View className='section-title'>接下来的通话</View>
      {upcoming.length === 0
        ? (
          <View>
            <EmptyState title='还没有约好的通话' description='每周至少和孩子通一次话，孩子会很开心。' />
            <View className='big-button'><Button block size='large' type='primary' onClick={() => go('/packages/hotline/pages/book/index')}>去约通话</Button></View>
          </View>
          )
        : upcoming.map((b) => <BookingCard key={b.id} booking={b} onMove={() => setView({ kind: 'move', booking: b })} onCancelled={reload} />)}

      {waitlist.some((w) => !w.offer) && <View className='section-title'>排队等空位</View>}
      {waitlist.filter((w) => !w.offer).map((w) => <WaitCard key={w.id} entry={w} onLeft={reload} />)}

      <View className='section-title'>每周固定通话</View>
      {withRoom.length === 0 && <View className='hint'>孩子的学校开通真情关爱室以后，可以在这里设每周固定通话。</View>}
      {withRoom.map((c) => {
        const rule = standing.find((s) => s.childId === c.childId)
        return <StandingCard key={c.childId} child={c} rule={rule} onEdit={() => setView({ kind: 'standing', child: c, rule })} onRemoved={reload} />
      })}
      <View className='hl-links'>
        <Text className='hl-link' onClick={() => go('/packages/hotline/pages/book/index')}>约一次新的通话</Text>
      </View>
    </Page>
  )
}

function BookingCard ({ booking: b, onMove, onCancelled }: { booking: BookingView, onMove: () => void, onCancelled: () => void }) {
  const [asking, setAsking] = useState(false)
  const [reason, setReason] = useState('')
  const [error, setError] = useState<string | undefined>()

  async function cancel () {
    const parsed = hotlineContract.cancel.input.safeParse({ bookingId: b.id, reason })
    if (!parsed.success) {
      setError(fieldErrors(parsed.error).reason ?? '请说一下取消的原因')
      throw new Error('invalid') // keeps the dialog open
    }
    try {
      await callCloud('hotline', 'cancel', parsed.data)
      tellDone('已取消')
      onCancelled()
    } catch (err) {
      tellError(err)
      if (isNetwork(err)) throw err
      onCancelled()
    }
  }

  return (
    <View className='hl-card' data-testid='upcoming'>
      <View className='hl-row'>
        <Text className='hl-name'>{callTimeLabel(b.start)}</Text>
        {b.standing && <Text className='hl-week hl-week--booked'>每周固定</Text>}
      </View>
      <View className='hl-sub'>和{b.childName} · {CALL_MODE_LABELS[b.mode]} · {b.roomName}</View>
      <View className='hl-buttons'>
        <Button size='large' type='primary' fill='outline' onClick={onMove}>改时间</Button>
        <Button size='large' onClick={() => { setReason(''); setError(undefined); setAsking(true) }}>取消</Button>
      </View>
      <Dialog visible={asking} title='取消这次通话？' confirmText='确认取消' cancelText='不取消'
        onConfirm={cancel} onCancel={() => setAsking(false)} onClose={() => setAsking(false)}>
        {asking && (
          <View className='hl-confirm'>
            <View className='hl-confirm__who'>{callTimeLabel(b.start)}，和{b.childName}</View>
            <View className='hl-confirm__label'>为什么取消？</View>
            <View className='hl-chips'>
              {CANCEL_REASONS.map((r) => (
                <Text key={r} className={reason === r ? 'hl-chip hl-chip--on' : 'hl-chip'} onClick={() => { setReason(r); setError(undefined) }}>{r}</Text>
              ))}
            </View>
            <View className='hl-input'>
              <Input value={reason} onChange={(v) => { setReason(v); setError(undefined) }} placeholder='或者自己写' maxLength={100} clearable={false} />
            </View>
            {error && <View className='hl-field__error' data-testid='cancel-error'>{error}</View>}
          </View>
        )}
      </Dialog>
    </View>
  )
}

/** Picks a new time for a booking; the old one stays until the new one is had. */
function MoveView ({ booking: b, onDone, onBack }: { booking: BookingView, onDone: () => void, onBack: () => void }) {
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
        tellDone('已改好')
        onDone()
        return
      }
      setProblem(res.message)
      setNext(res.next)
      setChosen(undefined)
      slots.reload()
    } catch (err) {
      if (!isNetwork(err)) attempt.done()
      setProblem(messageOf(err))
    } finally {
      setSaving(false)
    }
  }

  return (
    <Page testId='hotline-move'>
      <Text className='hl-link' onClick={onBack}>‹ 返回我的预约</Text>
      <View className='title'>改时间</View>
      <View className='hl-card'>
        <View className='hl-sub'>原来的时间</View>
        <View className='hl-name'>{callTimeLabel(b.start)}</View>
        <View className='hl-sub'>和{b.childName} · {CALL_MODE_LABELS[b.mode]}</View>
      </View>
      {problem && <ProblemBox message={problem} testId='move-problem' />}
      {next.length > 0 && !chosen && (
        <View className='hl-next'>
          {next.map((s) => (
            <View className='big-button' key={s.key}>
              <Button block size='large' type='primary' fill='outline' onClick={() => choose(s)}>{dayWords(dayOf(s.start))} {clock(s.start)}</Button>
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

function WaitCard ({ entry: w, onLeft }: { entry: Waiting, onLeft: () => void }) {
  async function leave () {
    try {
      await callCloud('hotline', 'leaveWaitlist', { entryId: w.id })
      tellDone('已不再排队')
    } catch (err) {
      tellError(err)
    }
    onLeft()
  }
  return (
    <View className='hl-card' data-testid='waiting'>
      <View className='hl-row'>
        <Text className='hl-name'>{dayWords(w.date)}</Text>
        <Text className='hl-week hl-week--booked'>排第{w.position}位</Text>
      </View>
      <View className='hl-sub'>{w.childName} · 有人取消时，轮到您会发微信提醒</View>
      <View className='hl-buttons'><Button size='large' onClick={leave}>不排了</Button></View>
    </View>
  )
}

/** A freed slot held for this family for a short while: one big button takes it. */
function OfferCard ({ entry: w, onDone }: { entry: Waiting, onDone: () => void }) {
  const [mode, setMode] = useState<CallMode>('video')
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<string | undefined>()
  const offer = w.offer!
  async function accept () {
    if (saving) return
    const asked = askForReminders(['callReminder']) // on the tap, as WeChat requires
    setSaving(true)
    await asked
    try {
      const res = await callCloud('hotline', 'acceptOffer', { entryId: w.id, mode })
      if (res.outcome === 'booked') { tellDone('约好了'); onDone() } else setProblem(res.message)
    } catch (err) {
      setProblem(messageOf(err))
      if (!isNetwork(err)) onDone()
    } finally {
      setSaving(false)
    }
  }
  async function decline () {
    try { await callCloud('hotline', 'leaveWaitlist', { entryId: w.id }) } catch (err) { tellError(err) }
    onDone()
  }
  return (
    <View className='hl-card hl-card--offer' data-testid='offer'>
      <View className='hl-offer__title'>有空位了！</View>
      <View className='hl-name'>{callTimeLabel(offer.start)}</View>
      <View className='hl-sub'>和{w.childName}。请在{nearName(dayOf(offer.expiresAt)) ?? monthDay(dayOf(offer.expiresAt))} {clock(offer.expiresAt)}前确认，过时让给下一位。</View>
      <ModeChoice value={mode} onChange={setMode} />
      {problem && <ProblemBox message={problem} />}
      <View className='big-button'><Button block size='large' type='primary' loading={saving} onClick={accept}>确认这个空位</Button></View>
      <Text className='hl-link' onClick={decline}>不要了，让给别人</Text>
    </View>
  )
}

function StandingCard ({ child, rule, onEdit, onRemoved }: { child: ChildOverview, rule?: Standing, onEdit: () => void, onRemoved: () => void }) {
  const [asking, setAsking] = useState(false)
  async function remove () {
    if (!rule) return
    try {
      await callCloud('hotline', 'removeStandingCall', { ruleId: rule.id })
      tellDone('已取消固定通话')
    } catch (err) {
      tellError(err)
      if (isNetwork(err)) throw err
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
function StandingForm ({ child, rule, onDone, onBack }: { child: ChildOverview, rule?: Standing, onDone: () => void, onBack: () => void }) {
  const slots = useCloud(() => callCloud('hotline', 'slots', { childId: child.childId, days: 14 }), [child.childId])
  const [weekday, setWeekday] = useState<number | undefined>(rule?.weekday)
  const [time, setTime] = useState<string | undefined>(rule?.time)
  const [mode, setMode] = useState<CallMode>(rule?.mode ?? 'video')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<string | undefined>()
  const [saved, setSaved] = useState<{ rule: Standing, booked: BookingView[] } | undefined>()

  // Call times the room has on each weekday (from its free slots of the next two weeks).
  const timesByDay = useMemo(() => {
    const map = new Map<number, Set<string>>()
    for (const s of slots.data?.slots ?? []) {
      const d = weekdayOf(dayOf(s.start))
      map.set(d, (map.get(d) ?? new Set()).add(clock(s.start)))
    }
    return map
  }, [slots.data])
  const times = weekday ? [...(timesByDay.get(weekday) ?? new Set<string>()), ...(rule && rule.weekday === weekday ? [rule.time] : [])] : []
  const timeOptions = [...new Set(times)].sort().map((t) => ({ value: t, label: t }))
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
      setProblem(messageOf(err))
    } finally {
      setSaving(false)
    }
  }

  if (saved) {
    return (
      <Page testId='standing-saved'>
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
    <Page testId='standing-form'>
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
              <Choice value={time} options={timeOptions} onChange={setTime} />
            </Field>
          )}
          <Field label='怎么通话' error={errors.mode}>
            <ModeChoice value={mode} onChange={setMode} />
          </Field>
          {problem && <ProblemBox message={problem} />}
          <View className='hl-actions'>
            <Button block size='large' type='primary' loading={saving} onClick={save}>保存每周固定通话</Button>
          </View>
        </View>
      )}
    </Page>
  )
}
