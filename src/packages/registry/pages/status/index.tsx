import { useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { View } from '@tarojs/components'
import { STATUSES, STATUS_LABELS, StatusChangeInput, fieldErrors, type ChildStatus } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { addYears, today } from '../../../../services/format'
import { back } from '../../../../services/nav'
import { useCloud } from '../../../../hooks/useCloud'
import { Page } from '../../../../components/Page'
import { Button } from '../../../../components/nut'
import { ErrorState, LoadingState, ProblemBox, fieldsOf, messageOf } from '../../../../components/States'
import { Choice } from '../../../../components/Choice'
import { DateField } from '../../../../components/DayWheels'
import { Field } from '../../../../components/Field'
import { LongText } from '../../../../components/TextInput'
import { useFieldErrors } from '../../../../hooks/useFieldErrors'

/** Why a status usually changes, offered as one tap (the plan: a parent comes home, the child moves, turns 16). */
const REASONS: Partial<Record<ChildStatus, string>> = {
  parentReturned: '父母已回家乡工作生活',
  movedToParentCity: '孩子已随父母到务工城市上学',
  agedOut: '孩子已满16周岁',
  leftBehind: '父母又外出务工'
}

/** Records a change of left-behind status with its reason and the day it takes effect (dynamic management). */
export default function StatusPage () {
  const { params } = useRouter()
  const childId = params.id ?? ''
  const file = useCloud(() => callCloud('registry', 'getChild', { childId }), [childId])
  const [status, setStatus] = useState<ChildStatus | undefined>()
  const [reason, setReason] = useState('')
  // Unset means today, read when shown or sent: the cloud's clock may have moved since the page opened.
  const [effectiveDate, setEffectiveDate] = useState<string>()
  const [errors, setErrors] = useFieldErrors()
  const [failure, setFailure] = useState<string | undefined>()
  const [saving, setSaving] = useState(false)

  async function save () {
    const change = { status: status ?? '', reason, effectiveDate: effectiveDate ?? today() }
    const parsed = StatusChangeInput.safeParse(change)
    if (!parsed.success) {
      const f = fieldErrors(parsed.error)
      setErrors(status ? f : { ...f, status: '请选择新的状态' })
      return
    }
    if (parsed.data.status === file.data?.status) {
      setErrors({ status: '和现在的状态一样，不用改' })
      return
    }
    setErrors({})
    setFailure(undefined)
    setSaving(true)
    try {
      await callCloud('registry', 'changeStatus', { childId, change: parsed.data })
      Taro.showToast({ title: '已更改', icon: 'success' })
      setTimeout(() => back(), 600)
    } catch (err) {
      setErrors(fieldsOf(err, { prefix: 'change.' }))
      setFailure(messageOf(err))
    } finally {
      setSaving(false)
    }
  }

  if (file.loading && !file.data) return <Page><LoadingState /></Page>
  if (file.error) return <Page><ErrorState error={file.error} onRetry={file.reload} /></Page>
  if (!file.data) return null
  return (
    <Page testId='status-page'>
      <View className='title'>{file.data.name}的留守状态</View>
      <View className='hint'>现在是：{file.data.statusLabel}</View>
      <Field label='改成' error={errors.status}>
        <Choice value={status} onChange={(s) => { setStatus(s); if (!reason || Object.values(REASONS).includes(reason)) setReason(REASONS[s] ?? '') }}
          options={STATUSES.filter((s) => s !== file.data!.status).map((s) => ({ value: s, label: STATUS_LABELS[s] }))} />
      </Field>
      <Field label='原因' error={errors.reason}>
        <LongText value={reason} onChange={setReason} placeholder='例如：妈妈已回乡在县城上班' maxLength={200} rows={3} />
      </Field>
      <Field label='从哪天起' error={errors.effectiveDate}>
        <DateField value={effectiveDate ?? today()} onChange={setEffectiveDate} start={addYears(today(), -18)} end={addYears(today(), 1)} title='从哪天起' />
      </Field>
      <ProblemBox message={failure} />
      <View className='form-actions'>
        <Button type='primary' size='large' block loading={saving} disabled={saving} onClick={save}>保存</Button>
      </View>
    </Page>
  )
}
