import { useEffect, useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { callCloud } from '../../services/cloud'
import { canPickPersona } from '../../services/personas'
import { go, replace, tab } from '../../services/nav'
import { refreshUnread } from '../../services/inbox'
import { useCloud } from '../../hooks/useCloud'
import { useReloadOnShow } from '../../hooks/useReloadOnShow'
import { Page } from '../../components/Page'
import { Button, Cell, CellGroup, Tag } from '../../components/nut'
import { EmptyState, ErrorState, LoadingState } from '../../components/States'
import { Notice } from '../../components/Notice'
import { STAFF_ROLES, type Agency, type Role, type WhoAmI } from '../../domain'
import { CrisisWaiting } from './CrisisWaiting'

const ASKERS: Role[] = ['child', 'parent', 'guardian', 'teacher', 'volunteer']
const REPORTERS: Role[] = ['teacher', 'volunteer', 'counselor', 'childWelfareOfficer', 'parent', 'guardian', 'admin', 'lawyer', 'legalAidOfficer']

/** Every area a role opens, in the order a person of that role most needs them. */
const ENTRIES: Array<{ label: string, url: string, roles: Role[], primaryFor?: Role[], testId: string, leaderOnly?: boolean, agency?: Agency }> = [
  { label: '约和孩子通话（亲情热线）', url: '/packages/hotline/pages/book/index', roles: ['parent', 'guardian'], primaryFor: ['parent'], testId: 'entry-hotline' },
  { label: '我的通话预约', url: '/packages/hotline/pages/bookings/index', roles: ['parent', 'guardian'], testId: 'entry-bookings' },
  { label: '记下打到家里的电话', url: '/packages/hotline/pages/direct/index', roles: ['parent'], testId: 'entry-direct' },
  { label: '确认孩子爸妈打来的电话', url: '/packages/hotline/pages/confirm/index', roles: ['guardian'], testId: 'entry-confirm' },
  { label: '今天的通话安排（关爱室）', url: '/packages/hotline/pages/sheet/index', roles: ['teacher'], primaryFor: ['teacher'], testId: 'entry-sheet' },
  { label: '关爱室开放设置', url: '/packages/hotline/pages/room/index', roles: ['teacher'], testId: 'entry-room' },
  { label: '儿童档案', url: '/packages/registry/pages/list/index', roles: ['teacher', 'childWelfareOfficer', 'admin'], primaryFor: ['childWelfareOfficer'], testId: 'entry-registry' },
  { label: '心理求助队列', url: '/packages/counseling/pages/queue/index', roles: ['counselor'], primaryFor: ['counselor'], testId: 'entry-counsel-queue' },
  { label: '值班表和我的时间', url: '/packages/counseling/pages/roster/index', roles: ['counselor'], testId: 'entry-roster' },
  { label: '法律援助申请（中心）', url: '/packages/legalaid/pages/queue/index', roles: ['legalAidOfficer'], primaryFor: ['legalAidOfficer'], testId: 'entry-la-queue' },
  { label: '我承办的法律援助案件', url: '/packages/legalaid/pages/cases/index', roles: ['lawyer'], primaryFor: ['lawyer'], testId: 'entry-la-cases' },
  { label: '我的专长和利益冲突', url: '/packages/legalaid/pages/lawyer/index', roles: ['lawyer'], testId: 'entry-la-profile' },
  { label: '本中心律师', url: '/packages/legalaid/pages/lawyers/index', roles: ['legalAidOfficer'], testId: 'entry-la-lawyers' },
  { label: '强制报告（待处理）', url: '/packages/safeguard/pages/queue/index', roles: ['police', 'admin'], primaryFor: ['police'], testId: 'entry-report-queue' },
  { label: '督导数据', url: '/packages/oversight/pages/index/index', roles: ['admin'], primaryFor: ['admin'], testId: 'entry-oversight' },
  { label: '结对邀请', url: '/packages/pairing/pages/offers/index', roles: ['volunteer'], primaryFor: ['volunteer'], testId: 'entry-offers' },
  { label: '我结对的孩子', url: '/packages/pairing/pages/pairing/index', roles: ['volunteer'], testId: 'entry-pairings' },
  { label: '我的志愿者登记和审查', url: '/packages/pairing/pages/profile/index', roles: ['volunteer'], testId: 'entry-vol-profile' },
  { label: '“五个一”记录', url: '/packages/oversight/pages/duties/index', roles: ['volunteer'], testId: 'entry-duties', leaderOnly: true },
  { label: '志愿者审查', url: '/packages/pairing/pages/volunteers/index', roles: ['admin'], testId: 'entry-volunteers' },
  { label: '结对匹配', url: '/packages/pairing/pages/matching/index', roles: ['admin'], testId: 'entry-matching' },
  { label: '结对情况', url: '/packages/pairing/pages/area/index', roles: ['admin', 'childWelfareOfficer'], testId: 'entry-area-pairings' },
  { label: '找人聊聊（心理援助）', url: '/packages/counseling/pages/ask/index', roles: ASKERS, primaryFor: ['child'], testId: 'entry-counsel' },
  { label: '我的心理求助', url: '/packages/counseling/pages/mine/index', roles: ASKERS, testId: 'entry-counsel-mine' },
  { label: '申请法律援助', url: '/packages/legalaid/pages/apply/index', roles: ['guardian', 'parent', 'childWelfareOfficer'], primaryFor: ['guardian'], testId: 'entry-legalaid' },
  { label: '我的法律援助申请', url: '/packages/legalaid/pages/mine/index', roles: ['guardian', 'parent', 'childWelfareOfficer'], testId: 'entry-la-mine' },
  { label: '孩子的爱心志愿者', url: '/packages/pairing/pages/family/index', roles: ['guardian', 'parent'], testId: 'entry-family-volunteer' },
  { label: '报告孩子受到伤害（强制报告）', url: '/packages/safeguard/pages/report/index', roles: REPORTERS, testId: 'entry-report' },
  { label: '我提交的报告', url: '/packages/safeguard/pages/mine/index', roles: REPORTERS, testId: 'entry-report-mine' },
  { label: '邀请工作人员', url: '/packages/admin/pages/staff/index', roles: ['admin'], testId: 'entry-staff' },
  { label: '查看访问记录', url: '/packages/admin/pages/access-log/index', roles: ['admin'], testId: 'entry-access-log' },
  { label: '删除孩子信息的申请', url: '/packages/admin/pages/deletions/index', roles: ['admin'], testId: 'entry-deletions', agency: 'civilAffairs' },
  { label: '卡住的法律援助申请（司法局）', url: '/packages/legalaid/pages/stuck/index', roles: ['admin'], testId: 'entry-la-stuck', agency: 'justice' },
  { label: '节假日安排', url: '/packages/admin/pages/holidays/index', roles: ['admin'], testId: 'entry-holidays' }
]

/** A large button to one area of the app. */
function Entry ({ label, url, primary, testId, isTab }: { label: string, url: string, primary?: boolean, testId: string, isTab?: boolean }) {
  return (
    <View className='big-button'>
      <Button block size='large' type={primary ? 'primary' : 'default'} data-testid={testId} onClick={() => (isTab ? tab(url) : go(url))}>{label}</Button>
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
  useReloadOnShow(me.reload)

  useEffect(() => {
    if (me.error?.code === 'UNAUTHENTICATED' && canPickPersona) replace('/pages/signin/index')
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
      <Entry label='报名当爱心志愿者' url='/packages/pairing/pages/register/index' testId='entry-volunteer-register' />
    </View>
  )
}

/**
 * For staff and volunteers: a small card when an alert of their duty can no longer reach them (no allow left), and
 * for a supervisor when someone on their roster cannot be reached at all; both open 接收提醒.
 */
function AlertsCard () {
  const s = useCloud(() => callCloud('account', 'alertSettings', {}))
  useReloadOnShow(s.reload)
  if (!s.data) return null
  const missing = s.data.alerts.filter((a) => !a.longTerm && a.remaining <= 0)
  const unreachable = s.data.team.flatMap((t) => t.people.filter((p) => p.unreachable).map((p) => p.name))
  if (missing.length === 0 && unreachable.length === 0) return null
  return (
    <View data-testid='alerts-warning' onClick={() => go('/packages/settings/pages/alerts/index')}>
      <Notice tone='danger'>
        {missing.length > 0 && <View>有 {missing.length} 种提醒收不到了：{missing.map((a) => a.label).join('、')}{s.data.phone ? '（急事还会发短信）' : ''}。</View>}
        {unreachable.length > 0 && <View>值班的{unreachable.join('、')}收不到提醒。</View>}
        <View>点这里去「接收提醒」开通 ›</View>
      </Notice>
    </View>
  )
}

function Registered ({ me }: { me: Extract<WhoAmI, { registered: true }> }) {
  const active = new Set<Role>(me.roles.filter((r) => r.status === 'active').map((r) => r.role))
  const has = (...roles: Role[]) => roles.some((r) => active.has(r))
  const [unread, setUnread] = useState(0)
  useDidShow(() => { refreshUnread().then(setUnread, () => undefined) })
  useEffect(() => { refreshUnread().then(setUnread, () => undefined) }, [])
  const onDuty = STAFF_ROLES.some((r) => active.has(r)) || active.has('volunteer')
  const family = me.roles.some((r) => r.role === 'parent' || r.role === 'guardian')
  const leader = me.roles.some((r) => r.invitedLeader && r.status === 'active')
  const noChildren = family && me.children.length === 0
  const ofAgency = (agency: Agency) => me.roles.some((r) => r.role === 'admin' && r.agency === agency && r.status === 'active')
  const entries = ENTRIES.filter((e) => has(...e.roles) && (!e.leaderOnly || leader) && (!e.agency || ofAgency(e.agency)))
  return (
    <View>
      <View className='title' data-testid='my-name'>{me.name}，您好</View>
      {active.has('counselor') && <CrisisWaiting />}
      {onDuty && <AlertsCard />}
      <Entry label={unread > 0 ? `消息（${unread}条未读）` : '消息'} url='/pages/inbox/index' primary={unread > 0} testId='entry-inbox' isTab />
      <View>
        {entries.map((e) => {
          // Calls home waiting for a guardian's word: said on the button, which stands out until they are answered.
          const waiting = e.testId === 'entry-confirm' ? me.callsToConfirm ?? 0 : 0
          return <Entry key={e.testId} label={waiting > 0 ? `${e.label}（${waiting}个等您确认）` : e.label} url={e.url}
            primary={waiting > 0 || Boolean(e.primaryFor?.some((r) => active.has(r)))} testId={e.testId} />
        })}
      </View>
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
      {(family || !has('teacher', 'counselor', 'lawyer', 'legalAidOfficer', 'police', 'childWelfareOfficer', 'admin')) && (
        <Entry label={family && !noChildren ? '再绑定一个孩子' : '绑定孩子（我有绑定码）'} url='/packages/join/pages/bind/index' primary={noChildren} testId='entry-bind' />
      )}
      {!active.has('volunteer') && <Entry label='报名当爱心志愿者' url='/packages/pairing/pages/register/index' testId='entry-volunteer-register' />}
      {onDuty && <Entry label='接收提醒（微信提醒和短信）' url='/packages/settings/pages/alerts/index' testId='entry-alerts' />}
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
