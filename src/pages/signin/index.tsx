import { useEffect } from 'react'
import { View, Text } from '@tarojs/components'
import { ROLE_LABELS, ROLES, type Role } from '../../domain'
import { canPickPersona, listPersonas, signInAs, type Persona } from '../../services/personas'
import { home } from '../../services/nav'
import { useCloud } from '../../hooks/useCloud'
import { Page } from '../../components/Page'
import { Button, Cell, CellGroup } from '../../components/nut'
import { EmptyState, ErrorState, LoadingState, showError } from '../../components/States'

/**
 * Local cloud only: pick one of the demo county's people to act as. In WeChat the person is known from their
 * WeChat identity, so this page just goes home.
 */
export default function SignIn () {
  useEffect(() => {
    if (!canPickPersona) home()
  }, [])
  const personas = useCloud(listPersonas)

  async function pick (p: Persona) {
    try {
      await signInAs(p.openid)
      home()
    } catch (err) {
      showError(err)
    }
  }

  if (!canPickPersona) return <Page><LoadingState text='正在识别微信身份…' /></Page>
  return (
    <Page testId='signin'>
      <View className='title'>雏燕 · 演示县</View>
      <View className='hint'>这是本机演示环境。请选择一个人的身份进入，看看他（她）能用雏燕做什么。</View>
      {personas.loading && <LoadingState />}
      {personas.error && <ErrorState error={personas.error} onRetry={personas.reload} />}
      {personas.data && personas.data.length === 0 && <EmptyState title='还没有演示人员' description='请重新启动本地云（npm start）以载入演示数据' />}
      {personas.data && groupByRole(personas.data).map(([role, people]) => (
        <View key={role}>
          <View className='section-title'>{ROLE_LABELS[role]}</View>
          <CellGroup>
            {people.map((p) => (
              <Cell key={p.openid} title={<Text>{p.name}</Text>} description={p.roles.map((r) => ROLE_LABELS[r.role as Role] ?? r.role).join('、')}
                extra={<Button type='primary' size='small' onClick={() => pick(p)}>进入</Button>}
                onClick={() => pick(p)} data-testid={`persona-${p.openid}`} />
            ))}
          </CellGroup>
        </View>
      ))}
    </Page>
  )
}

/** Each person listed once, under their first role, in the order of the roles (docs/DOMAIN.md, "Roles and scopes"). */
function groupByRole (people: Persona[]): Array<[Role, Persona[]]> {
  const groups = new Map<Role, Persona[]>()
  for (const p of people) {
    const first = ROLES.find((r) => p.roles.some((g) => g.role === r))
    if (!first) continue
    groups.set(first, [...(groups.get(first) ?? []), p])
  }
  return ROLES.filter((r) => groups.has(r)).map((r) => [r, groups.get(r)!])
}
