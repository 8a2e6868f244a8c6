import { useState } from 'react'
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { FIVE_ONE_LABELS, addDays, type FiveOne } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { useCloud } from '../../../../hooks/useCloud'
import { Button } from '../../../../components/nut'
import { dayWords, today } from '../../../../services/format'
import { Page } from '../../../../components/Page'
import { Field } from '../../../../components/Field'
import { LongText } from '../../../../components/TextInput'
import { OneOf } from '../../../../components/Chips'
import { RecentDayPicker } from '../../../../components/DayWheels'
import { EmptyState, ErrorState, LoadingState, ProblemBox, fieldsOf, messageOf } from '../../../../components/States'
import '../../oversight.scss'
import { useFieldErrors } from '../../../../hooks/useFieldErrors'

type Recordable = Exclude<FiveOne, 'pairedChild'>
const RECORDABLE: readonly Recordable[] = ['meeting', 'fieldVisit', 'forum', 'linkedSchool']
const OPTIONS = RECORDABLE.map((i) => ({ value: i, label: FIVE_ONE_LABELS[i] }))

/**
 * A leader's 五个一: what is done and what is due, and a short form to record one (which, what day, a sentence).
 * The paired child is not recorded here: it counts as done once the leader's pairing is active.
 */
export default function Duties () {
  const mine = useCloud(() => callCloud('oversight', 'myDuties', {}))
  const [item, setItem] = useState<Recordable>()
  // Unset means today, read when it is shown or sent: the cloud's clock may have moved since the page opened.
  const [date, setDate] = useState<string>()
  const [note, setNote] = useState('')
  const [errors, setErrors] = useFieldErrors()
  const [failure, setFailure] = useState<string>()
  const [busy, setBusy] = useState(false)

  async function save () {
    setBusy(true)
    setFailure(undefined)
    setErrors({})
    try {
      await callCloud('oversight', 'recordDuty', { item: item as Recordable, date: date ?? today(), note })
      Taro.showToast({ title: '已记录', icon: 'success' })
      setItem(undefined)
      setNote('')
      setDate(undefined)
      mine.reload()
    } catch (err) {
      const e = fieldsOf(err)
      setErrors(e)
      if (Object.keys(e).length === 0) setFailure(messageOf(err))
    } finally {
      setBusy(false)
    }
  }

  if (mine.loading && !mine.data) return <Page className='ov-root'><LoadingState /></Page>
  if (mine.error && !mine.data) return <Page className='ov-root'><ErrorState error={mine.error} onRetry={mine.error.code === 'FORBIDDEN' ? undefined : mine.reload} /></Page>
  const items = mine.data?.items ?? []
  const done = items.filter((i) => i.done).length

  return (
    <Page testId='oversight-duties' className='ov-root'>
      <View className='title'>我的“五个一”</View>
      <View className='hint' data-testid='duties-summary'>已完成 {done} 项，还有 {items.length - done} 项待完成。</View>
      {items.length === 0 && <EmptyState title='还没有要做的事项' />}
      {items.map((i) => (
        <View key={i.item} className={i.done ? 'ov-card ov-item ov-item--done' : 'ov-card ov-item'} data-testid={`my-duty-${i.item}`}
          onClick={() => { if (!i.done && i.item !== 'pairedChild') setItem(i.item as Recordable) }}>
          <View className='ov-between'>
            <View className='ov-item__label'>{i.label}</View>
            <View className={i.done ? 'ov-item__state ov-item__state--done' : 'ov-item__state'}>{i.done ? '✓ 已完成' : '待完成'}</View>
          </View>
          {i.date && <View className='ov-small'>{dayWords(i.date)}{i.note ? ` · ${i.note}` : ''}</View>}
          {i.item === 'pairedChild' && !i.done && <View className='ov-small'>和一名孩子结对后自动记为完成</View>}
        </View>
      ))}

      <View className='section-title'>记录一项</View>
      <View className='ov-card'>
        <Field label='是哪一项？' error={errors.item} testId='f-item'>
          <OneOf options={OPTIONS} value={item} onChange={setItem} testId='item' />
        </Field>
        <Field label='哪一天？' error={errors.date} testId='f-date'>
          <RecentDayPicker value={date ?? today()} onChange={setDate} start={addDays(today(), -730)} end={today()} testId='date' />
        </Field>
        <Field label='做了什么？' hint='一句话，例如：召开全县留守儿童关爱专题会' hintAbove error={errors.note} testId='f-note'>
          <LongText value={note} onChange={setNote} maxLength={200} rows={3} testId='note' />
        </Field>
        <ProblemBox message={failure} />
        <Button block size='large' type='primary' loading={busy} disabled={busy} data-testid='save-duty' onClick={save}>保存</Button>
        <View className='ov-small'><Text>同一项再记一次，会换成新的记录。</Text></View>
      </View>
    </Page>
  )
}
