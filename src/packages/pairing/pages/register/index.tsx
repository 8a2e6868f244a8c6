import { useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { MATCH_NEED_LABELS, SELF_REGISTERED_KINDS, VOLUNTEER_CODE, VOLUNTEER_KINDS, VOLUNTEER_KIND_LABELS, WEEKDAY_LABELS, type VolunteerKind } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { go } from '../../../../services/nav'
import { useCloud } from '../../../../hooks/useCloud'
import { Page } from '../../../../components/Page'
import { Button } from '../../../../components/nut'
import { Checkbox } from '../../../../components/nut-forms/Checkbox'
import { Choice, MultiChoice } from '../../../../components/Choice'
import { Field } from '../../../../components/Field'
import { TextInput } from '../../../../components/TextInput'
import { Notice } from '../../../../components/Notice'
import { ErrorState, LoadingState, fieldsOf, showError, showFix } from '../../../../components/States'
import '../../pairing.scss'
import { useFieldErrors } from '../../../../hooks/useFieldErrors'

/** Leaders (五个一) come by an admin's invitation only: the kind is offered to an invited leader, and to nobody else. */
const kindOptions = (invitedLeader: boolean) => (invitedLeader ? VOLUNTEER_KINDS : SELF_REGISTERED_KINDS).map((k) => ({ value: k, label: VOLUNTEER_KIND_LABELS[k] }))
const GENDER_OPTIONS = [{ value: 'female' as const, label: '女' }, { value: 'male' as const, label: '男' }]
const CAPACITY_OPTIONS = [1, 2, 3].map((n) => ({ value: n, label: `${n}个` }))
const DAY_OPTIONS = ([1, 2, 3, 4, 5, 6, 7] as const).map((d) => ({ value: d, label: WEEKDAY_LABELS[d] }))
const SKILL_OPTIONS = Object.entries(MATCH_NEED_LABELS).map(([value, label]) => ({ value, label }))

/** 方言 typed as words: split on commas, 、 and spaces. */
const splitWords = (s: string) => [...new Set(s.split(/[，,、;；\s]+/).map((x) => x.trim()).filter(Boolean))]

interface Draft {
  name: string, kind?: VolunteerKind, gender?: 'male' | 'female', townshipIds: string[], capacity?: number,
  freeDays: number[], skills: string[], dialects: string, agreed: boolean,
  phone: string, conflicts: string
}

/**
 * 志愿者登记: who I am, where I can visit, how many children I can take, when I am free, what I can help with,
 * and my agreement to the volunteer code. Nothing is offered before my agency's check (Minors Protection Law Art. 62).
 */
export default function RegisterPage () {
  const areas = useCloud(() => callCloud('pairing', 'areas', {}))
  const me = useCloud(() => callCloud('account', 'whoami', {}))
  const [draft, setDraft] = useState<Draft>({ name: '', townshipIds: [], freeDays: [], skills: [], dialects: '', agreed: false, phone: '', conflicts: '' })
  const [errors, setErrors] = useFieldErrors()
  const [busy, setBusy] = useState(false)
  const [done, setDone] = useState<string | undefined>()

  const registered = me.data?.registered ? me.data : undefined
  const volunteerRole = registered?.roles.find((r) => r.role === 'volunteer')
  const invitedLeader = Boolean(registered?.roles.some((r) => r.invitedLeader && r.status === 'active'))
  // A registered person keeps their name; a new WeChat user types it.
  useEffect(() => {
    if (!registered) return
    setDraft((d) => ({
      ...d,
      name: registered.name,
      kind: d.kind ?? volunteerRole?.volunteerKind
    }))
  }, [registered, volunteerRole?.volunteerKind])

  const set = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }))
    setErrors((e) => {
      const next = { ...e }
      for (const k of Object.keys(patch)) delete next[k === 'agreed' ? 'agreedToCode' : k]
      return next
    })
  }

  async function submit () {
    if (busy) return
    setBusy(true)
    setErrors({})
    try {
      const res = await callCloud('pairing', 'register', {
        name: draft.name,
        kind: draft.kind as VolunteerKind,
        gender: draft.gender as 'male' | 'female',
        townshipIds: draft.townshipIds,
        capacity: draft.capacity as number,
        freeDays: draft.freeDays,
        skills: draft.skills,
        dialects: splitWords(draft.dialects),
        ...(draft.phone.trim() ? { phone: draft.phone.trim() } : {}),
        conflicts: splitWords(draft.conflicts),
        agreedToCode: draft.agreed as true
      })
      setDone(res.vettingLabel)
    } catch (err) {
      const fields = fieldsOf(err)
      if (Object.keys(fields).length > 0) {
        // The contract's own words for a missing choice are generic ("不是可选的值", "必填"): say what to choose.
        setErrors({
          ...fields,
          ...(fields.kind && !draft.kind ? { kind: '请选择您以什么身份参加' } : {}),
          ...(fields.capacity && draft.capacity === undefined ? { capacity: '请选择最多结对几个孩子' } : {})
        })
        showFix()
        // The first field to change may be far above the button: bring it into view.
        setTimeout(() => { Taro.pageScrollTo({ selector: '.field--error', duration: 300 }).catch(() => undefined) }, 100)
      } else showError(err, { oneField: true })
    } finally {
      setBusy(false)
    }
  }

  if (done) {
    return (
      <Page testId='pairing-registered' className='pr-root'>
        <View className='pr-done'>
          <View className='pr-done__mark'>✓</View>
          <View className='pr-done__title'>登记好了</View>
          <View className='pr-done__line' data-testid='vetting-label'>{done}</View>
          <View className='pr-sub'>负责志愿者的部门会联系您，做无犯罪记录审查、培训和面谈。审查通过以后，您才会收到结对邀请。</View>
        </View>
        <View className='big-button'>
          <Button block size='large' type='primary' onClick={() => go('/packages/pairing/pages/profile/index')}>看我的登记</Button>
        </View>
      </Page>
    )
  }

  if ((areas.loading && !areas.data) || (me.loading && !me.data)) return <Page className='pr-root'><LoadingState /></Page>
  if (areas.error) return <Page className='pr-root'><ErrorState error={areas.error} onRetry={areas.reload} /></Page>
  if (me.error) return <Page className='pr-root'><ErrorState error={me.error} onRetry={me.reload} /></Page>
  if (!areas.data) return null
  const counties = areas.data.counties.filter((c) => c.townships.length > 0)

  return (
    <Page testId='pairing-register' className='pr-root'>
      <View className='title'>报名当爱心志愿者</View>
      {volunteerRole && <Notice tone='info' testId='already'>您已经登记过。再提交一次会更新您的登记，审查结果不变。</Notice>}

      {!registered && (
        <Field label='您的姓名' error={errors.name} testId='f-name'>
          <TextInput value={draft.name} onChange={(v) => set({ name: v })} placeholder='填真实姓名' maxLength={20} />
        </Field>
      )}
      <Field label='您以什么身份参加？' error={errors.kind} testId='f-kind'>
        <Choice value={draft.kind} options={kindOptions(invitedLeader)} onChange={(v) => set({ kind: v })} />
      </Field>
      <Field label='性别' error={errors.gender} testId='f-gender'>
        <Choice value={draft.gender} options={GENDER_OPTIONS} onChange={(v) => set({ gender: v })} />
      </Field>
      <Field label='您能上门去哪些乡镇？' error={errors.townshipIds} hint='可以选几个' testId='f-townships'>
        {counties.length === 0 && <Text className='pr-sub'>暂时没有可选的乡镇，请稍后再来。</Text>}
        {counties.map((c) => (
          <View key={c.id}>
            {counties.length > 1 && <View className='pr-sub'>{c.name}</View>}
            <MultiChoice value={draft.townshipIds} options={c.townships.map((t) => ({ value: t.id, label: t.name }))}
              onChange={(v) => set({ townshipIds: [...draft.townshipIds.filter((id) => !c.townships.some((t) => t.id === id)), ...v] })} />
          </View>
        ))}
      </Field>
      <Field label='最多同时结对几个孩子？' error={errors.capacity} testId='f-capacity'>
        <Choice value={draft.capacity} options={CAPACITY_OPTIONS} onChange={(v) => set({ capacity: v })} />
      </Field>
      <Field label='哪几天有空？' optional error={errors.freeDays} testId='f-days'>
        <MultiChoice value={draft.freeDays} options={DAY_OPTIONS} onChange={(v) => set({ freeDays: v })} />
      </Field>
      <Field label='能帮孩子做什么？' optional error={errors.skills} testId='f-skills'>
        <MultiChoice value={draft.skills} options={SKILL_OPTIONS} onChange={(v) => set({ skills: v })} />
      </Field>
      <Field label='会说的方言' optional error={errors.dialects} hint='几种方言用逗号隔开，例如：闽北话，客家话' testId='f-dialects'>
        <TextInput value={draft.dialects} onChange={(v) => set({ dialects: v })} placeholder='例如：闽北话' maxLength={60} />
      </Field>
      <Field label='手机号' optional error={errors.phone} hint='结对以后，孩子家里人可以在雏燕里一键打给您（每次都会记录）；结对前谁也看不到。' testId='f-phone'>
        <TextInput value={draft.phone} onChange={(v) => set({ phone: v })} type='number' maxLength={11} placeholder='11位手机号' />
      </Field>
      <Field label='不适合结对的家庭' optional error={errors.conflicts ?? Object.entries(errors).find(([k]) => k.startsWith('conflicts.'))?.[1]}
        hint='亲戚、有矛盾或有生意往来的人家，写下孩子或家长的姓名，用逗号隔开。匹配时不会把这些孩子配给您。' testId='f-conflicts'>
        <TextInput value={draft.conflicts} onChange={(v) => set({ conflicts: v })} placeholder='例如：张桂兰' maxLength={120} />
      </Field>

      <View className='pr-card' data-testid='code'>
        <View className='pr-name'>志愿者守则</View>
        {VOLUNTEER_CODE.map((line, i) => <View key={i} className='pr-code-line'>{i + 1}. {line}</View>)}
      </View>
      <View className={errors.agreedToCode ? 'field field--error' : 'field'} data-testid='f-agree'>
        <Checkbox checked={draft.agreed} onChange={(v: boolean) => set({ agreed: v })} label='我已读过，愿意遵守志愿者守则' />
        {errors.agreedToCode && <View className='field__error'>{errors.agreedToCode}</View>}
      </View>

      <View className='pr-actions'>
        <Button block size='large' type='primary' loading={busy} data-testid='submit' onClick={submit}>提交登记</Button>
      </View>
    </Page>
  )
}
