import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import { Page } from '../../components/Page'
import { Button, Cell, CellGroup, Tag } from '../../components/nut'
import { LoadingState } from '../../components/States'
import { useLargeText } from '../../hooks/useLargeText'
import { useCloud } from '../../hooks/useCloud'
import { useReloadOnShow } from '../../hooks/useReloadOnShow'
import { callCloud } from '../../services/cloud'
import { canPickPersona, signOut } from '../../services/personas'
import { go, restart, tab } from '../../services/nav'
import { CONSENT_TEXT } from '../../domain'
import './me.scss'

/**
 * 我的: who I am here (my roles and where they apply), the reminders I let through, text size, how children's
 * information is kept (the consent text), and on the local h5 build, signing out.
 */
export default function Me () {
  const [large] = useLargeText()
  const me = useCloud(() => callCloud('account', 'whoami', {}))
  const alerts = useCloud(() => callCloud('account', 'alertSettings', {}))
  useReloadOnShow(() => { me.reload(); alerts.reload() })
  const [privacy, setPrivacy] = useState(false)
  const registered = me.data?.registered === true ? me.data : undefined
  const duty = alerts.data?.alerts ?? []
  const missing = duty.filter((a) => !a.longTerm && a.remaining <= 0)
  return (
    <Page testId='me'>
      <View className='title'>我的</View>
      {me.loading && !me.data && <LoadingState />}
      {registered && (
        <View>
          <View className='section-title'>我的身份</View>
          <CellGroup>
            <Cell title={<Text data-testid='me-name'>{registered.name}</Text>} />
            {registered.roles.map((r, i) => (
              <Cell key={`${r.role}-${i}`}
                title={<View className='tag-row' data-testid='my-role'><Text>{r.roleLabel}</Text>{r.status === 'suspended' && <Tag type='warning'>已暂停</Tag>}{r.scope?.name && <Text className='me-scope'>{r.scope.name}</Text>}</View>}
                description={[r.agencyLabel, r.volunteerKindLabel].filter(Boolean).join(' · ') || undefined} />
            ))}
          </CellGroup>
        </View>
      )}
      <View className='section-title'>提醒和字的大小</View>
      <CellGroup>
        {duty.length > 0
          ? (
            <View data-testid='me-alerts'>
              <Cell title='接收提醒' align='center' extra='›'
                description={missing.length > 0 ? `有 ${missing.length} 种提醒收不到了，点这里开通` : `工作要用的 ${duty.length} 种提醒都能收到`}
                onClick={() => go('/packages/settings/pages/alerts/index')} />
            </View>
            )
          : (
            <View data-testid='me-inbox'>
              <Cell title='消息' align='center' extra='›' description='约好的通话、申请有了进展，都会在这里告诉您' onClick={() => tab('/pages/inbox/index')} />
            </View>
            )}
        <View data-testid='me-text-size'>
          <Cell title='大字模式' description={large ? '已打开' : '字太小看不清？打开它'} align='center'
            onClick={() => go('/packages/settings/pages/text-size/index')} extra='›' />
        </View>
      </CellGroup>
      <View className='section-title'>孩子的信息怎样保护</View>
      <CellGroup>
        <View data-testid='me-privacy'>
          <Cell title='隐私说明和同意书' align='center' extra={privacy ? '收起' : '›'}
            description='登记哪些信息、谁能看到、保存多久、怎样删除' onClick={() => setPrivacy(!privacy)} />
        </View>
      </CellGroup>
      {privacy && (
        <View className='me-privacy' data-testid='privacy-text'>
          <View className='me-privacy__title'>{CONSENT_TEXT.title}</View>
          {CONSENT_TEXT.sections.map((s) => (
            <View key={s.heading} className='me-privacy__section'>
              <View className='me-privacy__heading'>{s.heading}</View>
              <View>{s.body}</View>
            </View>
          ))}
        </View>
      )}
      {canPickPersona && (
        <View className='big-button'>
          <Button block size='large' data-testid='sign-out' onClick={async () => { await signOut(); restart('/pages/signin/index') }}>退出，换一个身份</Button>
        </View>
      )}
    </Page>
  )
}
