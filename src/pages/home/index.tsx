import { useEffect, useRef } from 'react'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { callCloud, canPickPersona } from '../../services/cloud'
import { useCloud } from '../../hooks/useCloud'
import { Page } from '../../components/Page'
import { Button, Cell, CellGroup, Tag } from '../../components/nut'
import { EmptyState, ErrorState, LoadingState } from '../../components/States'
import type { Role, WhoAmI } from '../../domain'

const go = (url: string) => Taro.navigateTo({ url })

/** A large button to one area of the app. */
function Entry ({ label, url, primary, testId }: { label: string, url: string, primary?: boolean, testId: string }) {
  return (
    <View className='big-button'>
      <Button block size='large' type={primary ? 'primary' : 'default'} data-testid={testId} onClick={() => go(url)}>{label}</Button>
    </View>
  )
}

/**
 * Home: who I am, my roles and where they apply, the areas my roles open, and for a parent or guardian the
 * children bound to me.
 */
export default function Home () {
  const me = useCloud(() => callCloud('account', 'whoami', {}))
  usePullDownRefresh(() => { me.reload(); Taro.stopPullDownRefresh() })
  // Back from binding a child, accepting an invitation or a consent: who I am may have changed.
  const shown = useRef(false)
  useDidShow(() => {
    if (shown.current) me.reload()
    shown.current = true
  })

  useEffect(() => {
    if (me.error?.code === 'UNAUTHENTICATED' && canPickPersona) Taro.redirectTo({ url: '/pages/signin/index' })
  }, [me.error])

  return (
    <Page testId='home'>
      {me.loading && !me.data && <LoadingState />}
      {me.error && me.error.code !== 'UNAUTHENTICATED' && <ErrorState error={me.error} onRetry={me.reload} />}
      {me.data && !me.data.registered && <NotRegistered />}
      {me.data && me.data.registered && <Registered me={me.data} />}
    </Page>
  )
}

function NotRegistered () {
  return (
    <View data-testid='not-registered'>
      <View className='title'>欢迎使用雏燕</View>
      <EmptyState title='您还没有登记' description='家长和监护人：请找村里的儿童主任或孩子学校的老师要一个绑定码。工作人员：请找单位的管理员要邀请码。' />
      <Entry label='绑定孩子（我有绑定码）' url='/packages/join/pages/bind/index' primary testId='entry-bind' />
      <Entry label='我有邀请码（工作人员）' url='/packages/join/pages/invitation/index' testId='entry-invitation' />
    </View>
  )
}

function Registered ({ me }: { me: Extract<WhoAmI, { registered: true }> }) {
  const active = new Set<Role>(me.roles.filter((r) => r.status === 'active').map((r) => r.role))
  const has = (...roles: Role[]) => roles.some((r) => active.has(r))
  const family = me.roles.some((r) => r.role === 'parent' || r.role === 'guardian')
  const registry = has('teacher', 'childWelfareOfficer', 'admin')
  const admin = has('admin')
  const noChildren = family && me.children.length === 0
  return (
    <View>
      <View className='title' data-testid='my-name'>{me.name}，您好</View>
      {(registry || admin) && (
        <View>
          {registry && <Entry label='儿童档案' url='/packages/registry/pages/list/index' primary testId='entry-registry' />}
          {admin && <Entry label='邀请工作人员' url='/packages/admin/pages/staff/index' testId='entry-staff' />}
          {admin && <Entry label='查看访问记录' url='/packages/admin/pages/access-log/index' testId='entry-access-log' />}
        </View>
      )}
      {family && (
        <View>
          <View className='section-title'>我的孩子</View>
          {me.children.length === 0
            ? <EmptyState title='还没有绑定孩子' description='请向儿童主任或班主任要绑定码' />
            : (
              <CellGroup>
                {me.children.map((c) => (
                  <Cell key={c.id} data-testid='my-child' title={<Text>{c.name}（{c.age}岁）</Text>} extra='›'
                    description={`${c.schoolName} ${c.className} · 我是${c.relationLabel}`}
                    onClick={() => go(`/packages/registry/pages/child/index?id=${encodeURIComponent(c.id)}`)} />
                ))}
              </CellGroup>
              )}
        </View>
      )}
      <Entry label={family && !noChildren ? '再绑定一个孩子' : '绑定孩子（我有绑定码）'} url='/packages/join/pages/bind/index' primary={noChildren} testId='entry-bind' />
      <View className='section-title'>我的身份</View>
      <CellGroup>
        {me.roles.map((r, i) => (
          <Cell key={`${r.role}-${i}`} data-testid='my-role'
            title={<View className='tag-row'><Text>{r.roleLabel}</Text>{r.status === 'suspended' && <Tag type='warning'>已暂停</Tag>}</View>}
            description={[r.scope?.name, r.agencyLabel, r.volunteerKindLabel].filter(Boolean).join(' · ') || undefined} />
        ))}
      </CellGroup>
    </View>
  )
}
