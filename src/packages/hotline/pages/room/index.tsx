import { useEffect, useState } from 'react'
import { View, Text } from '@tarojs/components'
import { CareRoomSettings, addDays, fieldErrors, type WeeklyRange } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { WEEKDAY_OPTIONS, dayWords, today } from '../../../../services/format'
import { go } from '../../../../services/nav'
import { useCloud } from '../../../../hooks/useCloud'
import { Page } from '../../../../components/Page'
import { Button, Cell, Switch } from '../../../../components/nut'
import { Input } from '../../../../components/nut-forms/Input'
import { Choice } from '../../../../components/Choice'
import { Field } from '../../../../components/Field'
import { DayWheels } from '../../../../components/DayWheels'
import { EmptyState, ErrorState, LoadingState, ProblemBox, fieldsOf, messageOf, showDone } from '../../../../components/States'
import { RangesEditor } from '../../components/RangesEditor'
import '../../hotline.scss'
import { useFieldErrors } from '../../../../hooks/useFieldErrors'

type Settings = CareRoomSettings

/** The form keeps numbers as typed, so an empty box gets the schema's own "please fill in" message. */
interface Form {
  devices: string
  openHours: WeeklyRange[]
  slotMinutes: string
  bufferMinutes: string
  closedDates: string[]
  followsSchoolCalendar: boolean
  adjustedWorkdayAs: number
  noticeHours: string
  horizonDays: string
  maxFutureBookingsPerFamily: string
}

function toForm (s: Settings): Form {
  return {
    devices: String(s.devices),
    openHours: s.openHours.map((r) => ({ ...r, days: [...r.days] })),
    slotMinutes: String(s.slotMinutes),
    bufferMinutes: String(s.bufferMinutes),
    closedDates: [...s.closedDates].sort(),
    followsSchoolCalendar: s.followsSchoolCalendar,
    adjustedWorkdayAs: s.adjustedWorkdayAs,
    noticeHours: String(s.noticeHours),
    horizonDays: String(s.horizonDays),
    maxFutureBookingsPerFamily: String(s.maxFutureBookingsPerFamily)
  }
}

const num = (s: string): number | undefined => (s.trim() === '' ? undefined : Number(s.trim()))

function fromForm (f: Form) {
  return {
    devices: num(f.devices),
    openHours: f.openHours,
    slotMinutes: num(f.slotMinutes),
    bufferMinutes: num(f.bufferMinutes),
    closedDates: f.closedDates,
    followsSchoolCalendar: f.followsSchoolCalendar,
    adjustedWorkdayAs: f.adjustedWorkdayAs,
    noticeHours: num(f.noticeHours),
    horizonDays: num(f.horizonDays),
    maxFutureBookingsPerFamily: num(f.maxFutureBookingsPerFamily)
  }
}

/** The teacher sets up the school's care room: devices, weekly hours, call length, closed days and booking rules. */
export default function RoomPage () {
  const rooms = useCloud(() => callCloud('hotline', 'rooms', {}))
  const [roomId, setRoomId] = useState<string | undefined>()
  const [form, setForm] = useState<Form | undefined>()
  const [errors, setErrors] = useFieldErrors()
  const [problem, setProblem] = useState<string | undefined>()
  const [saving, setSaving] = useState(false)
  const [picking, setPicking] = useState(false)

  const room = rooms.data?.rooms.find((r) => r.id === roomId)
  useEffect(() => {
    const list = rooms.data?.rooms ?? []
    if (!roomId && list.length > 0) setRoomId(list[0].id)
  }, [rooms.data, roomId])
  // Only when another room is chosen: a reload of the same room must not undo what the teacher is editing.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- see above
  useEffect(() => { if (room) setForm(toForm(room.settings)) }, [room?.id])

  function set<K extends keyof Form> (key: K, value: Form[K]) {
    setForm((f) => (f ? { ...f, [key]: value } : f))
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => k !== key && !k.startsWith(`${key}.`))))
    setProblem(undefined)
  }

  async function save () {
    if (!form || !room) return
    const parsed = CareRoomSettings.safeParse(fromForm(form))
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error))
      setProblem('有几处要改一下，请看红字')
      return
    }
    setErrors({})
    setProblem(undefined)
    setSaving(true)
    try {
      const res = await callCloud('hotline', 'saveRoomSettings', { roomId: room.id, settings: parsed.data })
      setForm(toForm(res.settings))
      showDone('已保存')
      rooms.reload()
    } catch (err) {
      const fields = fieldsOf(err, { prefix: 'settings.' })
      if (Object.keys(fields).length > 0) setErrors(fields)
      setProblem(messageOf(err, { oneField: true }))
    } finally {
      setSaving(false)
    }
  }

  if (rooms.loading && !rooms.data) return <Page className='hl-root'><LoadingState /></Page>
  if (rooms.error) return <Page className='hl-root'><ErrorState error={rooms.error} onRetry={rooms.reload} /></Page>
  if (!rooms.data) return null
  if (rooms.data.rooms.length === 0) return <Page className='hl-root'><EmptyState title='您的学校还没有真情关爱室' description='请联系教育局或管理员开通。' /></Page>
  if (!form || !room) return <Page className='hl-root'><LoadingState /></Page>

  const numberBox = (key: keyof Form, placeholder: string, testId: string) => (
    <View className='hl-input hl-input--short' data-testid={testId}>
      <Input type='digit' value={String(form[key])} onChange={(v) => set(key, v as never)} placeholder={placeholder} clearable={false} />
    </View>
  )

  return (
    <Page testId='hotline-room' className='hl-root'>
      <View className='title'>{room.name}</View>
      {rooms.data.rooms.length > 1 && (
        <Field label='哪个关爱室'>
          <Choice value={roomId} options={rooms.data.rooms.map((r) => ({ value: r.id, label: r.name }))} onChange={setRoomId} alwaysButtons />
        </Field>
      )}
      <View className='hint'>家长按这里的设置约通话。改了以后，已经约好的通话不变。</View>

      <Field label='设备数（同时能打几个电话）' error={errors.devices} hint='1 到 10 台' testId='f-devices'>
        {numberBox('devices', '例如 2', 'devices')}
      </Field>

      <View className='section-title'>每周开放时间</View>
      <ProblemBox message={errors.openHours} testId='problem' />
      <RangesEditor ranges={form.openHours} onChange={(v) => set('openHours', v)} errors={errors} prefix='openHours' testId='open'
        addLabel='＋ 再加一个开放时段' newRange={() => ({ days: [6, 7], start: '19:00', end: '21:00' })} />

      <View className='section-title'>每次通话</View>
      <Field label='每次通话多长（分钟）' error={errors.slotMinutes} hint='10 到 60 分钟' testId='f-slotMinutes'>
        {numberBox('slotMinutes', '例如 20', 'slot-minutes')}
      </Field>
      <Field label='两次通话之间空几分钟' error={errors.bufferMinutes} hint='换人、擦设备的时间，0 到 10 分钟' testId='f-bufferMinutes'>
        {numberBox('bufferMinutes', '例如 5', 'buffer-minutes')}
      </Field>

      <View className='section-title'>关闭的日子</View>
      <Field label='学校作息' error={errors.followsSchoolCalendar}
        hint={form.followsSchoolCalendar ? '法定节假日关闭；调休上班的周末按下面选的那天的时间开放' : '节假日也按每周时间开放'}>
        <Cell className='hl-switch-cell' title='按国家节假日和调休安排' align='center'
          extra={<Switch checked={form.followsSchoolCalendar} onChange={(v) => set('followsSchoolCalendar', v)} />} />
      </Field>
      {form.followsSchoolCalendar && (
        <Field label='调休上班的周末按哪天的时间开放' error={errors.adjustedWorkdayAs}>
          <Choice value={form.adjustedWorkdayAs} options={WEEKDAY_OPTIONS.slice(0, 5)} onChange={(v) => set('adjustedWorkdayAs', v)} />
        </Field>
      )}
      <Field label='另外关闭的日子（考试、活动、老师不在）' error={errors.closedDates ?? Object.entries(errors).find(([k]) => k.startsWith('closedDates.'))?.[1]} testId='f-closedDates'>
        {form.closedDates.length === 0 && <View className='hl-sub'>没有</View>}
        <View className='hl-chips'>
          {form.closedDates.map((d) => (
            <Text key={d} className='hl-chip hl-chip--on' onClick={() => set('closedDates', form.closedDates.filter((x) => x !== d))}>{dayWords(d)} ✕</Text>
          ))}
        </View>
        <View className='hl-gap'><Button size='large' fill='outline' type='primary' onClick={() => setPicking(true)}>＋ 加一个关闭的日子</Button></View>
        <DayWheels open={picking} onClose={() => setPicking(false)} title='选择关闭的日子' value={undefined} initial={today()}
          start={today()} end={addDays(today(), 366)}
          onPick={(day) => { if (!form.closedDates.includes(day)) set('closedDates', [...form.closedDates, day].sort()) }} />
      </Field>

      <View className='section-title'>预约规则</View>
      <Field label='至少提前几小时约' error={errors.noticeHours} hint='0 到 48，可以是半小时，如 1.5' testId='f-noticeHours'>
        {numberBox('noticeHours', '例如 2', 'notice-hours')}
      </Field>
      <Field label='最多能约几天以后' error={errors.horizonDays} hint='1 到 60 天' testId='f-horizonDays'>
        {numberBox('horizonDays', '例如 14', 'horizon-days')}
      </Field>
      <Field label='每个孩子最多同时约几次' error={errors.maxFutureBookingsPerFamily} hint='1 到 10 次，免得少数人把时间占满' testId='f-maxFutureBookingsPerFamily'>
        {numberBox('maxFutureBookingsPerFamily', '例如 2', 'max-per-family')}
      </Field>

      <ProblemBox message={problem} testId='room-problem' />
      <View className='hl-actions'>
        <Button block size='large' type='primary' loading={saving} onClick={save}>保存设置</Button>
      </View>
      <View className='hl-links'>
        <Text className='hl-link' onClick={() => go(`/packages/hotline/pages/sheet/index?roomId=${encodeURIComponent(room.id)}`)}>看今天的通话安排</Text>
      </View>
    </Page>
  )
}
