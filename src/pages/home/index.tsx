import { useEffect, useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { callCloud } from '../../services/cloud'
import { canPickPersona } from '../../services/personas'
import { call, go, replace, tab } from '../../services/nav'
import { dayTimeWords, whenWords } from '../../services/format'
import { refreshUnread } from '../../services/inbox'
import { useCloud } from '../../hooks/useCloud'
import { useReloadOnShow } from '../../hooks/useReloadOnShow'
import { useLargeText } from '../../hooks/useLargeText'
import { Page } from '../../components/Page'
import { Button, Cell, CellGroup } from '../../components/nut'
import { EmptyState, ErrorState, LoadingState } from '../../components/States'
import { Notice } from '../../components/Notice'
import { HELP_NUMBERS, STAFF_ROLES, type Agency, type HomeCard, type Role, type WhoAmI } from '../../domain'
import { CrisisWaiting } from './CrisisWaiting'
import { isRare, SERVICES } from './services'
import './home.scss'

type Me = Extract<WhoAmI, { registered: true }>

/**
 * Home: first what is next and what waits for me (cards), then the services my roles open as a grid of icons, the
 * seldom used ones under 「更多」. A child's home speaks to the child.
 */
export default function Home () {
  const me = useCloud(() => callCloud('account', 'whoami', {}))
  usePullDownRefresh(() => { me.reload(); Taro.stopPullDownRefresh() })
  // Back from binding a child, accepting an invitation or a consent: who I am may have changed.
  useReloadOnShow(me.reload)

  useEffect(() => {
    if (me.error?.code === 'UNAUTHENTICATED' && canPickPersona) replace('/pages/signin/index')
  }, [me.error])

  const onlyChild = me.data?.registered === true && me.data.roles.every((r) => r.role === 'child')
  return (
    <Page testId='home'>
      {me.loading && !me.data && <LoadingState />}
      {me.error && me.error.code !== 'UNAUTHENTICATED' && <ErrorState error={me.error} onRetry={me.reload} />}
      {me.data && !me.data.registered && <NotRegistered />}
      {me.data && me.data.registered && (onlyChild ? <ChildHome me={me.data} /> : <Registered me={me.data} />)}
    </Page>
  )
}

/** One big button, for the few places a home still needs one (not registered, the child's home). */
function Entry ({ label, url, primary, testId }: { label: string, url: string, primary?: boolean, testId: string }) {
  return (
    <View className='big-button'>
      <Button block size='large' type={primary ? 'primary' : 'default'} data-testid={testId} onClick={() => go(url)}>{label}</Button>
    </View>
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

/** A child is called by their given name: 王小雨 -> 小雨. */
function givenName (name: string): string {
  return name.length >= 3 ? name.slice(1) : name
}

/** A child's home: their next call home, someone to talk to, and the numbers to call in danger. */
function ChildHome ({ me }: { me: Me }) {
  const cards = useCloud(() => callCloud('account', 'home', {}))
  useReloadOnShow(cards.reload)
  const calls = (cards.data?.cards ?? []).filter((c): c is Extract<HomeCard, { kind: 'nextCall' }> => c.kind === 'nextCall')
  return (
    <View>
      <View className='title' data-testid='my-name'>你好，{givenName(me.name)}</View>
      {cards.loading && !cards.data && <LoadingState />}
      {calls.map((c) => (
        <View key={c.childId} className='home-card home-card--orange' data-testid='home-card'>
          <View className='home-card__title'>下次和爸爸妈妈通话</View>
          <View className='home-card__line'>{dayTimeWords(c.start)}</View>
          <View className='home-card__line'>在{c.placeName}</View>
        </View>
      ))}
      {cards.data && calls.length === 0 && (
        <View className='home-card home-card--grey' data-testid='home-card'>
          <View className='home-card__title'>还没有约好下次通话</View>
          <View className='home-card__line'>爸爸妈妈约好以后，这里会告诉你。</View>
        </View>
      )}
      <Entry label='找人聊聊' url='/packages/counseling/pages/ask/index' primary testId='entry-counsel' />
      <Entry label='我找过的人' url='/packages/counseling/pages/mine/index' testId='entry-counsel-mine' />
      <View className='section-title'>有危险或害怕时，马上打电话</View>
      <CellGroup>
        {HELP_NUMBERS.filter((h) => h.number === '110' || h.number === '12355').map((h) => (
          // NutUI's Cell drops a test id: the row is wrapped to carry it.
          <View key={h.number} data-testid='help-number'>
            <Cell title={`${h.name} ${h.number}`} description={h.purpose}
              extra={<Button type={h.number === '110' ? 'danger' : 'primary'} size='small' onClick={() => call(h.number)}>拨打</Button>} />
          </View>
        ))}
      </CellGroup>
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

interface CardView { key: string, tone: 'red' | 'orange' | 'green' | 'blue' | 'grey', title: string, lines: string[], url?: string }

const DEADLINE_AREAS: Record<Extract<HomeCard, { kind: 'deadlines' }>['area'], { what: string, none: string, url: string }> = {
  legalAid: { what: '法律援助申请等中心处理', none: '没有等中心处理的法律援助申请', url: '/packages/legalaid/pages/queue/index' },
  lawyerCases: { what: '法律援助案件等您接案', none: '没有等您接的案件', url: '/packages/legalaid/pages/cases/index' },
  reports: { what: '强制报告等您接收', none: '没有等您接收的强制报告', url: '/packages/safeguard/pages/queue/index' },
  stuckLegalAid: { what: '法律援助申请超时了', none: '没有超时的法律援助申请', url: '/packages/legalaid/pages/stuck/index' },
  deletions: { what: '删除孩子信息的申请等您办理', none: '没有等您办理的删除申请', url: '/packages/admin/pages/deletions/index' }
}

/** What one card says and where it leads. */
function cardView (c: HomeCard, manyChildren: boolean): CardView {
  switch (c.kind) {
    case 'nextCall':
      return { key: `call-${c.childId}`, tone: 'orange', title: manyChildren ? `下次和${c.childName}通话` : '下次通话', lines: [`${dayTimeWords(c.start)} ${c.placeName}`], url: '/packages/hotline/pages/bookings/index' }
    case 'waitOffer':
      return { key: `offer-${c.entryId}`, tone: 'red', title: `有空位了：${dayTimeWords(c.start)}`, lines: [`${c.childName}的通话，请在${whenWords(c.expiresAt)}前确认`], url: '/packages/hotline/pages/bookings/index' }
    case 'noCallThisWeek':
      return { key: `nudge-${c.childId}`, tone: 'blue', title: `这周还没和${c.childName}通话`, lines: ['孩子在等您的电话，约个时间吧'], url: '/packages/hotline/pages/book/index' }
    case 'parentsNotBooked':
      return { key: `unbooked-${c.childId}`, tone: 'blue', title: `${givenName(c.childName)}的爸爸妈妈还没约这周的通话`, lines: ['给他们打个电话，提醒他们约个时间', '说好了时间，您也可以帮他们约'], url: `/packages/hotline/pages/book/index?childId=${encodeURIComponent(c.childId)}` }
    case 'callsToConfirm':
      return { key: 'confirm', tone: 'red', title: `${c.count}个电话等您确认`, lines: ['孩子爸妈说打过电话回家，请确认一下'], url: '/packages/hotline/pages/confirm/index' }
    case 'legalAid':
      return { key: `la-${c.requestId}`, tone: 'blue', title: `法律援助（${c.childName}）`, lines: [c.stateLabel, `申请编号 ${c.reference}`], url: `/packages/legalaid/pages/request/index?id=${encodeURIComponent(c.requestId)}` }
    case 'pairingOffers':
      return { key: 'pairing-offers', tone: 'red', title: `${c.count}个结对邀请等您回复`, lines: ['看看孩子的情况，再决定'], url: '/packages/pairing/pages/offers/index' }
    case 'contactDue': {
      const owed = [c.talk ? '这个月的谈心' : '', c.visit ? '这个季度的家访' : ''].filter(Boolean).join('和')
      return { key: `due-${c.pairingId}`, tone: 'orange', title: `${c.childName}：还差${owed}`, lines: [`${c.talk ? `谈心在${whenWords(c.monthEndsAt)}前` : `家访在${whenWords(c.quarterEndsAt)}前`}`], url: '/packages/pairing/pages/pairing/index' }
    }
    case 'daySheet':
      return { key: 'sheet', tone: c.calls > 0 ? 'orange' : 'grey', title: c.calls > 0 ? `今天有 ${c.calls} 个通话` : '今天没有约好的通话', lines: [c.calls > 0 ? '看看谁几点来，到时候帮孩子接通' : '有家长预约时，这里会显示'], url: '/packages/hotline/pages/sheet/index' }
    case 'counselQueue':
      return { key: 'counsel', tone: c.open > 0 ? 'orange' : 'grey', title: c.open > 0 ? `队列里有 ${c.open} 件求助等您处理` : '队列里没有别的求助', lines: ['紧急求助会在最上面提醒您'], url: '/packages/counseling/pages/queue/index' }
    case 'deadlines': {
      const area = DEADLINE_AREAS[c.area]
      const lines = [c.late > 0 ? `${c.late} 件已经超时` : '', c.soon > 0 ? `${c.soon} 件快到期了` : ''].filter(Boolean)
      return {
        key: `deadlines-${c.area}`,
        tone: c.late > 0 ? 'red' : c.soon > 0 ? 'orange' : c.waiting > 0 ? 'blue' : 'grey',
        title: c.waiting > 0 ? `${c.waiting} 件${area.what}` : area.none,
        lines: lines.length > 0 ? lines : c.waiting > 0 ? ['都还没到期限'] : ['有新的会提醒您'],
        url: area.url
      }
    }
  }
}

/** A card's words, the last two characters held together (with the › after them): a wrapped line never ends on one alone. */
function Words ({ text, more }: { text: string, more?: boolean }) {
  const chars = Array.from(text) // a rare character of a name is two code units: never split
  return <>{chars.slice(0, -2).join('')}<Text className='home-card__tail'>{chars.slice(-2).join('')}{more && <Text className='home-card__more'> ›</Text>}</Text></>
}

function Cards ({ manyChildren }: { manyChildren: boolean }) {
  const cards = useCloud(() => callCloud('account', 'home', {}))
  useReloadOnShow(cards.reload)
  if (cards.error) return <ErrorState error={cards.error} onRetry={cards.reload} />
  if (!cards.data) return cards.loading ? <LoadingState /> : null
  return (
    <View data-testid='home-cards'>
      {cards.data.cards.map((c) => cardView(c, manyChildren)).map((v) => (
        <View key={v.key} className={`home-card home-card--${v.tone}`} data-testid='home-card' onClick={() => v.url && go(v.url)} hoverClass={v.url ? 'home-card--pressed' : 'none'}>
          <View className='home-card__title'><Words text={v.title} more={Boolean(v.url)} /></View>
          {v.lines.map((l, i) => <View key={i} className='home-card__line'><Words text={l} /></View>)}
        </View>
      ))}
    </View>
  )
}

function ServiceTile ({ label, glyph, tone, testId, badge, onClick }: { label: string, glyph: string, tone: string, testId: string, badge?: number, onClick: () => void }) {
  return (
    <View className='home-service' data-testid={testId} onClick={onClick} hoverClass='home-service--pressed'>
      <View className={`home-service__icon home-service__icon--${tone}`}>
        <Text>{glyph}</Text>
        {badge !== undefined && badge > 0 && <Text className='home-service__badge' data-testid='unread-badge'>{badge}</Text>}
      </View>
      <Text className='home-service__label'>{label}</Text>
    </View>
  )
}

function Registered ({ me }: { me: Me }) {
  const [large] = useLargeText()
  const active = new Set<Role>(me.roles.filter((r) => r.status === 'active').map((r) => r.role))
  const has = (...roles: Role[]) => roles.some((r) => active.has(r))
  const [unread, setUnread] = useState(0)
  const [more, setMore] = useState(false)
  useDidShow(() => { refreshUnread().then(setUnread, () => undefined) })
  useEffect(() => { refreshUnread().then(setUnread, () => undefined) }, [])
  const onDuty = STAFF_ROLES.some((r) => active.has(r)) || active.has('volunteer')
  const family = has('parent', 'guardian')
  const leader = me.roles.some((r) => r.invitedLeader && r.status === 'active')
  const noChildren = family && me.children.length === 0
  const ofAgency = (agency: Agency) => me.roles.some((r) => r.role === 'admin' && r.agency === agency && r.status === 'active')
  const services = SERVICES.filter((e) => has(...e.roles) && (!e.leaderOnly || leader) && (!e.agency || ofAgency(e.agency)))
  const staff = has('teacher', 'counselor', 'lawyer', 'legalAidOfficer', 'police', 'childWelfareOfficer', 'admin')
  // Binding a child is for families; signing up to volunteer is not for children, the police, lawyers or admins.
  const canBind = family || !staff
  const canVolunteer = !has('volunteer', 'child', 'police', 'lawyer', 'admin')
  const columns = large ? 2 : 3
  const main = services.filter((s) => !isRare(s, active))
  const rare = services.filter((s) => isRare(s, active))
  return (
    <View>
      <View className='title' data-testid='my-name'>{me.name}，您好</View>
      {active.has('counselor') && <CrisisWaiting />}
      {onDuty && <AlertsCard />}
      {noChildren && (
        <View className='home-card home-card--red' data-testid='home-card' onClick={() => go('/packages/join/pages/bind/index')} hoverClass='home-card--pressed'>
          <View className='home-card__title'>先绑定您的孩子 ›</View>
          <View className='home-card__line'>请向儿童主任或班主任要绑定码</View>
        </View>
      )}
      <Cards manyChildren={me.children.length > 1} />
      <View className='section-title'>办事</View>
      <View className={`home-grid home-grid--${columns}`}>
        <ServiceTile label='消息' glyph='信' tone='orange' testId='entry-inbox' badge={unread} onClick={() => tab('/pages/inbox/index')} />
        {main.map((s) => <ServiceTile key={s.testId} label={s.label} glyph={s.glyph} tone={s.tone} testId={s.testId} onClick={() => go(s.url)} />)}
        {onDuty && <ServiceTile label='接收提醒' glyph='铃' tone='teal' testId='entry-alerts' onClick={() => go('/packages/settings/pages/alerts/index')} />}
        {!more && (rare.length > 0 || canBind || canVolunteer) && (
          <ServiceTile label='更多' glyph='…' tone='grey' testId='entry-more' onClick={() => setMore(true)} />
        )}
      </View>
      {more && (
        <View data-testid='more-services'>
          <View className='section-title'>更多</View>
          <View className={`home-grid home-grid--${columns}`}>
            {rare.map((s) => <ServiceTile key={s.testId} label={s.label} glyph={s.glyph} tone={s.tone} testId={s.testId} onClick={() => go(s.url)} />)}
            {canBind && <ServiceTile label={family && !noChildren ? '再绑定孩子' : '绑定孩子'} glyph='绑' tone='green' testId='entry-bind' onClick={() => go('/packages/join/pages/bind/index')} />}
            {canVolunteer && <ServiceTile label='当志愿者' glyph='志' tone='red' testId='entry-volunteer-register' onClick={() => go('/packages/pairing/pages/register/index')} />}
          </View>
        </View>
      )}
      {family && me.children.length > 0 && (
        <View>
          <View className='section-title'>我的孩子</View>
          <CellGroup>
            {me.children.map((c) => (
              <Cell key={c.id} data-testid='my-child' title={<Text>{c.name}（{c.age}岁）</Text>} extra='›'
                description={<Text>{`${c.schoolName} ${c.className} · `}<Text style={{ whiteSpace: 'nowrap' }}>{`我是${c.relationLabel}`}</Text></Text>}
                onClick={() => go(`/packages/registry/pages/child/index?id=${encodeURIComponent(c.id)}`)} />
            ))}
          </CellGroup>
        </View>
      )}
    </View>
  )
}
