import { useEffect } from 'react'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { callCloud, canPickPersona } from '../../services/cloud'
import { useCloud } from '../../hooks/useCloud'
import { Page } from '../../components/Page'
import { Cell, CellGroup, Tag } from '../../components/nut'
import { EmptyState, ErrorState, LoadingState } from '../../components/States'
import type { WhoAmI } from '../../domain'

/** Home: who I am, my roles and where they apply, and for a parent or guardian the children bound to me. */
export default function Home () {
  const me = useCloud(() => callCloud('account', 'whoami', {}))
  usePullDownRefresh(() => { me.reload(); Taro.stopPullDownRefresh() })

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
      <EmptyState title='您还没有登记' description='请找村里的儿童主任或孩子学校的老师，拿到绑定码后就能看到孩子的信息。' />
    </View>
  )
}

function Registered ({ me }: { me: Extract<WhoAmI, { registered: true }> }) {
  const family = me.roles.some((r) => r.role === 'parent' || r.role === 'guardian')
  return (
    <View>
      <View className='title' data-testid='my-name'>{me.name}，您好</View>
      <View className='section-title'>我的身份</View>
      <CellGroup>
        {me.roles.map((r, i) => (
          <Cell key={`${r.role}-${i}`} data-testid='my-role'
            title={<View className='tag-row'><Text>{r.roleLabel}</Text>{r.status === 'suspended' && <Tag type='warning'>已暂停</Tag>}</View>}
            description={[r.scope?.name, r.agencyLabel, r.volunteerKindLabel].filter(Boolean).join(' · ') || undefined} />
        ))}
      </CellGroup>
      {family && (
        <View>
          <View className='section-title'>我的孩子</View>
          {me.children.length === 0
            ? <EmptyState title='还没有绑定孩子' description='请向儿童主任或班主任要绑定码' />
            : (
              <CellGroup>
                {me.children.map((c) => (
                  <Cell key={c.id} data-testid='my-child' title={<Text>{c.name}（{c.age}岁）</Text>}
                    description={`${c.schoolName} ${c.className} · 我是${c.relationLabel}`} />
                ))}
              </CellGroup>
              )}
        </View>
      )}
    </View>
  )
}
