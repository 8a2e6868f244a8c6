/** A crisis as the counsellor works it, on the queue and on its case page: take it, call back, read what she said. */
import { useState, type PropsWithChildren } from 'react'
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { z } from 'zod'
import type { QueueItem } from '../../../domain'
import { callCloud } from '../../../services/cloud'
import { now } from '../../../services/clock'
import { whenWords } from '../../../services/format'
import { Button } from '../../../components/nut'
import { ProblemBox, messageOf } from '../../../components/States'
import { ContactList } from './Buttons'
import { UrgencyTag } from './Tags'

type Item = z.infer<typeof QueueItem>

/** Minutes since a request was raised, as a tired eye reads them. */
export function waitedWords (createdAt: Date): string {
  const minutes = Math.max(0, Math.floor((now().getTime() - new Date(createdAt).getTime()) / 60000))
  if (minutes < 1) return '刚刚'
  if (minutes < 60) return `${minutes} 分钟前`
  return whenWords(createdAt)
}

/** Who she is and who asked. */
export function Who ({ item }: { item: Item }) {
  return (
    <View>
      <View className='cs-card__line'>{item.childAge}岁{item.schoolName ? ` · ${item.schoolName}` : ''}</View>
      <View className='cs-small'>{waitedWords(item.createdAt)} · {item.requesterName}{item.requesterRoleLabel ? `（${item.requesterRoleLabel}）` : ''}求助</View>
    </View>
  )
}

/** What was answered, in words, and why it is urgent. */
export function Said ({ item }: { item: Item }) {
  return (
    <View data-testid='said'>
      {item.reasons.length > 0 && (
        <View className='cs-reasons'>
          {item.reasons.map((r) => <View key={r} className='cs-reason'>· {r}</View>)}
        </View>
      )}
      {item.answers.length > 0 && (
        <View className='cs-words' data-testid='answers'>
          {item.answers.filter((a) => !a.startsWith('孩子的话：')).map((a) => <View key={a}>{a}</View>)}
        </View>
      )}
      {item.words && <View className='cs-words' data-testid='words'>“{item.words}”</View>}
    </View>
  )
}

/** 我来处理: the first press owns the crisis; a later one learns who has it. */
function Take ({ item, onChanged }: { item: Item, onChanged: () => void }) {
  const [saving, setSaving] = useState(false)
  const [failure, setFailure] = useState<string>()
  async function take () {
    // No subscription dialog here: nothing may stand between a counsellor and a child in crisis (the home's warning
    // card and 接收提醒 ask for allows instead).
    setSaving(true)
    setFailure(undefined)
    try {
      const res = await callCloud('counseling', 'acknowledge', { requestId: item.id })
      Taro.showToast({ title: `${res.by}已接手，请马上打电话`, icon: 'none', duration: 3000 })
      onChanged()
    } catch (err) {
      setFailure(messageOf(err))
    } finally {
      setSaving(false)
    }
  }
  return (
    <View className='cs-card__actions'>
      <Button block size='large' type='danger' loading={saving} disabled={saving} onClick={take} data-testid='take'>我来处理</Button>
      <ProblemBox message={failure} />
    </View>
  )
}

/**
 * The crisis card: the child, 我来处理 (or who took it), every number to call her back with one tap (flagged when
 * the home is pointed at), what she said, and who was alerted.
 */
export function CrisisCard ({ item, onChanged, children }: PropsWithChildren<{ item: Item, onChanged: () => void }>) {
  const c = item.crisis
  return (
    <View className='cs-card cs-card--crisis' data-testid='crisis-item'>
      <View className='cs-card__head'>
        <Text className='cs-card__name'>{item.childName}</Text>
        <UrgencyTag urgency={item.urgency} label={item.urgencyLabel} />
      </View>
      <Who item={item} />
      {c?.acknowledgedBy
        ? <View className='cs-ack' data-testid='acknowledged'>✓ {c.acknowledgedBy} {c.acknowledgedAt ? `${whenWords(c.acknowledgedAt)} ` : ''}已接手</View>
        : <Take item={item} onChanged={onChanged} />}
      <View className='section-title'>打电话找孩子（按顺序试）</View>
      <ContactList contacts={item.contacts ?? []} />
      <View className='section-title'>孩子说的</View>
      <Said item={item} />
      {c && c.alertedNames.length > 0 && <View className='cs-small'>已提醒：{c.alertedNames.join('、')}{c.level > 0 ? `（无人接，已升级 ${c.level} 次）` : ''}</View>}
      {children}
    </View>
  )
}
