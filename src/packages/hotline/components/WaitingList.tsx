import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import type { z } from 'zod'
import { callTimeLabel, type CallMode, type WaitlistView } from '../../../domain'
import { callCloud, isNetworkError } from '../../../services/cloud'
import { askForReminders } from '../../../services/subscriptions'
import { dayWords, dueWords } from '../../../services/format'
import { Button } from '../../../components/nut'
import { ProblemBox, messageOf, showDone, showError } from '../../../components/States'
import { ModeChoice } from './choices'

type WaitingEntry = z.infer<typeof WaitlistView>

/** A day the family waits on for a freed slot, with their place in the queue. */
export function WaitingCard ({ entry: w, onLeft }: { entry: WaitingEntry, onLeft: () => void }) {
  async function leave () {
    try {
      await callCloud('hotline', 'leaveWaitlist', { entryId: w.id })
      showDone('已不再排队')
    } catch (err) {
      showError(err, { oneField: true })
    }
    onLeft()
  }
  return (
    <View className='hl-card' data-testid='waiting'>
      <View className='hl-row'>
        <Text className='hl-name'>{dayWords(w.date)}</Text>
        <Text className='hl-week hl-week--booked'>排第{w.position}位</Text>
      </View>
      <View className='hl-sub'>{w.childName} · 有人取消时，轮到您会发微信提醒</View>
      <View className='hl-buttons'><Button size='large' onClick={leave}>不排了</Button></View>
    </View>
  )
}

/** A freed slot held for this family for a short while: one big button takes it. */
export function OfferCard ({ entry: w, onDone }: { entry: WaitingEntry, onDone: () => void }) {
  const [mode, setMode] = useState<CallMode>('video')
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<string | undefined>()
  const offer = w.offer!
  async function accept () {
    if (saving) return
    const asked = askForReminders(['callReminder']) // on the tap, as WeChat requires
    setSaving(true)
    await asked
    try {
      const res = await callCloud('hotline', 'acceptOffer', { entryId: w.id, mode })
      if (res.outcome === 'booked') { showDone('约好了'); onDone() } else setProblem(res.message)
    } catch (err) {
      setProblem(messageOf(err, { oneField: true }))
      if (!isNetworkError(err)) onDone()
    } finally {
      setSaving(false)
    }
  }
  async function decline () {
    try { await callCloud('hotline', 'leaveWaitlist', { entryId: w.id }) } catch (err) { showError(err, { oneField: true }) }
    onDone()
  }
  return (
    <View className='hl-card hl-card--offer' data-testid='offer'>
      <View className='hl-offer__title'>有空位了！</View>
      <View className='hl-name'>{callTimeLabel(offer.start)}</View>
      <View className='hl-sub'>和{w.childName}。请在{dueWords(offer.expiresAt)}前确认，过时让给下一位。</View>
      <ModeChoice value={mode} onChange={setMode} />
      <ProblemBox message={problem} testId='problem' />
      <View className='big-button'><Button block size='large' type='primary' loading={saving} onClick={accept}>确认这个空位</Button></View>
      <Text className='hl-link' onClick={decline}>不要了，让给别人</Text>
    </View>
  )
}
