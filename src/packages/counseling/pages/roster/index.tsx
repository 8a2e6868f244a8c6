import { useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { CareRoomSettings, HOURS_PRESETS, WEEKDAY_LABELS, addDays, fieldErrors, type Weekday, type WeeklyRange } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { dayWords, today } from '../../../../services/format'
import { useCloud } from '../../../../hooks/useCloud'
import { Page } from '../../../../components/Page'
import { Section } from '../../../../components/Section'
import { Button, Switch, Tag } from '../../../../components/nut'
import { Picker } from '../../../../components/nut-forms/Picker'
import { DayWheels } from '../../../../components/DayWheels'
import { EmptyState, ErrorState, LoadingState, ProblemBox, fieldsOf, messageOf } from '../../../../components/States'
import { ToggleButtons } from '../../components/Buttons'
import '../../counseling.scss'
import { useFieldErrors } from '../../../../hooks/useFieldErrors'

/**
 * The station's duty roster (the first is on duty now and gets a crisis first; the next is alerted after 10
 * minutes, then the supervisor) and my own weekly hours for booked sessions, with the hours children are free (after
 * school, evenings, weekends) a tap away.
 */
export default function Roster () {
  return (
    <Page testId='roster' className='cs'>
      <DutyRoster />
      <MyHours />
    </Page>
  )
}

function DutyRoster () {
  const data = useCloud(() => callCloud('counseling', 'roster', {}))
  const [order, setOrder] = useState<string[]>([])
  const [supervisor, setSupervisor] = useState<string>()
  const [saving, setSaving] = useState(false)
  const [failure, setFailure] = useState<string>()
  const [changed, setChanged] = useState(false)

  useEffect(() => {
    if (!data.data) return
    setOrder(data.data.order.map((p) => p.id))
    setSupervisor(data.data.supervisor?.id)
    setChanged(false)
  }, [data.data])

  if (data.loading && !data.data) return <LoadingState />
  if (data.error) return <ErrorState error={data.error} onRetry={data.reload} />
  if (!data.data) return null
  const r = data.data
  const names = new Map([...r.counselors, ...r.order, ...(r.supervisor ? [r.supervisor] : [])].map((p) => [p.id, p.name]))
  const others = r.counselors.filter((c) => !order.includes(c.id))
  const edit = (next: string[]) => { setOrder(next); setChanged(true); setFailure(undefined) }
  const move = (i: number, by: number) => {
    const next = [...order]
    const [x] = next.splice(i, 1)
    next.splice(i + by, 0, x)
    edit(next)
  }

  async function save () {
    if (order.length === 0) { setFailure('至少安排一位值班辅导员'); return }
    if (!supervisor) { setFailure('请选择站长或督导'); return }
    setSaving(true)
    setFailure(undefined)
    try {
      await callCloud('counseling', 'saveRoster', { order, supervisor })
      Taro.showToast({ title: '值班表已保存', icon: 'success' })
      data.reload()
    } catch (err) {
      setFailure(Object.values(fieldsOf(err))[0] ?? messageOf(err))
    } finally {
      setSaving(false)
    }
  }

  return (
    <View data-testid='duty-roster'>
      <View className='title'>{r.stationName}</View>
      {r.dutyLine && <View className='hint'>值班电话：{r.dutyLine}</View>}
      <Section title='值班顺序'>
        <View className='cs-small'>排第一的现在值班，紧急求助先提醒他（她）；10 分钟没人接，提醒下一位；再没人接，提醒站长或督导。</View>
        <View className='cs-card'>
          {order.length === 0 && <EmptyState title='还没有人值班' description='紧急求助没人接会很危险，请至少安排一位。' />}
          {order.map((id, i) => (
            <View key={id} className='cs-row' data-testid='duty-row'>
              <View className='cs-row__main cs-inline'>
                <Text className='cs-strong'>{i + 1}. {names.get(id) ?? id}</Text>
                {i === 0 && <Tag type='danger'>现在值班</Tag>}
              </View>
              <Button size='small' disabled={i === 0} onClick={() => move(i, -1)}>上移</Button>
              <Button size='small' disabled={i === order.length - 1} onClick={() => move(i, 1)}>下移</Button>
              <Button size='small' fill='none' onClick={() => edit(order.filter((x) => x !== id))}>移出</Button>
            </View>
          ))}
        </View>
        {others.length > 0 && (
          <View>
            <View className='cs-small'>不在值班表上的辅导员：</View>
            <View className='cs-chips'>
              {others.map((c) => <Button key={c.id} shape='round' onClick={() => edit([...order, c.id])}>＋ {c.name}</Button>)}
            </View>
          </View>
        )}
      </Section>
      <Section title='站长或督导（最后一道提醒）'>
        <ToggleButtons options={r.counselors.map((c) => ({ value: c.id, label: c.name }))} value={supervisor ? [supervisor] : []}
          onChange={(v) => { setSupervisor(v.find((x) => x !== supervisor) ?? supervisor); setChanged(true); setFailure(undefined) }} />
      </Section>
      <ProblemBox message={failure} />
      <View className='cs-actions'>
        <Button block size='large' type='primary' loading={saving} disabled={saving || !changed} onClick={save}>保存值班表</Button>
      </View>
    </View>
  )
}

/** Every quarter hour of a working day, for the time wheels. */
const TIMES = Array.from({ length: (24 - 6) * 4 + 1 }, (_x, i) => {
  const m = 6 * 60 + i * 15
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
})
const DAYS = ([1, 2, 3, 4, 5, 6, 7] as Weekday[]).map((d) => ({ value: d, label: WEEKDAY_LABELS[d].replace('周', '') }))
const withCurrent = (list: number[], current: number) => (list.includes(current) ? list : [...list, current].sort((a, b) => a - b))

function MyHours () {
  const data = useCloud(() => callCloud('counseling', 'availability', {}))
  const [s, setS] = useState<CareRoomSettings>()
  const [editing, setEditing] = useState<{ i: number, which: 'start' | 'end' }>()
  const [pickingDay, setPickingDay] = useState(false)
  const [errors, setErrors] = useFieldErrors()
  const [failure, setFailure] = useState<string>()
  const [saving, setSaving] = useState(false)
  const now = today()

  useEffect(() => { if (data.data) setS(data.data.settings) }, [data.data])

  if (data.loading && !data.data) return <LoadingState />
  if (data.error) return <ErrorState error={data.error} onRetry={data.reload} />
  if (!s) return null

  const set = (patch: Partial<CareRoomSettings>) => { setS({ ...s, ...patch }); setErrors({}); setFailure(undefined) }
  const setRange = (i: number, patch: Partial<WeeklyRange>) => set({ openHours: s.openHours.map((r, j) => (j === i ? { ...r, ...patch } : r)) })
  const timeOptions = (current?: string) => (current && !TIMES.includes(current) ? [...TIMES, current].sort() : TIMES)
  const editingValue = editing ? s.openHours[editing.i]?.[editing.which] : undefined
  const err = (path: string) => errors[path]
  const rangeError = (i: number) => Object.entries(errors).filter(([k]) => k.startsWith(`openHours.${i}.`)).map(([, v]) => v)[0]
  const known = (k: string) => /^openHours\.\d+\./.test(k) || ['openHours', 'slotMinutes', 'bufferMinutes', 'noticeHours', 'horizonDays', 'closedDates'].includes(k)

  async function save () {
    if (!s) return
    const parsed = CareRoomSettings.safeParse({ ...s, devices: 1 })
    if (!parsed.success) {
      const f = fieldErrors(parsed.error)
      setErrors(f)
      const other = Object.entries(f).filter(([k]) => !known(k)).map(([, v]) => v)
      setFailure(other[0] ?? '有几处要改一下，请看红字')
      return
    }
    setSaving(true)
    try {
      const res = await callCloud('counseling', 'saveAvailability', { settings: parsed.data })
      setS(res.settings)
      Taro.showToast({ title: '时间已保存', icon: 'success' })
    } catch (e) {
      const fields = fieldsOf(e, { prefix: 'settings.' })
      if (Object.keys(fields).length > 0) setErrors(fields)
      setFailure(messageOf(e))
    } finally {
      setSaving(false)
    }
  }

  return (
    <View data-testid='my-hours'>
      <View className='title'>我的辅导时间</View>
      <View className='hint'>家长和孩子只能约这些时间。孩子白天要上课，请多留一些放学后、晚上和周末的时间。每次只见一个家庭。</View>
      <Section title='一下加上孩子有空的时间' testId='hours-presets'>
        <View className='cs-chips'>
          {HOURS_PRESETS.map((p) => {
            const has = s.openHours.some((r) => r.start === p.range.start && r.end === p.range.end && p.range.days.every((d) => r.days.includes(d)))
            return (
              <Button key={p.key} shape='round' type={has ? 'success' : 'default'} disabled={has} data-testid={`preset-${p.key}`}
                onClick={() => set({ openHours: [...s.openHours, { ...p.range, days: [...p.range.days] }] })}>{has ? `✓ ${p.label}` : `＋ ${p.label}`}</Button>
            )
          })}
        </View>
      </Section>
      <Section title='每周上班时间'>
        <View className='cs-card'>
          {s.openHours.length === 0 && <EmptyState title='还没有上班时间' description='加一段时间，家长和孩子才能约你。' />}
          {s.openHours.map((r, i) => (
            <View key={i} className='cs-range' data-testid='hours-range'>
              <ToggleButtons options={DAYS} value={r.days as Weekday[]} onChange={(days) => setRange(i, { days: [...days].sort() })} />
              <View className='cs-between'>
                <View>
                  <Text className='cs-time' onClick={() => setEditing({ i, which: 'start' })}>{r.start}</Text>
                  <Text> 到 </Text>
                  <Text className='cs-time' onClick={() => setEditing({ i, which: 'end' })}>{r.end}</Text>
                </View>
                <Button size='small' fill='none' onClick={() => set({ openHours: s.openHours.filter((_x, j) => j !== i) })}>删除</Button>
              </View>
              {rangeError(i) && <View className='cs-field__error'>{rangeError(i)}</View>}
            </View>
          ))}
        </View>
        <Button block fill='outline' onClick={() => set({ openHours: [...s.openHours, { days: [7], start: '14:00', end: '17:00' }] })}>＋ 自己加一段时间</Button>
        {err('openHours') && <View className='cs-field__error'>{err('openHours')}</View>}
      </Section>
      <Picker visible={Boolean(editing)} title={editing?.which === 'start' ? '开始时间' : '结束时间'}
        options={[timeOptions(editingValue).map((t) => ({ label: t, value: t }))]} value={editingValue ? [editingValue] : undefined}
        onConfirm={(_o, v) => { if (editing && v[0] != null) setRange(editing.i, { [editing.which]: String(v[0]) }) }}
        onClose={() => setEditing(undefined)} />

      <Section title='每次辅导多长'>
        <ToggleButtons options={withCurrent([30, 40, 45, 50, 60], s.slotMinutes).map((m) => ({ value: m, label: `${m}分钟` }))} value={[s.slotMinutes]}
          onChange={(v) => set({ slotMinutes: v.find((x) => x !== s.slotMinutes) ?? s.slotMinutes })} />
        {err('slotMinutes') && <View className='cs-field__error'>{err('slotMinutes')}</View>}
      </Section>
      <Section title='两次之间休息'>
        <ToggleButtons options={withCurrent([0, 5, 10], s.bufferMinutes).map((m) => ({ value: m, label: m === 0 ? '不休息' : `${m}分钟` }))} value={[s.bufferMinutes]}
          onChange={(v) => set({ bufferMinutes: v.find((x) => x !== s.bufferMinutes) ?? s.bufferMinutes })} />
      </Section>
      <Section title='最晚提前多久约'>
        <ToggleButtons options={withCurrent([0, 1, 2, 4, 12, 24], s.noticeHours).map((h) => ({ value: h, label: h === 0 ? '随时' : `${h}小时` }))} value={[s.noticeHours]}
          onChange={(v) => set({ noticeHours: v.find((x) => x !== s.noticeHours) ?? s.noticeHours })} />
      </Section>
      <Section title='可以约多少天以内'>
        <ToggleButtons options={withCurrent([7, 14, 21, 30, 60], s.horizonDays).map((d) => ({ value: d, label: `${d}天` }))} value={[s.horizonDays]}
          onChange={(v) => set({ horizonDays: v.find((x) => x !== s.horizonDays) ?? s.horizonDays })} />
      </Section>
      <Section title='法定节假日'>
        <View className='cs-between cs-card'>
          <Text>节假日休息，调休上班日照常上班</Text>
          <Switch checked={s.followsSchoolCalendar} onChange={(on) => set({ followsSchoolCalendar: on })} />
        </View>
      </Section>
      <Section title='请假的日子（不接预约）'>
        <View className='cs-card'>
          {s.closedDates.length === 0 && <View className='cs-small'>没有</View>}
          {s.closedDates.map((d) => (
            <View key={d} className='cs-row'>
              <Text className='cs-row__main'>{dayWords(d)}</Text>
              <Button size='small' fill='none' onClick={() => set({ closedDates: s.closedDates.filter((x) => x !== d) })}>删除</Button>
            </View>
          ))}
        </View>
        <Button block fill='outline' onClick={() => setPickingDay(true)}>＋ 加一天</Button>
        {err('closedDates') && <View className='cs-field__error'>{err('closedDates')}</View>}
      </Section>
      <DayWheels open={pickingDay} onClose={() => setPickingDay(false)} title='请假的日子' value={undefined} initial={now}
        start={now} end={addDays(now, 365)} onPick={(day) => { if (!s.closedDates.includes(day)) set({ closedDates: [...s.closedDates, day].sort() }) }} />
      <ProblemBox message={failure} />
      <View className='cs-actions'>
        <Button block size='large' type='primary' loading={saving} disabled={saving} onClick={save}>保存我的时间</Button>
      </View>
    </View>
  )
}
