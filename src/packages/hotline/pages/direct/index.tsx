import { useEffect, useState } from 'react'
import { useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import {
  CALL_MODE_LABELS, DIRECT_CALL_DAYS_BACK, addDays, atShanghai, callTimeLabel, fieldErrors, hotlineContract, minutesOf,
  type CallMode, type DirectCallView
} from '../../../../domain'
import { callCloud, isNetworkError } from '../../../../services/cloud'
import { now } from '../../../../services/clock'
import { dayWords, monthDay, nearName, timeOf, today, weekdayLabel } from '../../../../services/format'
import { go, home } from '../../../../services/nav'
import { useCloud } from '../../../../hooks/useCloud'
import { useAttemptKey } from '../../../../hooks/useAttemptKey'
import { useOneAtATime } from '../../../../hooks/useOneAtATime'
import { Page } from '../../../../components/Page'
import { Button } from '../../../../components/nut'
import { Field } from '../../../../components/Field'
import { OneOf } from '../../../../components/Chips'
import { EmptyState, ErrorState, LoadingState, ProblemBox, messageOf, showError } from '../../../../components/States'
import { ModeChoice, TimeField } from '../../components/choices'
import { ChildChooser } from '../../components/Children'
import '../../hotline.scss'
import { useFieldErrors } from '../../../../hooks/useFieldErrors'

const LENGTHS = ['5', '10', '15', '20', '30', '45', '60'] as const
const LENGTH_LABELS: Record<(typeof LENGTHS)[number], string> = { 5: '5分钟', 10: '10分钟', 15: '15分钟', 20: '20分钟', 30: '半小时', 45: '45分钟', 60: '1小时' }

/** Now, rounded down to five minutes: the time of a call just made, to change if it was earlier. */
function justNow (): string {
  const t = timeOf(now())
  return `${t.slice(0, 3)}${String(Math.floor(Number(t.slice(3)) / 5) * 5).padStart(2, '0')}`
}

/**
 * A parent records a call made straight to the phone at home (the grandmother's, usually): which day, what time,
 * how long, video or voice. Four taps. It counts for its week once home (or the teacher) confirms it; the care room
 * stays the main way (docs/DOMAIN.md, "Contact rhythm").
 */
export default function DirectCallPage () {
  const { params } = useRouter()
  const overview = useCloud(() => callCloud('hotline', 'overview', {}))
  const [childId, setChildId] = useState<string | undefined>(params.childId || undefined)
  // Until chosen: today and just now, read at each render, so they follow the cloud's clock once the page has heard it.
  const [chosenDay, setDay] = useState<string | undefined>()
  const [chosenTime, setTime] = useState<string | undefined>()
  const day = chosenDay ?? today()
  const time = chosenTime ?? justNow()
  const [length, setLength] = useState<(typeof LENGTHS)[number] | undefined>()
  const [mode, setMode] = useState<CallMode>('video')
  const [errors, setErrors] = useFieldErrors()
  const [problem, setProblem] = useState<string | undefined>()
  const one = useOneAtATime()
  const saving = one.running !== undefined
  const [saved, setSaved] = useState<{ call: DirectCallView, askedNames: string[] } | undefined>()
  const attempt = useAttemptKey()
  const children = overview.data?.children ?? []
  useEffect(() => { const list = overview.data?.children ?? []; if (!childId && list.length === 1) setChildId(list[0].childId) }, [childId, overview.data])

  // The last week, today first: 今天, 昨天, 前天, then dates.
  const days = Array.from({ length: DIRECT_CALL_DAYS_BACK }, (_x, i) => addDays(today(), -i))
  const dayOptions = days.map((d) => ({ value: d, label: nearName(d) ?? `${monthDay(d)} ${weekdayLabel(d)}` }))

  const save = () => one.run('save', async () => {
    if (!childId) return
    const input = { childId, at: atShanghai(day, minutesOf(time)), minutes: length ? Number(length) : undefined, mode, idempotencyKey: attempt.keyFor(`${childId}|${day}|${time}|${length}|${mode}`) }
    // The page checks the time against its clock as the function will against the cloud's.
    const parsed = hotlineContract.recordDirectCall.inputAt(now()).safeParse(input)
    if (!parsed.success) {
      const f = fieldErrors(parsed.error)
      setErrors({ time: f.at, minutes: f.minutes, mode: f.mode })
      return
    }
    setErrors({})
    setProblem(undefined)
    try {
      setSaved(await callCloud('hotline', 'recordDirectCall', parsed.data))
      attempt.done()
    } catch (err) {
      if (isNetworkError(err)) showError(err)
      else {
        attempt.done()
        setProblem(messageOf(err, { oneField: true }))
      }
    }
  })

  if (overview.loading && !overview.data) return <Page className='hl-root'><LoadingState /></Page>
  if (overview.error) return <Page className='hl-root'><ErrorState error={overview.error} onRetry={overview.reload} /></Page>
  if (!overview.data) return null
  if (children.length === 0) return <Page className='hl-root'><EmptyState title='还没有绑定孩子' description='绑定孩子以后，才能记下打给孩子的电话。' /></Page>
  const child = children.find((c) => c.childId === childId)
  if (!child) {
    return <Page testId='hotline-direct' className='hl-root'><ChildChooser list={children} title='给哪个孩子打的电话？' onChoose={setChildId} /></Page>
  }

  if (saved) {
    const c = saved.call
    return (
      <Page testId='direct-saved' className='hl-root'>
        <View className='hl-done'>
          <View className='hl-done__mark'>✓</View>
          <View className='hl-done__title'>记下了</View>
          <View className='hl-done__time'>{callTimeLabel(c.at)}</View>
          <View className='hl-done__who'>和{c.childName} · {CALL_MODE_LABELS[c.mode]} · 约{c.minutes}分钟</View>
          <View className='hl-sub' data-testid='asked'>已请{saved.askedNames.join('、')}确认。确认以后，这一周就算通过话了。</View>
        </View>
        <View className='big-button'><Button block size='large' type='primary' onClick={() => go(`/packages/hotline/pages/history/index?childId=${encodeURIComponent(c.childId)}`)}>看通话记录</Button></View>
        <View className='big-button'><Button block size='large' onClick={() => home()}>回首页</Button></View>
      </Page>
    )
  }

  return (
    <Page testId='hotline-direct' className='hl-root'>
      <View className='hl-card hl-head'>
        <View className='hl-name'>给{child.childName}打的电话</View>
        <View className='hl-sub'>直接打到家里手机上的视频或电话，记下来，家里确认以后就算这周通过话了。</View>
        {children.length > 1 && <Text className='hl-link' onClick={() => setChildId(undefined)}>换一个孩子</Text>}
      </View>
      <Field label='哪天打的'>
        <OneOf options={dayOptions} value={day} onChange={setDay} testId='direct-day' />
      </Field>
      <Field label='几点打的' error={errors.time} hint={`${dayWords(day)} ${time}`}>
        <TimeField value={time} onChange={setTime} title='几点打的' testId='direct-time' />
      </Field>
      <Field label='打了多久' error={errors.minutes}>
        <OneOf options={LENGTHS.map((l) => ({ value: l, label: LENGTH_LABELS[l] }))} value={length} onChange={setLength} testId='direct-length' />
      </Field>
      <Field label='视频还是语音' error={errors.mode}>
        <ModeChoice value={mode} onChange={setMode} />
      </Field>
      <ProblemBox message={problem} testId='direct-problem' />
      <View className='hl-actions'>
        <Button block size='large' type='primary' loading={saving} disabled={saving} onClick={save} data-testid='direct-save'>记下这次通话</Button>
      </View>
      <View className='hint'>最多补记{DIRECT_CALL_DAYS_BACK}天以内的通话。能去关爱室的时候，还是在关爱室通话最好：老师会帮孩子接通。</View>
    </Page>
  )
}
