import { useEffect, useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { InboxEntry, TemplateKey } from '../../domain'
import { callCloud } from '../../services/cloud'
import { whenWords } from '../../services/format'
import { go } from '../../services/nav'
import { refreshUnread, showUnreadBadge } from '../../services/inbox'
import { askFor } from '../../services/subscriptions'
import { useCloud } from '../../hooks/useCloud'
import { Page } from '../../components/Page'
import { Button } from '../../components/nut'
import { Pill } from '../../components/Notice'
import { EmptyState, ErrorState, LoadingState, showError } from '../../components/States'

/**
 * 消息: every notice the app sent me, newest first (docs/ARCHITECTURE.md, "Notifications"). An entry is marked read
 * when opened and opens what it is about; for staff, opening an alert of their duty asks WeChat to allow the next
 * one (a natural tap).
 */
export default function Inbox () {
  const first = useCloud(() => callCloud('account', 'inbox', {}))
  const duty = useCloud(() => callCloud('account', 'alertSettings', {}).then((s) => s.alerts.map((a) => a.template)).catch(() => [] as TemplateKey[]))
  const [more, setMore] = useState<{ entries: InboxEntry[], next: string | null } | undefined>()
  const [readIds, setReadIds] = useState<Set<string>>(new Set())
  const [loadingMore, setLoadingMore] = useState(false)
  const reload = () => { setMore(undefined); setReadIds(new Set()); first.reload(); refreshUnread().catch(() => undefined) }
  useDidShow(() => { refreshUnread().catch(() => undefined) })
  usePullDownRefresh(() => { reload(); Taro.stopPullDownRefresh() })
  useEffect(() => { if (first.data) setMore(undefined) }, [first.data])

  if (first.loading && !first.data) return <Page testId='inbox'><LoadingState /></Page>
  if (first.error) return <Page testId='inbox'><ErrorState error={first.error} onRetry={reload} /></Page>
  if (!first.data) return null
  const entries = [...first.data.entries, ...(more?.entries ?? [])]
  const next = more ? more.next : first.data.next
  const isRead = (e: InboxEntry) => e.read || readIds.has(e.id)
  const unread = entries.filter((e) => !isRead(e)).length

  async function open (e: InboxEntry) {
    // On the tap itself, before anything else: WeChat asks only in answer to one.
    const asking = (duty.data ?? []).includes(e.template) ? askFor([e.template]) : Promise.resolve({})
    await asking
    if (!isRead(e)) {
      setReadIds((s) => new Set([...s, e.id]))
      callCloud('account', 'markRead', { id: e.id }).then(() => refreshUnread(), () => undefined)
    }
    go('/' + e.link)
  }

  async function loadMore () {
    if (!next) return
    setLoadingMore(true)
    try {
      const page = await callCloud('account', 'inbox', { before: next })
      setMore({ entries: [...(more?.entries ?? []), ...page.entries], next: page.next })
    } catch (err) {
      showError(err)
    } finally {
      setLoadingMore(false)
    }
  }

  async function readAll () {
    try {
      await callCloud('account', 'markAllRead', {})
      setReadIds(new Set(entries.map((e) => e.id)))
      showUnreadBadge(0)
    } catch (err) {
      showError(err)
    }
  }

  return (
    <Page testId='inbox'>
      <View className='title'>消息</View>
      {(duty.data ?? []).length > 0 && (
        <View className='hint' data-testid='alerts-link' onClick={() => go('/packages/settings/pages/alerts/index')}>
          提醒收不到？去「接收提醒」看看还能收几条 ›
        </View>
      )}
      {entries.length === 0 && <EmptyState title='还没有消息' description='预约、提醒和需要您处理的事，都会先到这里。' />}
      {unread > 0 && (
        <View className='row-between card'>
          <Text data-testid='unread-count'>{unread} 条未读</Text>
          <Button size='small' onClick={readAll} data-testid='read-all'>全部标为已读</Button>
        </View>
      )}
      <View>
        {entries.map((e) => (
          <View key={e.id} className={isRead(e) ? 'card inbox-entry' : 'card inbox-entry inbox-entry--unread'} data-testid='inbox-entry' onClick={() => { open(e).catch(() => undefined) }}>
            <View className='tag-row'>
              {!isRead(e) && <Pill tone='red'>未读</Pill>}
              {e.urgent && <Pill tone='dark'>紧急</Pill>}
              <Text className='inbox-entry__title'>{e.title}</Text>
            </View>
            {e.detail && <View className='inbox-entry__detail'>{e.detail}</View>}
            <View className='hint'>{whenWords(e.createdAt)}{e.at ? ` · 时间：${whenWords(e.at)}` : ''} · 点开查看 ›</View>
          </View>
        ))}
      </View>
      {next && (
        <View className='big-button'>
          <Button block size='large' loading={loadingMore} disabled={loadingMore} onClick={loadMore} data-testid='inbox-more'>更早的消息</Button>
        </View>
      )}
    </Page>
  )
}
