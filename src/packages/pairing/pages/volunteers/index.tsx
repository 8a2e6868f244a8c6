import { useState } from 'react'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { z } from 'zod'
import { addDays, type VolunteerRow } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { dateWords, today } from '../../../../services/format'
import { useCloud } from '../../../../hooks/useCloud'
import { useReloadOnShow } from '../../../../hooks/useReloadOnShow'
import { Page } from '../../../../components/Page'
import { Button } from '../../../../components/nut'
import { Choice } from '../../../../components/Choice'
import { Field } from '../../../../components/Field'
import { TextInput } from '../../../../components/TextInput'
import { Notice, Pill } from '../../../../components/Notice'
import { EmptyState, ErrorState, LoadingState, fieldsOf, showError, showFix } from '../../../../components/States'
import { DayField } from '../../components/DayField'
import { vettingTone } from '../../labels'
import '../../pairing.scss'
import { useFieldErrors } from '../../../../hooks/useFieldErrors'

type Volunteer = z.infer<typeof VolunteerRow>

/** Which of the list to show first: who needs the admin's action. */
const ORDER: Record<string, number> = { none: 0, expired: 1, expiringSoon: 2, failed: 3, valid: 4 }

/**
 * 志愿者审查 (admin): the volunteers of my agency in my area with their vetting state, capacity and active
 * pairings; tap one to record the criminal-record check, the training and the interview (Minors Protection
 * Law Art. 62: before they start, and every year after).
 */
export default function VolunteersPage () {
  const list = useCloud(() => callCloud('pairing', 'volunteers', {}))
  const [editing, setEditing] = useState<Volunteer | undefined>()
  const [recorded, setRecorded] = useState<{ name: string, state: string, validUntil: string } | undefined>()
  usePullDownRefresh(() => { list.reload(); Taro.stopPullDownRefresh() })
  useReloadOnShow(list.reload)

  if (editing) {
    return (
      <VettingForm volunteer={editing} onCancel={() => setEditing(undefined)}
        onDone={(r) => { setRecorded({ name: editing.name, ...r }); setEditing(undefined); list.reload() }} />
    )
  }
  if (list.loading && !list.data) return <Page className='pr-root'><LoadingState /></Page>
  if (list.error) return <Page className='pr-root'><ErrorState error={list.error} onRetry={list.reload} /></Page>
  if (!list.data) return null
  const volunteers = [...list.data.volunteers].sort((a, b) => (ORDER[a.vettingState] ?? 9) - (ORDER[b.vettingState] ?? 9) || a.name.localeCompare(b.name, 'zh'))
  const waiting = volunteers.filter((v) => v.vettingState === 'none' || v.vettingState === 'expired' || v.vettingState === 'expiringSoon').length

  return (
    <Page testId='pairing-volunteers' className='pr-root'>
      <View className='title'>志愿者审查</View>
      {recorded && (
        <Notice tone={recorded.state === 'valid' ? 'ok' : 'warn'} testId='recorded'>
          已记录{recorded.name}的审查：{recorded.state === 'valid' ? `有效，到${dateWords(recorded.validUntil)}` : recorded.state === 'failed' ? '有记录，不能结对' : `到${dateWords(recorded.validUntil)}`}
        </Notice>
      )}
      {volunteers.length === 0
        ? <EmptyState title='还没有志愿者' description='您所在部门负责的志愿者登记以后，会出现在这里。' />
        : (
          <View>
            <View className='hint'>{waiting > 0 ? `${waiting}位等您审查或复查。` : '都审查过了。'}点一位志愿者，记录审查结果。</View>
            {volunteers.map((v) => (
              <View key={v.id} className='pr-card pr-card--tap' data-testid='volunteer' onClick={() => { setRecorded(undefined); setEditing(v) }}>
                <View className='pr-row'>
                  <Text className='pr-name'>{v.name || '（未留姓名）'}</Text>
                  <Pill tone={vettingTone(v.vettingState)} testId='vetting'>{v.vettingLabel}</Pill>
                </View>
                <View className='pr-sub'>{v.kindLabel} · 已结对{v.active}个，最多{v.capacity}个</View>
                {v.validUntil && <View className='pr-sub'>审查{v.vettingState === 'expired' ? '已于' : '有效到'}{dateWords(v.validUntil)}{v.vettingState === 'expired' ? '过期' : ''}</View>}
                <View className='pr-link'>{v.vettingState === 'none' ? '记录审查 ›' : '记录复查 ›'}</View>
              </View>
            ))}
          </View>
          )}
    </Page>
  )
}

const RESULT_OPTIONS = [{ value: 'clear' as const, label: '无犯罪记录' }, { value: 'record' as const, label: '有相关记录' }]

function VettingForm ({ volunteer, onCancel, onDone }: { volunteer: Volunteer, onCancel: () => void, onDone: (r: { state: string, validUntil: string }) => void }) {
  const [checkDate, setCheckDate] = useState<string | undefined>()
  const [result, setResult] = useState<'clear' | 'record' | undefined>()
  const [checkedBy, setCheckedBy] = useState('')
  const [trainingDate, setTrainingDate] = useState<string | undefined>()
  const [interviewDate, setInterviewDate] = useState<string | undefined>()
  const [errors, setErrors] = useFieldErrors()
  const [busy, setBusy] = useState(false)
  // A check counts for a year: one older than that would be expired on arrival.
  const earliest = addDays(today(), -365)

  async function save () {
    if (busy) return
    setBusy(true)
    setErrors({})
    try {
      const res = await callCloud('pairing', 'recordVetting', {
        volunteerId: volunteer.id,
        checkDate: checkDate ?? '',
        result: result as 'clear' | 'record',
        checkedBy,
        ...(trainingDate ? { trainingDate } : {}),
        ...(interviewDate ? { interviewDate } : {})
      })
      onDone({ state: res.vettingState, validUntil: res.validUntil })
    } catch (err) {
      const fields = fieldsOf(err)
      if (Object.keys(fields).length > 0) {
        setErrors({ ...fields, ...(fields.checkDate && !checkDate ? { checkDate: '请选择审查日期' } : {}) })
        showFix()
      } else showError(err, { oneField: true })
    } finally {
      setBusy(false)
    }
  }

  return (
    <Page testId='pairing-vetting' className='pr-root'>
      <Text className='pr-link' onClick={onCancel}>‹ 回到志愿者名单</Text>
      <View className='title'>{volunteer.name}的审查</View>
      <View className='pr-card'>
        <View className='pr-sub'>{volunteer.kindLabel} · 最多结对{volunteer.capacity}个</View>
        <View className='pr-row'><Text className='pr-sub'>现在</Text><Pill tone={vettingTone(volunteer.vettingState)}>{volunteer.vettingLabel}</Pill></View>
      </View>
      <Notice tone='info'>《未成年人保护法》第六十二条：和孩子密切接触的人，上岗前要查询违法犯罪记录，以后每年复查。审查有效期一年。</Notice>

      <Field label='无犯罪记录审查的日期' error={errors.checkDate} testId='f-check-date'>
        <DayField value={checkDate} onChange={(d) => { setCheckDate(d); setErrors((e) => ({ ...e, checkDate: '' })) }} earliest={earliest} />
      </Field>
      <Field label='审查结果' error={errors.result} testId='f-result'>
        <Choice value={result} options={RESULT_OPTIONS} onChange={setResult} />
      </Field>
      <Field label='出具结果的单位' error={errors.checkedBy} testId='f-checked-by'>
        <TextInput value={checkedBy} onChange={setCheckedBy} placeholder='例如：青山县公安局' maxLength={50} />
      </Field>
      <Field label='培训日期' optional error={errors.trainingDate} testId='f-training'>
        <DayField value={trainingDate} onChange={setTrainingDate} earliest={addDays(today(), -3 * 365)} />
      </Field>
      <Field label='面谈日期' optional error={errors.interviewDate} testId='f-interview'>
        <DayField value={interviewDate} onChange={setInterviewDate} earliest={addDays(today(), -3 * 365)} />
      </Field>
      {result === 'record' && <Notice tone='danger'>有相关记录的志愿者不会收到结对邀请；已有的结对请复核。</Notice>}
      <View className='pr-buttons'>
        <Button type='primary' size='large' loading={busy} data-testid='save-vetting' onClick={save}>保存审查结果</Button>
        <Button size='large' onClick={onCancel}>取消</Button>
      </View>
    </Page>
  )
}
