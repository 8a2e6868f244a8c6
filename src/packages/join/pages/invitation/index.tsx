import { useState } from 'react'
import { View } from '@tarojs/components'
import { AcceptInvitationInput, fieldErrors } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { home } from '../../../../services/nav'
import { Page } from '../../../../components/Page'
import { Button } from '../../../../components/nut'
import { ProblemBox, fieldsOf, messageOf } from '../../../../components/States'
import { Field } from '../../../../components/Field'
import { TextInput } from '../../../../components/TextInput'
import { useFieldErrors } from '../../../../hooks/useFieldErrors'

/** A new staff member enters the invitation code their agency's admin gave them. */
export default function InvitationPage () {
  const [code, setCode] = useState('')
  const [phone, setPhone] = useState('')
  const [errors, setErrors] = useFieldErrors()
  const [failure, setFailure] = useState<string | undefined>()
  const [saving, setSaving] = useState(false)
  const [granted, setGranted] = useState<{ roleLabel: string, scopeName: string } | undefined>()

  async function accept () {
    const parsed = AcceptInvitationInput.safeParse({ code: code.replace(/\s/g, ''), phone: phone.replace(/[\s-]/g, '') })
    if (!parsed.success) { setErrors(fieldErrors(parsed.error)); return }
    setErrors({})
    setFailure(undefined)
    setSaving(true)
    try {
      setGranted(await callCloud('account', 'acceptInvitation', parsed.data))
    } catch (err) {
      setErrors(fieldsOf(err))
      setFailure(messageOf(err))
    } finally {
      setSaving(false)
    }
  }

  if (granted) {
    return (
      <Page testId='invitation-accepted'>
        <View className='title'>欢迎加入</View>
        <View className='card done' data-testid='granted'>
          <View>您现在是</View>
          <View className='done__name'>{granted.roleLabel}</View>
          <View>{granted.scopeName}</View>
        </View>
        <View className='big-button'>
          <Button type='primary' size='large' block onClick={() => home()}>回首页开始工作</Button>
        </View>
      </Page>
    )
  }

  return (
    <Page testId='invitation'>
      <View className='title'>我有邀请码</View>
      <View className='hint'>邀请码是您单位的管理员给您的8位数字，用一次就失效。</View>
      <Field label='邀请码' error={errors.code} testId='f-code'>
        <TextInput value={code} onChange={setCode} placeholder='8位数字' type='number' maxLength={8} testId='code-input' />
      </Field>
      <Field label='您的手机号' error={errors.phone} testId='f-phone' hint='紧急情况（孩子求助、强制报告、期限超时）微信提醒不到您时，会发短信到这个号码。'>
        <TextInput value={phone} onChange={setPhone} placeholder='11位手机号' type='number' maxLength={13} testId='phone-input' />
      </Field>
      <ProblemBox message={failure} />
      <View className='form-actions'>
        <Button type='primary' size='large' block loading={saving} disabled={saving} onClick={accept}>确定</Button>
      </View>
    </Page>
  )
}
