import { useEffect, useState } from 'react'
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { z } from 'zod'
import { CALL_MODE_LABELS, BOOKING_STATUS_LABELS, addDays, isDateKey, type BookingStatus, type hotlineContract } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { askIfRunningLow } from '../../../../services/subscriptions'
import { useAllowsLeft } from '../../../../hooks/useAllowsLeft'
import { now } from '../../../../services/clock'
import { dayWords, timeOf, today } from '../../../../services/format'
import { call as dial, go } from '../../../../services/nav'
import { useCloud } from '../../../../hooks/useCloud'
import { useOneAtATime } from '../../../../hooks/useOneAtATime'
import { Page } from '../../../../components/Page'
import { Button } from '../../../../components/nut'
import { Input } from '../../../../components/nut-forms/Input'
import { Choice } from '../../../../components/Choice'
import { EmptyState, ErrorState, LoadingState, messageOf, showDone } from '../../../../components/States'
import { StatusTag } from '../../components/CallStatus'
import '../../hotline.scss'

type Call = z.infer<typeof hotlineContract.daySheet.output>['calls'][number]
type Outcome = 'held' | 'missedByParent' | 'childAbsent'
const OUTCOMES: Outcome[] = ['held', 'missedByParent', 'childAbsent']
/** "Child absent" can be marked from half an hour before a call; "held" and "parent missed" once it has begun (as the function allows). */
const ABSENT_FROM_MINUTES = 30

/** The teacher's sheet of one day in the care room: each call, and how it went. */
export default function SheetPage () {
  useAllowsLeft()
  const { params } = useRouter()
  const rooms = useCloud(() => callCloud('hotline', 'rooms', {}))
  const [roomId, setRoomId] = useState<string | undefined>(params.roomId || undefined)
  // No day asked for means today, read when the sheet is loaded: the cloud's clock may differ from the phone's.
  const [date, setDate] = useState(params.date && isDateKey(params.date) ? params.date : undefined)
  const sheet = useCloud(() => (roomId ? callCloud('hotline', 'daySheet', { roomId, date: date ?? today() }) : Promise.resolve(undefined)), [roomId, date])
  // Calls parents made straight home that the school may confirm when nobody at home uses the app.
  const direct = useCloud(() => callCloud('hotline', 'callsToConfirm', {}))
  // Marks made on this page show at once, before the sheet is read again.
  const [marks, setMarks] = useState<Record<string, BookingStatus>>({})
  useEffect(() => setMarks({}), [sheet.data])
  usePullDownRefresh(() => { sheet.reload(); direct.reload(); Taro.stopPullDownRefresh() })
  useEffect(() => {
    const list = rooms.data?.rooms ?? []
    if (!roomId && list.length > 0) setRoomId(list[0].id)
  }, [rooms.data, roomId])

  if (rooms.loading && !rooms.data) return <Page className='hl-root'><LoadingState /></Page>
  if (rooms.error) return <Page className='hl-root'><ErrorState error={rooms.error} onRetry={rooms.reload} /></Page>
  if (!rooms.data) return null
  if (rooms.data.rooms.length === 0) return <Page className='hl-root'><EmptyState title='您的学校还没有真情关爱室' description='请联系教育局或管理员开通。' /></Page>

  const data = sheet.data
  const day = date ?? today()
  const isToday = day === today()
  return (
    <Page testId='hotline-sheet' className='hl-root'>
      {rooms.data.rooms.length > 1 && (
        <Choice value={roomId} options={rooms.data.rooms.map((r) => ({ value: r.id, label: r.name }))} onChange={setRoomId} alwaysButtons />
      )}
      <View className='hl-dayhead'>
        <Button size='large' onClick={() => setDate(addDays(day, -1))}>‹ 前一天</Button>
        <View className='hl-dayhead__day' data-testid='sheet-date'>{dayWords(day)}</View>
        <Button size='large' onClick={() => setDate(addDays(day, 1))}>后一天 ›</Button>
      </View>
      {!isToday && <View className='hl-center'><Text className='hl-link' onClick={() => setDate(undefined)}>回到今天</Text></View>}
      {(direct.data?.calls.length ?? 0) > 0 && (
        <View className='hl-card hl-card--tap hl-card--offer' data-testid='direct-waiting' onClick={() => go('/packages/hotline/pages/confirm/index')}>
          <View className='hl-name'>家长说直接打到家里了：{direct.data!.calls.length}个等确认 ›</View>
          <View className='hl-sub'>家里没人用“雏燕”时，孩子说打过了，老师可以帮忙确认。</View>
        </View>
      )}

      {sheet.loading && !data && <LoadingState />}
      {sheet.error && <ErrorState error={sheet.error} onRetry={sheet.reload} />}
      {data && (
        <View>
          <View className='hint'>{data.room.name} · {data.room.devices}台设备</View>
          {!data.open && <View className='hl-card hl-card--warn' data-testid='closed'>{data.closedReason ?? '这一天不开放'}</View>}
          {data.calls.length === 0
            ? <EmptyState title={data.open ? '这一天还没有人约' : '这一天没有通话'} description={data.open ? '家长约了以后会显示在这里。' : undefined} />
            : (
              <View>
                <View className='section-title'>共{data.calls.length}个通话 · 已登记{data.calls.filter((c) => (marks[c.id] ?? c.status) !== 'booked').length}个</View>
                {data.calls.map((c) => (
                  <CallCard key={c.id} call={c} status={marks[c.id] ?? c.status} onMarked={(st) => setMarks((m) => ({ ...m, [c.id]: st }))} />
                ))}
              </View>
              )}
        </View>
      )}
    </Page>
  )
}

function CallCard ({ call, status, onMarked }: { call: Call, status: BookingStatus, onMarked: (status: BookingStatus) => void }) {
  const [note, setNote] = useState(call.note ?? '')
  // One mark at a time: a second tap while one is sent (or while WeChat asks about reminders) sends nothing.
  const one = useOneAtATime<Outcome>()
  const saving = one.running
  const [problem, setProblem] = useState<string | undefined>()
  const toStart = call.start.getTime() - now().getTime()
  const begun = toStart <= 0
  const markable = toStart <= ABSENT_FROM_MINUTES * 60000
  const marked = status !== 'booked'

  const mark = (outcome: Outcome) => one.run(outcome, async () => {
    // A natural tap: the teacher keeps the alerts of the room switched on.
    await askIfRunningLow(['careAlert', 'staffBooking'])
    setProblem(undefined)
    try {
      const res = await callCloud('hotline', 'checkIn', { bookingId: call.id, outcome, note: note.trim() || undefined })
      onMarked(res.status)
      showDone(BOOKING_STATUS_LABELS[res.status])
    } catch (err) {
      setProblem(messageOf(err, { oneField: true }))
    }
  })

  return (
    <View className={marked ? 'hl-card hl-call hl-call--marked' : 'hl-card hl-call'} data-testid='sheet-call' data-id={call.id}>
      <View className='hl-row'>
        <Text className='hl-call__time'>{timeOf(call.start)}–{timeOf(call.end)}</Text>
        <StatusTag status={status} label={BOOKING_STATUS_LABELS[status]} />
      </View>
      <View className='hl-name'>{call.childName}<Text className='hl-sub'>{'\u3000'}{call.className}</Text></View>
      <View className='hl-sub'>{call.bookedByName}约的 · {CALL_MODE_LABELS[call.mode]}{call.standing ? ' · 每周固定' : ''}</View>
      {call.parentPhone && (
        <View className='hl-phone' data-testid='parent-phone'>
          <View>
            <View className='hl-sub'>{call.parentLabel}</View>
            <Text className='hl-phone__number'>{call.parentPhone}</Text>
          </View>
          <Button size='large' type='primary' fill='outline' onClick={() => dial(call.parentPhone!)} data-testid='call-parent'>打电话</Button>
        </View>
      )}
      {markable
        ? (
          <View>
            <View className='hl-input'>
              <Input value={note} onChange={setNote} placeholder='备注（可不填），如：聊了期中考试' maxLength={100} clearable={false} />
            </View>
            <View className='hl-outcomes'>
              {OUTCOMES.map((o) => (
                <Button key={o} size='large' type={status === o ? 'primary' : 'default'} loading={saving === o} disabled={!!saving || (o !== 'childAbsent' && !begun)}
                  onClick={() => mark(o)}>{BOOKING_STATUS_LABELS[o]}</Button>
              ))}
            </View>
            {!begun && <View className='hl-sub' data-testid='not-begun'>通话{timeOf(call.start)}开始，开始以后才能登记“已通话”；孩子来不了现在就可以登记。</View>}
            {marked && <View className='hl-sub'>点别的按钮可以改。</View>}
          </View>
          )
        : <View className='hl-sub'>通话开始后可以登记结果；孩子来不了，开始前{ABSENT_FROM_MINUTES}分钟起可以登记。</View>}
      {problem && <View className='field__error'>{problem}</View>}
    </View>
  )
}
