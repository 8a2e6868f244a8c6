import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import { daysBetween, weekdayOf, WEEKDAY_LABELS, type ActionOutput } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { dateWords, monthDay, whenWords } from '../../../../services/format'
import { useCloud } from '../../../../hooks/useCloud'
import { useStep } from '../../../../hooks/useStep'
import { Page } from '../../../../components/Page'
import { Field } from '../../../../components/Field'
import { Pill, Notice } from '../../../../components/Notice'
import { TextInput } from '../../../../components/TextInput'
import { DateField } from '../../../../components/DayWheels'
import { Button } from '../../../../components/nut'
import { EmptyState, ErrorState, LoadingState, ProblemBox, fieldsOf, messageOf } from '../../../../components/States'
import './holidays.scss'

type Year = ActionOutput<'account', 'holidayYears'>['years'][number]
interface Range { name: string, from?: string, to?: string }

const STATUS: Record<Year['status'], { label: string, tone: 'green' | 'blue' | 'orange' }> = {
  published: { label: '国务院已公布', tone: 'green' },
  entered: { label: '已录入公布的安排', tone: 'blue' },
  estimated: { label: '按法定假日推算（未含调休）', tone: 'orange' }
}
const NAMES = ['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节']

/** A day of the year's card: 2月5日, or with its year when it lies in the neighbouring one (2026年12月31日). */
const dayIn = (year: number, day: string) => Number(day.slice(0, 4)) === year ? monthDay(day) : dateWords(day)
const dayWithWeekday = (year: number, day: string) => `${dayIn(year, day)}（${WEEKDAY_LABELS[weekdayOf(day)]}）`
const rangeWords = (year: number, h: { from: string, to: string }) => h.from === h.to
  ? dayWithWeekday(year, h.from)
  : `${dayIn(year, h.from)}至${dayIn(year, h.to)}，共${daysBetween(h.from, h.to) + 1}天`

/**
 * 节假日安排 (a county admin): the national calendar every working-day count and every care-room day follows
 * (docs/DOMAIN.md, "Working days and holidays"). Each year around now is published (from the State Council's
 * notice), entered here, or estimated from the statutory holidays; when a year's notice comes out, the admin enters
 * its holidays and adjusted workdays, checked field by field before anything is saved, and the entry is logged.
 */
export default function HolidaysPage () {
  const years = useCloud(() => callCloud('account', 'holidayYears', {}))
  const [editing, setEditing] = useState<Year | undefined>()

  if (editing) return <YearForm year={editing} onDone={() => { setEditing(undefined); years.reload() }} onCancel={() => setEditing(undefined)} />
  return (
    <Page testId='admin-holidays'>
      <View className='title'>节假日安排</View>
      <View className='hint'>法律援助的期限按工作日算，关爱室节假日不开门。国务院每年公布下一年的放假安排，公布后请在这里录入。</View>
      {years.loading && !years.data && <LoadingState />}
      {years.error && <ErrorState error={years.error} onRetry={years.reload} />}
      {years.data && years.data.years.length === 0 && <EmptyState title='没有年份' />}
      {years.data?.years.map((y) => (
        <View key={y.year} className='card hol-year' data-testid={`year-${y.year}`}>
          <View className='hol-between'>
            <Text className='hol-year__name'>{y.year}年</Text>
            <Pill tone={STATUS[y.status].tone} testId='year-status'>{STATUS[y.status].label}</Pill>
          </View>
          {y.status === 'estimated' && (
            <Notice tone='warn'>这一年的放假安排还没录入，期限先按法定假日推算，可能和实际放假不同。通知公布后请录入。</Notice>
          )}
          {y.holidays.map((h, i) => <View key={i} className='hol-line'>{h.name}：{rangeWords(y.year, h)}</View>)}
          {y.workdays.length > 0 && <View className='hol-line'>调休上班：{y.workdays.map((d) => dayWithWeekday(y.year, d)).join('、')}</View>}
          <View className='hol-source'>{y.status === 'entered' && y.enteredAt ? `${y.enteredByName ?? ''} ${whenWords(y.enteredAt)} 录入 · ` : ''}{y.source}</View>
          <View className='big-button'>
            <Button block size='large' type={y.status === 'estimated' ? 'primary' : 'default'} data-testid='edit-year' onClick={() => setEditing(y)}>
              {y.status === 'estimated' ? `录入${y.year}年放假安排` : `修改${y.year}年放假安排`}
            </Button>
          </View>
        </View>
      ))}
    </Page>
  )
}

/** One year's arrangement: its holidays (name, first and last day off) and its adjusted workdays, and the source. */
function YearForm ({ year, onDone, onCancel }: { year: Year, onDone: () => void, onCancel: () => void }) {
  const [holidays, setHolidays] = useState<Range[]>(year.holidays.map((h) => ({ ...h })))
  const [workdays, setWorkdays] = useState<Array<string | undefined>>([...year.workdays])
  const [source, setSource] = useState(year.status === 'entered' ? year.source : '')
  const { busy, err, setErr, run } = useStep()
  const fields = fieldsOf(err)
  const start = `${year.year - 1}-12-01`
  const end = `${year.year + 1}-01-31`
  const setRange = (i: number, patch: Partial<Range>) => setHolidays(holidays.map((h, j) => j === i ? { ...h, ...patch } : h))

  async function save () {
    const missing = holidays.findIndex((h) => !h.from || !h.to)
    if (missing >= 0) { setErr(new Error(`第${missing + 1}个节日还没选日期`)); return }
    if (workdays.some((d) => !d)) { setErr(new Error('有调休上班日还没选日期')); return }
    const data = { year: year.year, holidays: holidays.map((h) => ({ name: h.name, from: h.from!, to: h.to! })), workdays: workdays as string[], source }
    if (await run(() => callCloud('account', 'saveHolidayYear', data), '已保存')) onDone()
  }

  return (
    <Page testId='holiday-form'>
      <View className='title'>{year.year}年放假安排</View>
      <View className='hint'>照着国务院办公厅的通知填：每个节日从哪天放到哪天（连着放的周末也算），以及哪几个周六、周日要上班。</View>
      {year.status === 'estimated' && <Notice tone='info'>已按法定假日先填好，请按通知改成实际放假的日子，再加上调休上班日。</Notice>}

      <View className='section-title'>放假</View>
      {holidays.map((h, i) => (
        <View key={i} className='card' data-testid='holiday-row'>
          <Field label='节日' error={fields[`holidays.${i}.name`]}>
            <TextInput value={h.name} onChange={(v) => setRange(i, { name: v })} maxLength={20} testId={`holiday-${i}-name`} />
          </Field>
          <Field label='从哪天放' error={fields[`holidays.${i}.from`]}>
            <DateField value={h.from} onChange={(d) => setRange(i, { from: d, ...(h.to && h.to < d ? { to: d } : {}) })} start={start} end={end} initial={h.from ?? `${year.year}-01-01`} title='第一天放假' testId={`holiday-${i}-from`} />
          </Field>
          <Field label='放到哪天' error={fields[`holidays.${i}.to`]}>
            <DateField value={h.to} onChange={(d) => setRange(i, { to: d })} start={h.from ?? start} end={end} initial={h.to ?? h.from} title='最后一天放假' testId={`holiday-${i}-to`} />
          </Field>
          <Text className='hol-link' data-testid='remove-holiday' onClick={() => setHolidays(holidays.filter((_h, j) => j !== i))}>删除这个节日</Text>
        </View>
      ))}
      <Button block size='large' fill='outline' data-testid='add-holiday' onClick={() => setHolidays([...holidays, { name: NAMES.find((n) => !holidays.some((h) => h.name.includes(n))) ?? '' }])}>＋ 加一个节日</Button>

      <View className='section-title'>调休上班的周末</View>
      {workdays.length === 0 && <View className='hint'>没有调休上班日就不用填。</View>}
      {workdays.map((d, i) => (
        <View key={i} className='card' data-testid='workday-row'>
          <Field label={`调休上班日 ${i + 1}`} error={fields[`workdays.${i}`]}>
            <DateField value={d} onChange={(v) => setWorkdays(workdays.map((x, j) => j === i ? v : x))} start={start} end={end} initial={`${year.year}-01-01`} title='要上班的周六或周日' testId={`workday-${i}`} />
          </Field>
          <Text className='hol-link' onClick={() => setWorkdays(workdays.filter((_x, j) => j !== i))}>删除</Text>
        </View>
      ))}
      <Button block size='large' fill='outline' data-testid='add-workday' onClick={() => setWorkdays([...workdays, undefined])}>＋ 加一个调休上班日</Button>

      <View className='section-title'>来源</View>
      <Field label='通知的文号' hint='比如：国办发明电〔2026〕7号' hintAbove error={fields.source}>
        <TextInput value={source} onChange={(v) => { setSource(v); setErr(undefined) }} maxLength={100} placeholder='国务院办公厅关于…的通知' testId='source' />
      </Field>

      <ProblemBox message={err ? (Object.keys(fields).length > 0 ? '有几处要改，请看上面红字' : messageOf(err)) : undefined} />
      <View className='big-button'>
        <Button block size='large' type='primary' loading={busy} disabled={busy} data-testid='save-year' onClick={save}>保存{year.year}年安排</Button>
        <Button block size='large' fill='none' disabled={busy} onClick={onCancel}>不改了</Button>
      </View>
    </Page>
  )
}
