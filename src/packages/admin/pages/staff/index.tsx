import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import { CreateInvitationInput, fieldErrors, type InvitableRole, type StaffMember } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { useAttemptKey } from '../../../../hooks/useAttemptKey'
import { useCloud } from '../../../../hooks/useCloud'
import { Page } from '../../../../components/Page'
import { Button, Cell, CellGroup, Tag } from '../../../../components/nut'
import { Dialog } from '../../../../components/nut-forms/Dialog'
import { EmptyState, ErrorState, LoadingState, ProblemBox, fieldsOf, messageOf, showError } from '../../../../components/States'
import { Choice } from '../../../../components/Choice'
import { Field } from '../../../../components/Field'
import { TextInput } from '../../../../components/TextInput'
import { BigCode } from '../../../../components/BigCode'
import { useFieldErrors } from '../../../../hooks/useFieldErrors'

type InviteRole = InvitableRole
interface Made { code: string, expiresAt: Date, roleLabel: string, scopeName: string, personName: string }
interface Pending { member: StaffMember, role: StaffMember['roles'][number], status: 'active' | 'suspended' }

/** An admin invites staff of their agency's line and scope, and suspends or restores a role. */
export default function StaffPage () {
  const staff = useCloud(() => callCloud('account', 'listStaff', {}))
  const [inviting, setInviting] = useState(false)
  const [pending, setPending] = useState<Pending | undefined>()
  const [saving, setSaving] = useState(false)

  async function setStatus (p: Pending) {
    setSaving(true)
    try {
      await callCloud('account', 'setRoleStatus', { openid: p.member.openid, roleIndex: p.role.index, status: p.status })
      setPending(undefined)
      staff.reload()
    } catch (err) {
      setPending(undefined)
      showError(err)
    } finally {
      setSaving(false)
    }
  }

  return (
    <Page testId='staff'>
      <View className='title'>工作人员</View>
      {inviting
        ? <InviteForm onDone={() => { setInviting(false); staff.reload() }} />
        : <Button type='primary' size='large' block onClick={() => setInviting(true)}>＋ 邀请工作人员</Button>}

      <View className='section-title'>我管理范围内的工作人员</View>
      {staff.loading && !staff.data && <LoadingState />}
      {staff.error && <ErrorState error={staff.error} onRetry={staff.reload} />}
      {staff.data && staff.data.staff.length === 0 && <EmptyState title='还没有工作人员' description='点上面的“邀请工作人员”，把邀请码当面交给对方' />}
      {staff.data && staff.data.staff.length > 0 && (
        <CellGroup>
          {staff.data.staff.map((m) => (
            <Cell key={m.openid}
              title={<Text className='row-name'>{m.name}</Text>}
              description={
                <View>
                  {m.roles.map((r) => (
                    <View key={r.index} className='staff-role'>
                      <View className='tag-row'>
                        <Text>{r.roleLabel}</Text>
                        {r.status === 'suspended' ? <Tag type='warning'>已暂停</Tag> : <Tag type='success' plain>在岗</Tag>}
                      </View>
                      <View className='row-between'>
                        <Text className='small'>{[r.scope?.name, r.agencyLabel].filter(Boolean).join(' · ')}</Text>
                        {r.status === 'active'
                          ? <Button size='small' type='warning' fill='outline' onClick={() => setPending({ member: m, role: r, status: 'suspended' })}>暂停</Button>
                          : <Button size='small' type='primary' fill='outline' onClick={() => setPending({ member: m, role: r, status: 'active' })}>恢复</Button>}
                      </View>
                    </View>
                  ))}
                </View>
              } />
          ))}
        </CellGroup>
      )}

      <Dialog visible={!!pending} title={pending?.status === 'suspended' ? '暂停这个身份？' : '恢复这个身份？'}
        content={pending
          ? pending.status === 'suspended'
            ? `暂停后，${pending.member.name}不能再以“${pending.role.roleLabel}”的身份查看或办理任何事，直到您恢复。`
            : `恢复后，${pending.member.name}可以重新以“${pending.role.roleLabel}”的身份工作。`
          : ''}
        confirmText={saving ? '正在提交…' : pending?.status === 'suspended' ? '确定暂停' : '确定恢复'} cancelText='取消'
        disableConfirmButton={saving}
        onConfirm={() => { if (pending) setStatus(pending) }} onCancel={() => setPending(undefined)} onClose={() => setPending(undefined)} />
    </Page>
  )
}

function InviteForm ({ onDone }: { onDone: () => void }) {
  const options = useCloud(() => callCloud('account', 'inviteOptions', {}))
  const [role, setRole] = useState<InviteRole | undefined>()
  const [scopeId, setScopeId] = useState<string | undefined>()
  const [personName, setPersonName] = useState('')
  const [errors, setErrors] = useFieldErrors()
  const [failure, setFailure] = useState<string | undefined>()
  const [saving, setSaving] = useState(false)
  const [made, setMade] = useState<Made | undefined>()
  const attempt = useAttemptKey()

  async function invite () {
    const parsed = CreateInvitationInput.safeParse({ role: role ?? '', scopeId: scopeId ?? '', personName })
    if (!parsed.success) { setErrors(fieldErrors(parsed.error)); return }
    setErrors({})
    setFailure(undefined)
    setSaving(true)
    try {
      const res = await callCloud('account', 'createInvitation', { ...parsed.data, idempotencyKey: attempt.keyFor(JSON.stringify(parsed.data)) })
      setMade({ ...res, personName: parsed.data.personName })
      attempt.done()
    } catch (err) {
      setErrors(fieldsOf(err))
      setFailure(messageOf(err))
    } finally {
      setSaving(false)
    }
  }

  if (made) {
    return (
      <View data-testid='invitation-code'>
        <BigCode title={`给 ${made.personName}：${made.roleLabel} · ${made.scopeName}`} code={made.code} expiresAt={made.expiresAt} note='请当面交给对方' />
        <View className='hint'>对方在微信里打开“雏燕”，点“我有邀请码”，输入这8位数字。</View>
        <Button size='large' block onClick={onDone}>完成</Button>
      </View>
    )
  }
  if (options.loading && !options.data) return <LoadingState />
  if (options.error) return <ErrorState error={options.error} onRetry={options.reload} />
  const opts = options.data?.options ?? []
  if (opts.length === 0) return <EmptyState title='您没有可以邀请的岗位' description='只有部门管理员能邀请本部门、本地区的工作人员' />
  const places = opts.find((o) => o.role === role)?.places ?? []
  return (
    <View className='card' data-testid='invite-form'>
      <Field label='岗位' error={errors.role}>
        <Choice value={role} onChange={(r) => { setRole(r as InviteRole); setScopeId(undefined) }} options={opts.map((o) => ({ value: o.role, label: o.roleLabel }))} />
      </Field>
      {role && (
        <Field label='单位或地区' error={errors.scopeId}>
          {places.length === 0
            ? <Text className='placeholder'>这个岗位在您的范围里没有可选的单位</Text>
            : <Choice value={scopeId} onChange={setScopeId} title='选择单位或地区' placeholder='点这里选择' options={places.map((p) => ({ value: p.id, label: p.name }))} />}
        </Field>
      )}
      <Field label='对方姓名' error={errors.personName}>
        <TextInput value={personName} onChange={setPersonName} placeholder='例如：陈丽' maxLength={20} testId='invitee-name' />
      </Field>
      <ProblemBox message={failure} />
      <View className='row-between'>
        <Button size='large' onClick={onDone}>取消</Button>
        <Button type='primary' size='large' loading={saving} disabled={saving} onClick={invite}>生成邀请码</Button>
      </View>
    </View>
  )
}
