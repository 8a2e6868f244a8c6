import { useRef, useState } from 'react'
import { View } from '@tarojs/components'
import { BINDING_CODE_LENGTH, RedeemBindingCodeInput, fieldErrors } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { addYears, today } from '../../../../services/format'
import { home, replace } from '../../../../services/nav'
import { Page } from '../../../../components/Page'
import { Button } from '../../../../components/nut'
import { ProblemBox, fieldsOf, messageOf } from '../../../../components/States'
import { DateField } from '../../../../components/DayWheels'
import { Field } from '../../../../components/Field'
import { TextInput } from '../../../../components/TextInput'
import { useFieldErrors } from '../../../../hooks/useFieldErrors'

interface Bound { childId: string, childName: string, needsConsent: boolean }

/** Anyone with a binding code from the officer or teacher links their WeChat to the child. */
export default function BindPage () {
  const [code, setCode] = useState('')
  const [birthDate, setBirthDate] = useState<string | undefined>()
  const [errors, setErrors] = useFieldErrors()
  const [failure, setFailure] = useState<string | undefined>()
  const [saving, setSaving] = useState(false)
  const [bound, setBound] = useState<Bound | undefined>()
  const busy = useRef(false)
  const day = today()

  async function bind () {
    if (busy.current) return
    const input = { code: code.replace(/\s/g, ''), childBirthDate: birthDate ?? '' }
    const parsed = RedeemBindingCodeInput.safeParse(input)
    if (!parsed.success) {
      const f = fieldErrors(parsed.error)
      if (!birthDate) f.childBirthDate = '请选择孩子的出生日期'
      setErrors(f)
      return
    }
    busy.current = true
    setErrors({})
    setFailure(undefined)
    setSaving(true)
    try {
      const res = await callCloud('registry', 'redeemBindingCode', parsed.data)
      setBound({ childId: res.childId, childName: res.childName, needsConsent: res.needsConsent })
    } catch (err) {
      setErrors(fieldsOf(err))
      setFailure(messageOf(err))
    } finally {
      busy.current = false
      setSaving(false)
    }
  }

  if (bound) {
    const id = encodeURIComponent(bound.childId)
    return (
      <Page testId='bound'>
        <View className='title'>绑定成功</View>
        <View className='card done' data-testid='bound-child'>
          <View>您已经绑定了</View>
          <View className='done__name'>{bound.childName}</View>
        </View>
        {bound.needsConsent
          ? (
            <View>
              <View className='hint'>还差一步：请看一下孩子信息登记同意书，决定同意还是不同意。</View>
              <View className='big-button'>
                <Button type='primary' size='large' block onClick={() => replace(`/packages/join/pages/consent/index?childId=${id}`)}>下一步：看同意书</Button>
              </View>
            </View>
            )
          : (
            <View className='big-button'>
              <Button type='primary' size='large' block onClick={() => replace(`/packages/registry/pages/child/index?id=${id}`)}>看孩子的档案</Button>
            </View>
            )}
        <View className='big-button'>
          <Button size='large' block onClick={() => home()}>回首页</Button>
        </View>
      </Page>
    )
  }

  return (
    <Page testId='bind'>
      <View className='title'>绑定孩子</View>
      <View className='hint'>绑定码是老师或村里儿童主任当面给您的8位数字。</View>
      <Field label='绑定码' error={errors.code} testId='f-code'>
        <TextInput value={code} onChange={setCode} placeholder='8位数字' type='number' maxLength={BINDING_CODE_LENGTH} testId='code-input' />
      </Field>
      <Field label='孩子的出生日期' error={errors.childBirthDate} testId='f-birthDate' hint='用来核对是不是您家的孩子'>
        <DateField value={birthDate} onChange={setBirthDate} title='孩子的出生日期' start={addYears(day, -18)} end={day}
          initial={addYears(day, -8)} placeholder='点这里选择出生日期' testId='birth-date' />
      </Field>
      <ProblemBox message={failure} testId='bind-failure' />
      <View className='form-actions'>
        <Button type='primary' size='large' block loading={saving} disabled={saving} onClick={bind}>绑定</Button>
      </View>
    </Page>
  )
}
