import { useState } from 'react'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { BookingView } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { go } from '../../../../services/nav'
import { useCloud } from '../../../../hooks/useCloud'
import { useReloadOnShow } from '../../../../hooks/useReloadOnShow'
import { Page } from '../../../../components/Page'
import { Button } from '../../../../components/nut'
import { EmptyState, ErrorState, LoadingState } from '../../../../components/States'
import { BookingCard } from '../../components/BookingCard'
import { MoveBooking } from '../../components/MoveBooking'
import { OfferCard, WaitingCard } from '../../components/WaitingList'
import { StandingCallCard, StandingCallForm, type StandingRule } from '../../components/StandingCall'
import type { ChildOverview } from '../../components/Children'
import '../../hotline.scss'

/** What the page shows: the lists, moving one booking, or setting a child's standing weekly call. */
type Screen = { kind: 'list' } | { kind: 'move', booking: BookingView } | { kind: 'standing', child: ChildOverview, rule?: StandingRule }

const BOOK = '/packages/hotline/pages/book/index'

/**
 * A parent's calls to come (move, cancel), the waiting lists they are on (and a freed slot offered to them), and
 * the standing weekly call of each child.
 */
export default function BookingsPage () {
  const mine = useCloud(() => callCloud('hotline', 'myBookings', {}))
  const overview = useCloud(() => callCloud('hotline', 'overview', {}))
  const [screen, setScreen] = useState<Screen>({ kind: 'list' })
  const reload = () => { mine.reload(); overview.reload() }
  usePullDownRefresh(() => { reload(); Taro.stopPullDownRefresh() })
  // Back from booking: the list may have changed.
  useReloadOnShow(reload)
  const toList = () => setScreen({ kind: 'list' })

  if (screen.kind === 'move') {
    return <MoveBooking booking={screen.booking} onDone={() => { toList(); reload() }} onBack={toList} />
  }
  if (screen.kind === 'standing') {
    return <StandingCallForm child={screen.child} rule={screen.rule} onDone={() => { toList(); reload() }} onBack={toList} />
  }

  if ((mine.loading && !mine.data) || (overview.loading && !overview.data)) return <Page className='hl-root'><LoadingState /></Page>
  if (mine.error) return <Page className='hl-root'><ErrorState error={mine.error} onRetry={reload} /></Page>
  if (overview.error) return <Page className='hl-root'><ErrorState error={overview.error} onRetry={reload} /></Page>
  if (!mine.data || !overview.data) return null
  const { upcoming, waitlist, standing } = mine.data
  const withRoom = overview.data.children.filter((c) => c.room)

  return (
    <Page testId='hotline-bookings' className='hl-root'>
      <View className='title'>我的预约</View>
      {waitlist.filter((w) => w.offer).map((w) => <OfferCard key={w.id} entry={w} onDone={reload} />)}

      <View className='section-title'>接下来的通话</View>
      {upcoming.length === 0
        ? (
          <View>
            <EmptyState title='还没有约好的通话' description='每周至少和孩子通一次话，孩子会很开心。' />
            <View className='big-button'><Button block size='large' type='primary' onClick={() => go(BOOK)}>去约通话</Button></View>
          </View>
          )
        : upcoming.map((b) => <BookingCard key={b.id} booking={b} onMove={() => setScreen({ kind: 'move', booking: b })} onCancelled={reload} />)}

      {waitlist.some((w) => !w.offer) && <View className='section-title'>排队等空位</View>}
      {waitlist.filter((w) => !w.offer).map((w) => <WaitingCard key={w.id} entry={w} onLeft={reload} />)}

      <View className='section-title'>每周固定通话</View>
      {withRoom.length === 0 && <View className='hint'>孩子的学校开通真情关爱室以后，可以在这里设每周固定通话。</View>}
      {withRoom.map((c) => {
        const rule = standing.find((s) => s.childId === c.childId)
        return <StandingCallCard key={c.childId} child={c} rule={rule} onEdit={() => setScreen({ kind: 'standing', child: c, rule })} onRemoved={reload} />
      })}
      <View className='hl-links'>
        <Text className='hl-link' onClick={() => go(BOOK)}>约一次新的通话</Text>
      </View>
    </Page>
  )
}
