import { useEffect, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { CALL_MODE_LABELS, callTimeLabel, weekOf, type BookingView, type CallMode } from '../../../../domain'
import { callCloud, isNetworkError, type CloudError } from '../../../../services/cloud'
import { askForReminders } from '../../../../services/subscriptions'
import { dayTimeWords, dayWords } from '../../../../services/format'
import { go } from '../../../../services/nav'
import { useCloud } from '../../../../hooks/useCloud'
import { useAttemptKey } from '../../../../hooks/useAttemptKey'
import { useOneAtATime } from '../../../../hooks/useOneAtATime'
import { Page } from '../../../../components/Page'
import { Button } from '../../../../components/nut'
import { Dialog } from '../../../../components/nut-forms/Dialog'
import { EmptyState, ErrorState, LoadingState, ProblemBox, messageOf, showError } from '../../../../components/States'
import { ModeChoice } from '../../components/choices'
import { SlotPicker, type Slot } from '../../components/SlotPicker'
import { ChildChooser, WeekState } from '../../components/Children'
import '../../hotline.scss'

const MODE_KEY = 'chuyan.hotline.mode'
const BOOKINGS = '/packages/hotline/pages/bookings/index'

function savedMode (): CallMode {
  try { return Taro.getStorageSync(MODE_KEY) === 'voice' ? 'voice' : 'video' } catch { return 'video' }
}

type Result =
  | { kind: 'booked', booking: BookingView }
  | { kind: 'taken', message: string, next: Slot[] }
  | { kind: 'problem', message: string, code: CloudError['code'] }
  | { kind: 'waiting', date: string, position: number }

/**
 * A parent books a call with the child at the school's care room: the nearest free time that fits their hours is
 * the big button at the top; any other time is a day and a tap away below.
 */
export default function BookPage () {
  const { params } = useRouter()
  const [childId, setChildId] = useState<string | undefined>(params.childId || undefined)
  const overview = useCloud(() => callCloud('hotline', 'overview', {}))
  const slots = useCloud(() => (childId ? callCloud('hotline', 'slots', { childId, days: 14 }) : Promise.resolve(undefined)), [childId])
  // The child's calls already booked: shown at the top, and their times left out of the choices.
  const mine = useCloud(() => callCloud('hotline', 'myBookings', {}))
  const [mode, setModeState] = useState<CallMode>(savedMode)
  const [pending, setPending] = useState<Slot | undefined>()
  const [waitDay, setWaitDay] = useState<string | undefined>()
  const [result, setResult] = useState<Result | undefined>()
  // Booking, a time offered instead, or the waiting list: one at a time, so a second tap books nothing twice.
  const one = useOneAtATime()
  const attempt = useAttemptKey()
  const waitAttempt = useAttemptKey()

  const children = overview.data?.children ?? []
  // One child: no need to ask which.
  useEffect(() => {
    const list = overview.data?.children ?? []; if (!childId && list.length === 1) setChildId(list[0].childId)
  }, [childId, overview.data])

  function setMode (m: CallMode) {
    setModeState(m)
    try { Taro.setStorageSync(MODE_KEY, m) } catch { /* remembered next time if the phone allows */ }
  }

  function show (r: Result) {
    setResult(r)
    Taro.pageScrollTo({ scrollTop: 0, duration: 200 }).catch(() => undefined)
  }

  /** Books a slot; false when the request never arrived (the same confirmation may be sent again). */
  async function book (slot: Slot): Promise<boolean> {
    if (!childId) return true
    const idempotencyKey = attempt.keyFor(`${childId}|${slot.key}|${mode}`)
    try {
      const res = await callCloud('hotline', 'book', { childId, start: slot.start, mode, idempotencyKey })
      attempt.done()
      if (res.outcome === 'booked') {
        show({ kind: 'booked', booking: res.booking })
        // The answer holds what changed: the page shows it without loading its three lists again.
        const b = res.booking
        const at = new Date(b.start).getTime()
        slots.update((d) => d && {
          ...d,
          slots: d.slots.flatMap((s) => (new Date(s.start).getTime() !== at ? [s] : s.remaining > 1 ? [{ ...s, remaining: s.remaining - 1 }] : [])),
          familyLimit: { ...d.familyLimit, used: d.familyLimit.used + 1 }
        })
        mine.update((d) => ({ ...d, upcoming: [...d.upcoming.filter((x) => x.id !== b.id), b].sort((x, y) => new Date(x.start).getTime() - new Date(y.start).getTime()) }))
        overview.update((d) => ({
          ...d,
          children: d.children.map((c) => (c.childId === b.childId && c.thisWeek.weekKey === weekOf(new Date(b.start)).weekKey ? { ...c, thisWeek: { ...c.thisWeek, booked: true } } : c))
        }))
      } else {
        show({ kind: 'taken', message: res.message, next: res.next })
        slots.reload()
      }
      return true
    } catch (err) {
      if (isNetworkError(err)) { showError(err, { oneField: true }); return false }
      attempt.done()
      show({ kind: 'problem', message: messageOf(err, { oneField: true }), code: (err as CloudError).code ?? 'INTERNAL' })
      slots.reload()
      return true
    }
  }

  // The dialog's button shows loading while its promise runs; a second press joins the same run.
  const confirmPending = () => one.run('book', async () => {
    const slot = pending
    if (!slot) return
    // On the tap itself: WeChat only lets a page ask for reminders in answer to one.
    await askForReminders(['callReminder'])
    // A lost connection keeps the dialog open: pressing again sends the same request.
    if (!(await book(slot))) throw new Error('not sent')
  })

  const bookNext = (slot: Slot) => one.run(`next:${slot.key}`, () => book(slot))

  const joinWaitlist = () => one.run('waitlist', async () => {
    const date = waitDay
    if (!childId || !date) return
    await askForReminders(['slotOffer'])
    try {
      const entry = await callCloud('hotline', 'joinWaitlist', { childId, date, idempotencyKey: waitAttempt.keyFor(`${childId}|${date}`) })
      waitAttempt.done()
      show({ kind: 'waiting', date: entry.date, position: entry.position })
    } catch (err) {
      if (isNetworkError(err)) { showError(err, { oneField: true }); throw err }
      waitAttempt.done()
      show({ kind: 'problem', message: messageOf(err, { oneField: true }), code: (err as CloudError).code ?? 'INTERNAL' })
    }
  })

  if (overview.loading && !overview.data) return <Page className='hl-root'><LoadingState /></Page>
  if (overview.error) return <Page className='hl-root'><ErrorState error={overview.error} onRetry={overview.reload} /></Page>
  if (!overview.data) return null

  if (children.length === 0) {
    return (
      <Page testId='hotline-book' className='hl-root'>
        <EmptyState title='还没有绑定孩子' description='绑定孩子以后才能约通话。请向儿童主任或班主任要绑定码。' />
        <View className='big-button'><Button block size='large' type='primary' onClick={() => go('/packages/join/pages/bind/index')}>绑定孩子</Button></View>
      </Page>
    )
  }
  const child = children.find((c) => c.childId === childId)
  if (!childId || !child) {
    return (
      <Page testId='hotline-book' className='hl-root'>
        {childId && <ProblemBox message='没有找到这个孩子，请在下面选一个' testId='problem' />}
        <ChildChooser list={children} title='和哪个孩子通话？' onChoose={(id) => { setChildId(id); setResult(undefined) }} />
      </Page>
    )
  }

  const booked = (mine.data?.upcoming ?? []).filter((b) => b.childId === child.childId)
  const taken = new Set(booked.map((b) => b.start.getTime()))
  const header = (
    <View className='hl-card hl-head' data-testid='book-child'>
      <View className='hl-row'>
        <Text className='hl-name'>和{child.childName}通话</Text>
        <WeekState week={child.thisWeek} />
      </View>
      <View className='hl-sub'>{child.room ? child.room.name : ''}</View>
      {booked.length > 0 && (
        <View className='hl-sub' data-testid='already-booked'>已约好：{booked.map((b) => dayTimeWords(b.start)).join('；')}</View>
      )}
      {children.length > 1 && <Text className='hl-link' onClick={() => { setChildId(undefined); setResult(undefined) }}>换一个孩子</Text>}
    </View>
  )

  if (!child.room) {
    return (
      <Page testId='hotline-book' className='hl-root'>
        {header}
        <EmptyState title='孩子的学校还没有开通真情关爱室' description='请联系班主任问一问什么时候开通。' />
      </Page>
    )
  }

  if (result?.kind === 'booked') {
    const b = result.booking
    const minutes = Math.round((b.end.getTime() - b.start.getTime()) / 60000)
    return (
      <Page testId='hotline-book' className='hl-root'>
        <View className='hl-done' data-testid='booked'>
          <View className='hl-done__mark'>✓</View>
          <View className='hl-done__title'>约好了</View>
          <View className='hl-done__time' data-testid='booked-time'>{callTimeLabel(b.start)}</View>
          <View className='hl-done__who'>{b.childName} · {CALL_MODE_LABELS[b.mode]}</View>
          <View className='hl-sub'>在{b.roomName}，约{minutes}分钟。到时候请准时接听，老师会帮孩子接通。</View>
          <View className='hl-sub'>如果您允许了微信提醒，前一天和开始前30分钟会提醒您。</View>
        </View>
        <View className='big-button'><Button block size='large' type='primary' onClick={() => go(BOOKINGS)}>查看我的预约</Button></View>
        <View className='big-button'><Button block size='large' onClick={() => setResult(undefined)}>再约一次</Button></View>
      </Page>
    )
  }

  const data = mine.data || mine.error ? slots.data : undefined
  const choices = (data?.slots ?? []).filter((s) => !taken.has(s.start.getTime()))
  const nearest = choices[0]
  const limitReached = data ? data.familyLimit.used >= data.familyLimit.max : false

  return (
    <Page testId='hotline-book' className='hl-root'>
      {header}

      {result?.kind === 'taken' && (
        <View data-testid='taken'>
          <ProblemBox message={result.message} testId='taken-message' />
          {result.next.every((s) => taken.has(s.start.getTime()))
            ? <View className='hint'>最近几天都约满了，可以在下面排队等空位。</View>
            : (
              <View className='hl-next'>
                {result.next.filter((s) => !taken.has(s.start.getTime())).map((s) => (
                  <View className='big-button' key={s.key}>
                    <Button block size='large' type='primary' fill='outline' loading={one.running === `next:${s.key}`} disabled={one.running !== undefined} data-testid='next-slot' onClick={() => bookNext(s)}>
                      {dayTimeWords(s.start)}
                    </Button>
                  </View>
                ))}
              </View>
              )}
        </View>
      )}
      {result?.kind === 'problem' && (
        <ProblemBox message={result.message} testId='book-problem'>
          {result.code === 'CONFLICT' && <Button size='large' type='primary' fill='outline' onClick={() => go(BOOKINGS)}>查看我的预约</Button>}
        </ProblemBox>
      )}
      {result?.kind === 'waiting' && (
        <View className='hl-card hl-card--ok' data-testid='waiting'>
          <View className='hl-name'>已排队：{dayWords(result.date)}</View>
          <View className='hl-sub'>您排第{result.position}位。有人取消时，空位先留给排在前面的人，轮到您会发微信提醒，请在30分钟内确认。</View>
          <Text className='hl-link' onClick={() => go(BOOKINGS)}>查看我的排队</Text>
        </View>
      )}

      {(slots.loading || mine.loading) && !data && <LoadingState text='正在找空位…' />}
      {slots.error && <ErrorState error={slots.error} onRetry={slots.reload} />}
      {data && (
        <View>
          {limitReached && result?.kind !== 'problem' && (
            <View className='hl-card hl-card--warn' data-testid='limit-notice'>
              {child.childName}已经约了{data.familyLimit.used}次（每个孩子最多同时约{data.familyLimit.max}次）。先通完或取消一次，才能再约。
            </View>
          )}
          {nearest
            ? (
              <View className='hl-nearest' data-testid='book-nearest' onClick={() => setPending(nearest)}>
                <View className='hl-nearest__label'>约最近的空位</View>
                <View className='hl-nearest__time'>{dayTimeWords(nearest.start)}</View>
                {nearest.preferred && <View className='hl-nearest__why'>在您常空闲的时间里</View>}
              </View>
              )
            : <EmptyState title='接下来两周都约满了' description='可以选一天排队，有人取消时先通知您。' />}
          <View className='section-title'>或者选一个时间</View>
          <SlotPicker slots={choices} onPick={setPending} chosenKey={pending?.key}
            dayFooter={(day) => (
              <View className='hl-waitlink'>
                <Text className='hl-link' data-testid='join-waitlist' onClick={() => setWaitDay(day)}>这天约满了？排队等空位</Text>
              </View>
            )} />
          <View className='hl-links'>
            <Text className='hl-link' onClick={() => go('/packages/hotline/pages/free-hours/index')}>
              {overview.data.freeHours.length ? '改我常空闲的时间' : '告诉我们您常空闲的时间，合适的时间排在前面'}
            </Text>
            <Text className='hl-link' onClick={() => go(BOOKINGS)}>我的预约和每周固定通话</Text>
            <Text className='hl-link' data-testid='link-direct' onClick={() => go(`/packages/hotline/pages/direct/index?childId=${encodeURIComponent(child.childId)}`)}>直接打到家里了？记下来，家里确认就算</Text>
            <Text className='hl-link' onClick={() => go(`/packages/hotline/pages/history/index?childId=${encodeURIComponent(child.childId)}`)}>通话记录</Text>
          </View>
        </View>
      )}

      <Dialog visible={!!pending} title='确认预约' confirmText='确认预约' cancelText='再想想'
        onConfirm={confirmPending} onCancel={() => setPending(undefined)} onClose={() => setPending(undefined)}>
        {pending && (
          <View className='hl-confirm' data-testid='confirm'>
            <View className='hl-confirm__time'>{callTimeLabel(pending.start)}</View>
            <View className='hl-confirm__who'>和{child.childName}通话，约{child.room.slotMinutes}分钟</View>
            <View className='hl-confirm__label'>怎么通话</View>
            <ModeChoice value={mode} onChange={setMode} />
          </View>
        )}
      </Dialog>
      <Dialog visible={!!waitDay} title='排队等空位' confirmText='排队' cancelText='不排了'
        onConfirm={joinWaitlist} onCancel={() => setWaitDay(undefined)} onClose={() => setWaitDay(undefined)}>
        {waitDay && (
          <View className='hl-confirm'>
            <View className='hl-confirm__time'>{dayWords(waitDay)}</View>
            <View className='hl-confirm__who'>有人取消时，空位先留给排在前面的人。轮到您时会发微信提醒，请在30分钟内确认。</View>
          </View>
        )}
      </Dialog>
    </Page>
  )
}
