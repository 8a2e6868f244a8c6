import { useEffect, useState } from 'react'
import { useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { MATTERS, MATTER_LABELS, type Matter } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { whenWords } from '../../../../services/format'
import { routeParam } from '../../../../services/nav'
import { useCloud } from '../../../../hooks/useCloud'
import { useStep } from '../../../../hooks/useStep'
import { Page } from '../../../../components/Page'
import { Field } from '../../../../components/Field'
import { Chips } from '../../../../components/Chips'
import { LongText, TextInput } from '../../../../components/TextInput'
import { Button } from '../../../../components/nut'
import { ErrorState, LoadingState, ProblemBox, fieldsOf, messageOf } from '../../../../components/States'
import '../../legalaid.scss'

const SPECIALTY_OPTIONS = MATTERS.filter((m) => m !== 'other').map((m) => ({ value: m, label: MATTER_LABELS[m] }))

/**
 * A volunteer lawyer's profile: the kinds of cases they know (proposals rank them first for those) and the people
 * they must not act for or against (they are never proposed for a case naming them). The lawyer keeps their own;
 * with `?id=` the centre's officer edits one of the centre's lawyers. Who changed it last is shown.
 */
export default function LawyerProfilePage () {
  const { params } = useRouter()
  const lawyerId = routeParam(params.id)
  const profile = useCloud(() => callCloud('legalaid', 'lawyerProfile', lawyerId ? { lawyerId } : {}), [lawyerId])
  const [specialties, setSpecialties] = useState<Matter[]>([])
  const [conflicts, setConflicts] = useState<string[]>([])
  const [adding, setAdding] = useState('')
  const [note, setNote] = useState('')
  const { busy, err, setErr, run } = useStep()
  useEffect(() => {
    if (!profile.data) return
    setSpecialties(profile.data.specialties)
    setConflicts(profile.data.conflicts)
    setNote(profile.data.note)
  }, [profile.data])

  if (profile.loading && !profile.data) return <Page className='la-root'><LoadingState /></Page>
  if (profile.error && !profile.data) return <Page className='la-root'><ErrorState error={profile.error} onRetry={profile.reload} /></Page>
  const p = profile.data
  if (!p) return null
  const fields = fieldsOf(err)
  const conflictError = Object.entries(fields).find(([k]) => k.startsWith('conflicts'))?.[1]

  function add () {
    const name = adding.trim()
    if (!name) return
    if (conflicts.includes(name)) { setErr(new Error(`“${name}”已经在名单里了`)); return }
    setConflicts([...conflicts, name])
    setAdding('')
    setErr(undefined)
  }
  async function save () {
    if (await run(() => callCloud('legalaid', 'saveLawyerProfile', { ...(lawyerId ? { lawyerId } : {}), specialties, conflicts, note }), '已保存')) profile.reload()
  }

  return (
    <Page testId='legalaid-lawyer' className='la-root'>
      <View className='title'>{lawyerId ? `${p.name}律师的资料` : '我的专长和利益冲突'}</View>
      <View className='la-small'>{p.centreName}{p.updatedAt ? ` · ${whenWords(p.updatedAt)} 由${p.updatedByName || '未知'}修改` : ''}</View>

      <Field label='擅长哪些案件？' hint='中心指派律师时，擅长的律师排在前面。' hintAbove error={fields['specialties.0']}>
        <Chips options={SPECIALTY_OPTIONS} value={specialties} onChange={setSpecialties} testId='specialties' />
      </Field>

      <Field label='利益冲突' hint='写下不能代理或不能对抗的人或单位（亲属、以前的当事人、有业务往来的公司）。申请里出现这些名字时，不会再请您承办。' hintAbove error={conflictError}>
        {conflicts.length === 0 && <View className='la-small' data-testid='no-conflicts'>还没有申报</View>}
        {conflicts.map((c) => (
          <View key={c} className='la-between la-conflict' data-testid='conflict'>
            <Text className='la-strong'>{c}</Text>
            <Text className='la-link' data-testid='remove-conflict' onClick={() => setConflicts(conflicts.filter((x) => x !== c))}>删除</Text>
          </View>
        ))}
        <TextInput value={adding} onChange={setAdding} maxLength={30} placeholder='姓名或单位名称' testId='conflict-name' />
        <Button block size='large' fill='outline' data-testid='add-conflict' onClick={add}>＋ 加上这个名字</Button>
      </Field>

      <Field label='给中心的备注' optional error={fields.note}>
        <LongText value={note} onChange={setNote} maxLength={200} rows={2} placeholder='比如：周三可以出庭；会讲闽南话' testId='note' />
      </Field>

      <ProblemBox message={err && Object.keys(fields).length === 0 ? messageOf(err) : undefined} />
      <View className='big-button'>
        <Button block size='large' type='primary' loading={busy} disabled={busy} data-testid='save-profile' onClick={save}>保存</Button>
      </View>
    </Page>
  )
}
