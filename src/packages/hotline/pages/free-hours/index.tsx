import { useEffect, useState } from 'react'
import { View, Text } from '@tarojs/components'
import { FreeHours, fieldErrors, type WeeklyRange } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { back } from '../../../../services/nav'
import { useCloud } from '../../../../hooks/useCloud'
import { Page } from '../../../../components/Page'
import { Button } from '../../../../components/nut'
import { ErrorState, LoadingState, ProblemBox, fieldsOf, messageOf, showDone } from '../../../../components/States'
import { RangesEditor } from '../../components/RangesEditor'
import '../../hotline.scss'
import { useFieldErrors } from '../../../../hooks/useFieldErrors'

/** Common shapes of a migrant worker's week, one tap to add. */
const PRESETS: Array<{ label: string, range: WeeklyRange }> = [
  { label: '每天 21:00–23:00（下班后）', range: { days: [1, 2, 3, 4, 5, 6, 7], start: '21:00', end: '23:00' } },
  { label: '每天 12:00–13:30（午休）', range: { days: [1, 2, 3, 4, 5, 6, 7], start: '12:00', end: '13:30' } },
  { label: '周末 9:00–12:00', range: { days: [6, 7], start: '09:00', end: '12:00' } },
  { label: '周末 19:00–21:00', range: { days: [6, 7], start: '19:00', end: '21:00' } }
]

/**
 * The hours a parent is usually free (after a night shift, on a rest day): the booking page puts the care room's
 * times inside them first.
 */
export default function FreeHoursPage () {
  const overview = useCloud(() => callCloud('hotline', 'overview', {}))
  const [ranges, setRanges] = useState<WeeklyRange[] | undefined>()
  const [errors, setErrors] = useFieldErrors()
  const [problem, setProblem] = useState<string | undefined>()
  const [saving, setSaving] = useState(false)

  useEffect(() => { if (overview.data && !ranges) setRanges(overview.data.freeHours) }, [overview.data, ranges])

  function change (next: WeeklyRange[]) {
    setRanges(next)
    setErrors({})
    setProblem(undefined)
  }

  async function save () {
    if (!ranges) return
    const parsed = FreeHours.safeParse(ranges)
    if (!parsed.success) {
      const f = fieldErrors(parsed.error)
      setErrors(f)
      setProblem(f['(root)'] ?? '有几处要改一下，请看红字')
      return
    }
    setSaving(true)
    try {
      const res = await callCloud('hotline', 'saveFreeHours', { freeHours: parsed.data })
      setRanges(res.freeHours)
      showDone('已保存')
      setTimeout(() => back(), 800)
    } catch (err) {
      const fields = fieldsOf(err, { prefix: 'freeHours.' })
      if (Object.keys(fields).length > 0) setErrors(fields)
      setProblem(messageOf(err, { oneField: true }))
    } finally {
      setSaving(false)
    }
  }

  if (overview.loading && !overview.data) return <Page className='hl-root'><LoadingState /></Page>
  if (overview.error) return <Page className='hl-root'><ErrorState error={overview.error} onRetry={overview.reload} /></Page>
  if (!ranges) return null

  return (
    <Page testId='hotline-free-hours' className='hl-root'>
      <View className='title'>我常空闲的时间</View>
      <View className='hint'>告诉我们您一般什么时候有空，约通话时，这些时间里的空位会排在最前面。不填也可以。</View>
      {ranges.length === 0 && <View className='hl-card hl-sub' data-testid='free-none'>还没有填。可以点下面的常用时间，或者自己加一段。</View>}
      <RangesEditor ranges={ranges} onChange={change} errors={errors} prefix='' testId='free'
        newRange={() => ({ days: [1, 2, 3, 4, 5, 6, 7], start: '21:00', end: '23:00' })} />
      <View className='section-title'>常用时间，点一下就加上</View>
      <View className='hl-chips'>
        {PRESETS.map((p) => (
          <Text key={p.label} className='hl-chip' onClick={() => change([...ranges, { ...p.range, days: [...p.range.days] }])}>{p.label}</Text>
        ))}
      </View>
      <ProblemBox message={problem} testId='problem' />
      <View className='hl-actions'>
        <Button block size='large' type='primary' loading={saving} onClick={save}>保存</Button>
      </View>
    </Page>
  )
}
