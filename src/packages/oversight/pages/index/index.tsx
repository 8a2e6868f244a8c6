import type { PropsWithChildren } from 'react'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { share, type ActionOutput, type OversightList } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { useCloud } from '../../../../hooks/useCloud'
import { dateTimeWords } from '../../../../services/format'
import { go } from '../../../../services/nav'
import { useReloadOnShow } from '../../../../hooks/useReloadOnShow'
import { Page } from '../../../../components/Page'
import { EmptyState, ErrorState, LoadingState } from '../../../../components/States'
import '../../oversight.scss'

const LIST = '/packages/oversight/pages/list/index'

type Figures = ActionOutput<'oversight', 'overview'>
type Tone = 'plain' | 'good' | 'warn' | 'bad'

/**
 * 督导: the admin's county or township at a glance, from the live data. Big figures, each tappable to the list
 * behind it where the viewer's agency may read that list; weekly family calls over 12 weeks as bars; each leader's
 * 五个一; the lists; and how many reads the view took.
 */
export default function Oversight () {
  const view = useCloud(() => callCloud('oversight', 'overview', {}))
  usePullDownRefresh(() => { view.reload(); Taro.stopPullDownRefresh() })
  useReloadOnShow(view.reload)
  const f = view.data

  return (
    <Page testId='oversight' className='ov-root'>
      {view.loading && !f && <LoadingState text='正在统计…' />}
      {view.error && !f && <ErrorState error={view.error} onRetry={view.reload} />}
      {f && <Overview f={f} />}
    </Page>
  )
}

function Overview ({ f }: { f: Figures }) {
  const listed = new Set<OversightList>(f.lists.map((l) => l.key))
  const link = (key: OversightList) => (listed.has(key) ? key : undefined)
  const min = (n: number | undefined) => (n === undefined ? '—' : `${n}`)
  return (
    <View>
      <View className='title' data-testid='scope'>{f.scopeName} · 督导</View>
      <View className='hint'>{f.agencyLabel} · 数据截至 {dateTimeWords(f.at)}</View>

      <Section title='儿童'>
        <Figure value={f.children.registered} label='登记的孩子' sub={`其中留守 ${f.children.leftBehind}`} testId='fig-registered' />
        <Figure value={f.children.withConsent} label='监护人已同意' sub={`占 ${share(f.children.withConsent, f.children.registered)}%`} testId='fig-consent' />
        <Figure value={f.children.heldThisWeek} label='本周和家长通过话' sub={`占留守 ${f.children.heldThisWeekShare}%`} list={link('noCallThisWeek')}
          tone={f.children.heldThisWeekShare < 50 ? 'warn' : 'good'} testId='fig-held-week' />
        <Figure value={f.children.heldLast4Weeks} label='近4周通过话' sub={`占留守 ${share(f.children.heldLast4Weeks, f.children.leftBehind)}%`} list={link('noCall4Weeks')} testId='fig-held-4w' />
      </Section>
      <WeeklyChart weekly={f.weekly} />

      <Section title='结对帮扶'>
        <Figure value={`${f.pairing.coverage}%`} label='结对覆盖' sub={`${f.pairing.active} 对在结对`} list={link('unpaired')} testId='fig-coverage' />
        <Figure value={f.pairing.talksThisMonth} label='本月谈心' sub='每对每月至少一次' list={link('pairingsDue')} testId='fig-talks' />
        <Figure value={f.pairing.visitsThisQuarter} label='本季上门' sub='每对每季至少一次' testId='fig-visits' />
      </Section>

      <Section title='法律援助'>
        <Figure value={f.legalAid.onTime} label='在期限内' sub={`在办 ${f.legalAid.open} 件`} tone='good' testId='fig-la-ontime' />
        <Figure value={f.legalAid.dueSoon} label='快到期' list={link('legalAidDueSoon')} tone={f.legalAid.dueSoon > 0 ? 'warn' : 'plain'} testId='fig-la-duesoon' />
        <Figure value={f.legalAid.late} label='已超时' list={link('legalAidLate')} tone={f.legalAid.late > 0 ? 'bad' : 'plain'} testId='fig-la-late' />
        <Figure value={min(f.legalAid.medianDaysToDecision)} label='作出决定（中位天数）' sub='近一年' testId='fig-la-days' />
      </Section>

      <Section title='心理危机（近90天）'>
        <Figure value={f.crises.last90Days} label='危机求助' testId='fig-crises' />
        <Figure value={min(f.crises.medianAckMinutes)} label='接手（中位分钟）' testId='fig-crisis-ack' />
        <Figure value={f.crises.unacknowledged} label='还没人接手' tone={f.crises.unacknowledged > 0 ? 'bad' : 'plain'} testId='fig-crisis-un' />
      </Section>

      <Section title='强制报告'>
        <Figure value={f.reports.open} label='未办结' list={link('reportsOpen')} tone={f.reports.open > 0 ? 'warn' : 'plain'} testId='fig-reports-open' />
        <Figure value={f.reports.unacknowledged} label='公安还没接收' tone={f.reports.unacknowledged > 0 ? 'bad' : 'plain'} testId='fig-reports-un' />
        <Figure value={min(f.reports.medianAckMinutes)} label='接收（中位分钟）' testId='fig-reports-ack' />
      </Section>

      <Section title='志愿者审查'>
        <Figure value={f.volunteers.vettingExpiringSoon} label='一个月内到期' list={link('vettingExpiring')} tone={f.volunteers.vettingExpiringSoon > 0 ? 'warn' : 'plain'} testId='fig-vet-soon' />
        <Figure value={f.volunteers.vettingExpired} label='已过期' sub='过期不能结对' tone={f.volunteers.vettingExpired > 0 ? 'bad' : 'plain'} testId='fig-vet-expired' />
      </Section>

      <View className='section-title'>领导干部“五个一”</View>
      {f.leaders.length === 0 && <EmptyState title='还没有领导干部' description='领导干部登记为志愿者后，会在这里显示“五个一”的完成情况。' />}
      {f.leaders.map((l, i) => (
        <View key={`${l.name}-${i}`} className='ov-card' data-testid='leader'>
          <View className='ov-card__name'>{l.name}</View>
          <View className='ov-duties'>
            {l.items.map((d) => (
              <View key={d.item} className={d.done ? 'ov-duty ov-duty--done' : 'ov-duty'} data-testid={`duty-${d.item}`}>
                {d.done ? '✓ ' : ''}{d.label}<Text className='ov-duty__state'>{d.done ? '已完成' : '待完成'}</Text>
              </View>
            ))}
          </View>
        </View>
      ))}

      <View className='section-title'>名单</View>
      {f.lists.length === 0 && <EmptyState title='没有可查看的名单' description='您的部门在这里没有可查看的名单。' />}
      {f.lists.length > 0 && (
        <View className='ov-card ov-card--flush'>
          {f.lists.map((l) => (
            <View key={l.key} className='ov-row' data-testid={`list-${l.key}`} onClick={() => go(`${LIST}?key=${l.key}`)}>
              <View className='ov-row__label'>{l.label}</View>
              <View className={l.count > 0 ? 'ov-row__count ov-row__count--some' : 'ov-row__count'}>{l.count}</View>
              <View className='ov-row__go'>›</View>
            </View>
          ))}
        </View>
      )}

    </View>
  )
}

function Section ({ title, children }: PropsWithChildren<{ title: string }>) {
  return (
    <View>
      <View className='section-title'>{title}</View>
      <View className='ov-grid'>{children}</View>
    </View>
  )
}

/** One big figure; tapping it opens the list behind it when there is one the viewer may read. */
function Figure ({ value, label, sub, list, tone = 'plain', testId }: {
  value: number | string, label: string, sub?: string, list?: OversightList, tone?: Tone, testId: string
}) {
  return (
    <View className={`ov-fig ov-fig--${tone}${list ? ' ov-fig--tap' : ''}`} data-testid={testId}
      onClick={list ? () => go(`${LIST}?key=${list}`) : undefined}>
      <View className='ov-fig__value' data-testid={`${testId}-value`}>{value}</View>
      <View className='ov-fig__label'>{label}</View>
      {sub && <View className='ov-fig__sub'>{sub}</View>}
      {list && <View className='ov-fig__more'>看名单 ›</View>}
    </View>
  )
}

/**
 * Held family calls per week over the last 12 weeks, as bars on a 0–100% scale of the left-behind children (the
 * goal is every child every week), the count above each bar and the week's Monday under every other one.
 */
function WeeklyChart ({ weekly }: { weekly: Figures['weekly'] }) {
  const total = weekly.reduce((t, w) => t + w.held, 0)
  return (
    <View className='ov-card' data-testid='weekly-chart'>
      <View className='ov-chart__title'>近12周每周通话的孩子</View>
      <View className='ov-chart__sub'>柱高是占留守儿童的比例，柱上是人数</View>
      <View className='ov-chart'>
        {weekly.map((w, i) => {
          const last = i === weekly.length - 1
          const [, m, d] = w.weekStart.split('-').map(Number)
          return (
            <View key={w.weekKey} className='ov-chart__col' data-testid='week-bar'>
              <View className='ov-chart__n'>{w.held}</View>
              <View className='ov-chart__track'>
                <View className={last ? 'ov-chart__bar ov-chart__bar--now' : 'ov-chart__bar'}
                  style={{ height: `${w.held > 0 ? Math.max(2, Math.min(100, w.share)) : 0}%` }} />
              </View>
              <View className='ov-chart__x'>{last ? '本周' : i % 2 === 1 ? '' : `${m}/${d}`}</View>
            </View>
          )
        })}
      </View>
      {total === 0 && <View className='ov-chart__sub'>近12周还没有记录到通话</View>}
    </View>
  )
}
