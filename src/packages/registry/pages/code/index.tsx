import { useState } from 'react'
import { useRouter } from '@tarojs/taro'
import { View } from '@tarojs/components'
import {
  BINDING_CODE_DAYS, CreateBindingCodeInput, RELATIONS, RELATION_LABELS, fieldErrors,
  type BindingRole, type ChildFile, type Relation
} from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { back } from '../../../../services/nav'
import { useAttemptKey } from '../../../../hooks/useAttemptKey'
import { useCloud } from '../../../../hooks/useCloud'
import { Page } from '../../../../components/Page'
import { Button } from '../../../../components/nut'
import { ErrorState, LoadingState, ProblemBox, fieldsOf, messageOf } from '../../../../components/States'
import { Choice } from '../../../../components/Choice'
import { Field } from '../../../../components/Field'
import { TextInput } from '../../../../components/TextInput'
import { BigCode } from '../../../../components/BigCode'
import { useFieldErrors } from '../../../../hooks/useFieldErrors'

const ROLE_OPTIONS: Array<{ value: BindingRole, label: string }> = [
  { value: 'guardian', label: '在家的监护人' },
  { value: 'parent', label: '在外打工的家长' },
  { value: 'child', label: '孩子本人' }
]

function relationsFor (role: BindingRole | undefined): Relation[] {
  if (role === 'parent') return ['father', 'mother']
  if (role === 'child') return ['self']
  return RELATIONS.filter((r) => r !== 'self')
}

/** Who the file says this person is, so choosing the role usually fills in the rest. */
function prefill (file: ChildFile, role: BindingRole): { relation?: Relation, name: string } {
  if (role === 'child') return { relation: 'self', name: file.name }
  if (role === 'guardian' && file.guardian) return { relation: file.guardian.relation, name: file.guardian.name }
  if (role === 'parent' && file.parents.length > 0) return { relation: file.parents[0].relation, name: file.parents[0].name }
  return { name: '' }
}

interface Made { code: string, expiresAt: Date, childName: string, personName: string, relation: Relation }

/** An officer or teacher makes a one-time binding code and hands it over in person. */
export default function BindingCodePage () {
  const { params } = useRouter()
  const childId = params.id ?? ''
  const file = useCloud(() => callCloud('registry', 'getChild', { childId }), [childId])
  const [role, setRole] = useState<BindingRole | undefined>()
  const [relation, setRelation] = useState<Relation | undefined>()
  const [personName, setPersonName] = useState('')
  const [errors, setErrors] = useFieldErrors()
  const [failure, setFailure] = useState<string | undefined>()
  const [saving, setSaving] = useState(false)
  const [made, setMade] = useState<Made | undefined>()
  // One key per request: a retry of the same request (say, after a network failure) sends the same key.
  const attempt = useAttemptKey()

  function pickRole (r: BindingRole) {
    setRole(r)
    if (file.data) {
      const p = prefill(file.data, r)
      setRelation(p.relation)
      setPersonName(p.name)
    }
    setErrors({})
  }

  /** For a parent: the two parents of the file, each a tap away. */
  function pickParent (i: number) {
    const p = file.data?.parents[i]
    if (!p) return
    setRelation(p.relation)
    setPersonName(p.name)
  }

  async function make () {
    const input = { childId, role, relation, personName }
    const parsed = CreateBindingCodeInput.safeParse(input)
    if (!parsed.success) {
      const f = fieldErrors(parsed.error)
      if (f.relation) f.relation = '请选择和孩子的关系'
      setErrors(f)
      return
    }
    setErrors({})
    setFailure(undefined)
    setSaving(true)
    try {
      const res = await callCloud('registry', 'createBindingCode', { ...parsed.data, idempotencyKey: attempt.keyFor(JSON.stringify(parsed.data)) })
      setMade({ ...res, personName: parsed.data.personName, relation: parsed.data.relation })
      attempt.done()
    } catch (err) {
      setErrors(fieldsOf(err))
      setFailure(messageOf(err))
    } finally {
      setSaving(false)
    }
  }

  if (file.loading && !file.data) return <Page><LoadingState /></Page>
  if (file.error) return <Page><ErrorState error={file.error} onRetry={file.reload} /></Page>
  if (!file.data) return null

  if (made) {
    return (
      <Page testId='binding-code'>
        <View className='title'>{made.childName}的绑定码</View>
        <BigCode title={`给 ${made.personName}（${RELATION_LABELS[made.relation]}）`} code={made.code} expiresAt={made.expiresAt} note='请当面交给对方' />
        <View className='card'>
          <View>对方这样用：</View>
          <View>1. 在微信里打开“雏燕”小程序，点“绑定孩子”；</View>
          <View>2. 输入这8位数字和{made.childName}的出生日期。</View>
          <View className='small'>为了孩子的安全，请不要把绑定码发到群里或告诉不认识的人。输错5次会作废。</View>
        </View>
        <View className='big-button'>
          <Button size='large' block onClick={() => { setMade(undefined); setRole(undefined); setRelation(undefined); setPersonName('') }}>给另一个人生成</Button>
        </View>
        <View className='big-button'>
          <Button size='large' block fill='none' onClick={() => back()}>回到档案</Button>
        </View>
      </Page>
    )
  }

  const f = file.data
  return (
    <Page testId='binding-code-form'>
      <View className='title'>给{f.name}的家人生成绑定码</View>
      <View className='hint'>家人用这个码在自己的微信里绑定孩子，之后就能看到孩子的档案（号码是遮住的）。绑定码{BINDING_CODE_DAYS}天内有效，只能用一次。</View>
      <Field label='给谁' error={errors.role} testId='f-role'>
        <Choice value={role} onChange={pickRole} options={ROLE_OPTIONS} />
      </Field>
      {role === 'parent' && f.parents.length > 1 && (
        <Field label='是哪一位家长'>
          <Choice value={String(f.parents.findIndex((p) => p.name === personName && p.relation === relation))}
            onChange={(v) => pickParent(Number(v))}
            options={f.parents.map((p, i) => ({ value: String(i), label: `${p.name}（${p.relationLabel}）` }))} />
        </Field>
      )}
      {role && role !== 'child' && (
        <Field label='和孩子的关系' error={errors.relation} testId='f-relation'>
          <Choice value={relation} onChange={setRelation} options={relationsFor(role).map((r) => ({ value: r, label: RELATION_LABELS[r] }))} />
        </Field>
      )}
      {role && (
        <Field label='对方姓名' error={errors.personName}>
          <TextInput value={personName} onChange={setPersonName} placeholder='例如：张桂兰' maxLength={20} testId='person-name' />
        </Field>
      )}
      <ProblemBox message={failure} />
      <View className='form-actions'>
        <Button type='primary' size='large' block loading={saving} disabled={saving || !role} onClick={make}>生成绑定码</Button>
      </View>
    </Page>
  )
}
