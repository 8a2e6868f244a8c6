import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import { MobilePhone, type AlertAllow, type TemplateKey } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { askFor, oneDialog } from '../../../../services/subscriptions'
import { useCloud } from '../../../../hooks/useCloud'
import { useReloadOnShow } from '../../../../hooks/useReloadOnShow'
import { Page } from '../../../../components/Page'
import { Section } from '../../../../components/Section'
import { Field } from '../../../../components/Field'
import { TextInput } from '../../../../components/TextInput'
import { Notice, Pill } from '../../../../components/Notice'
import { Button } from '../../../../components/nut'
import { EmptyState, ErrorState, LoadingState, ProblemBox, messageOf, showDone } from '../../../../components/States'

/**
 * 接收提醒: the alerts my duty needs, how many one-time allows I have left for each (WeChat sends one message per
 * allow), one tap to top them up, the phone urgent alerts fall back to by SMS, and, for a supervisor, who on the
 * duty roster cannot be reached (docs/ARCHITECTURE.md, "Notifications").
 */
export default function AlertsPage () {
  const settings = useCloud(() => callCloud('account', 'alertSettings', {}))
  useReloadOnShow(settings.reload)
  const [asking, setAsking] = useState(false)

  if (settings.loading && !settings.data) return <Page testId='alerts'><LoadingState /></Page>
  if (settings.error) return <Page testId='alerts'><ErrorState error={settings.error} onRetry={settings.reload} /></Page>
  if (!settings.data) return null
  const s = settings.data
  const missing = s.alerts.filter((a) => !a.longTerm && a.remaining <= 0)

  async function topUp (keys: TemplateKey[]) {
    if (asking) return
    setAsking(true)
    // On the tap itself: WeChat shows its dialog only in answer to one.
    const answers = await askFor(keys)
    setAsking(false)
    if (Object.values(answers).some((a) => a === 'accept')) showDone('已开通')
    settings.reload()
  }

  const firstDialog = oneDialog((missing.length > 0 ? missing : s.alerts).map((a) => a.template))

  return (
    <Page testId='alerts'>
      <View className='title'>接收提醒</View>
      <View className='hint'>微信规定：您每点一次“允许”，雏燕才能给您发一条这种提醒。发完就要再开通。</View>
      {s.alerts.length === 0
        ? <EmptyState title='您的岗位没有需要开通的提醒' description='预约、等候空位的提醒，会在您预约时问您要不要。' />
        : (
          <Section title='我的提醒' testId='my-alerts'>
            {missing.length > 0 && <Notice tone='danger' testId='alerts-missing'>有 {missing.length} 种提醒收不到了：{missing.map((a) => a.label).join('、')}。请点下面的按钮开通。</Notice>}
            <View className='card'>
              {s.alerts.map((a) => <AlertRow key={a.template} a={a} busy={asking} onTopUp={() => topUp([a.template])} />)}
            </View>
            {firstDialog.length > 1 && (
              <View className='big-button'>
                <Button block size='large' type='primary' loading={asking} disabled={asking} data-testid='top-up-all' onClick={() => topUp(firstDialog)}>
                  一次开通{firstDialog.length}种（各多收一条）
                </Button>
              </View>
            )}
          </Section>
          )}
      <PhoneSection phone={s.phone} onSaved={settings.reload} />
      {s.team.map((t) => (
        <Section key={t.title} title={t.title} testId='team'>
          <View className='hint'>您负责的值班人员：收不到提醒的人，紧急求助会直接跳到下一位。</View>
          <View className='card'>
            {t.people.length === 0 && <View className='hint'>值班表上还没有人</View>}
            {t.people.map((p) => (
              <View key={p.name} className='alert-row' data-testid='team-person'>
                <View className='row-between'>
                  <Text className='alert-row__left'>{p.name}</Text>
                  {p.unreachable
                    ? <Pill tone='red'>收不到提醒</Pill>
                    : p.missing.length > 0 ? <Pill tone='orange'>只能收短信</Pill> : <Pill tone='green'>能收到</Pill>}
                </View>
                <View className='small'>{p.roleLabel}{p.missing.length > 0 ? ` · 没开通：${p.missing.join('、')}` : ''}{p.hasPhone ? '' : ' · 没有留手机号'}</View>
              </View>
            ))}
          </View>
        </Section>
      ))}
    </Page>
  )
}

function AlertRow ({ a, busy, onTopUp }: { a: AlertAllow, busy: boolean, onTopUp: () => void }) {
  const none = !a.longTerm && a.remaining <= 0
  return (
    <View className='alert-row' data-testid='alert-row'>
      <View className='row-between'>
        <Text className='alert-row__left'>{a.label}</Text>
        {a.longTerm ? <Pill tone='green'>长期有效</Pill> : none ? <Pill tone='red'>收不到了</Pill> : <Pill tone='green'>还能收 {a.remaining} 条</Pill>}
      </View>
      <View className='small'>{a.purpose}{a.canBeLongTerm && !a.longTerm ? ' · 可申请长期订阅（政务民生服务）' : ''}</View>
      {!a.longTerm && (
        <View className='big-button'>
          <Button block type={none ? 'primary' : 'default'} loading={busy} disabled={busy} data-testid={`top-up-${a.template}`} onClick={onTopUp}>
            {none ? '开通这种提醒' : '再多收一条'}
          </Button>
        </View>
      )}
    </View>
  )
}

function PhoneSection ({ phone, onSaved }: { phone: string | null, onSaved: () => void }) {
  const [editing, setEditing] = useState(false)
  const [value, setValue] = useState('')
  const [error, setError] = useState<string>()
  const [failure, setFailure] = useState<string>()
  const [saving, setSaving] = useState(false)

  async function save () {
    const parsed = MobilePhone.safeParse(value.replace(/[\s-]/g, ''))
    if (!parsed.success) { setError(parsed.error.issues[0]?.message ?? '请填写11位手机号码'); return }
    setError(undefined)
    setFailure(undefined)
    setSaving(true)
    try {
      await callCloud('account', 'setPhone', { phone: parsed.data })
      setEditing(false)
      showDone('已保存')
      onSaved()
    } catch (err) {
      setFailure(messageOf(err, { oneField: true }))
    } finally {
      setSaving(false)
    }
  }

  return (
    <Section title='短信备用' testId='phone'>
      <View className='hint'>孩子紧急求助、强制报告、期限超时这类急事，微信提醒不到您时会发短信。</View>
      {!editing && (
        <View className='card row-between'>
          <Text data-testid='my-phone'>{phone ?? '还没有留手机号'}</Text>
          <Button size='large' type={phone ? 'default' : 'primary'} data-testid='edit-phone' onClick={() => { setEditing(true); setValue('') }}>{phone ? '换号码' : '填写号码'}</Button>
        </View>
      )}
      {editing && (
        <View>
          <Field label='手机号' error={error} testId='f-phone'>
            <TextInput value={value} onChange={setValue} placeholder='11位手机号' type='number' maxLength={13} testId='phone-input' />
          </Field>
          <ProblemBox message={failure} />
          <View className='big-button'>
            <Button block size='large' type='primary' loading={saving} disabled={saving} data-testid='save-phone' onClick={save}>保存</Button>
          </View>
        </View>
      )}
    </Section>
  )
}
