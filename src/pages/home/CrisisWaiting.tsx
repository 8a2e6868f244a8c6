/**
 * The first thing on a counsellor's home when a crisis waits: the child's given name and how many minutes she has
 * waited, a tap from the crisis itself. Asked again every 30 seconds while the home shows (a counsellor may leave it
 * open on the night shift); nothing shows while there is none.
 */
import { useEffect, useRef, useState } from 'react'
import { useDidHide, useDidShow } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { callCloud } from '../../services/cloud'
import { now } from '../../services/clock'
import { go } from '../../services/nav'
import { useCloud } from '../../hooks/useCloud'
import { useReloadOnShow } from '../../hooks/useReloadOnShow'
import { Button } from '../../components/nut'
import './home.scss'

const EVERY_MS = 30000

export function CrisisWaiting () {
  const waiting = useCloud(() => callCloud('counseling', 'crisesWaiting', {}))
  const shown = useRef(true)
  const [, tick] = useState(0)
  useReloadOnShow(waiting.reload)
  useDidShow(() => { shown.current = true })
  useDidHide(() => { shown.current = false })
  // The timer lives as long as the card; it calls whatever reload is current.
  const reload = useRef(waiting.reload)
  reload.current = waiting.reload
  useEffect(() => {
    const timer = setInterval(() => { if (shown.current) { reload.current(); tick((n) => n + 1) } }, EVERY_MS)
    return () => clearInterval(timer)
  }, [])

  const crises = waiting.data?.crises ?? []
  if (crises.length === 0) return null
  return (
    <View data-testid='crisis-waiting'>
      {crises.map((c) => {
        const minutes = Math.max(0, Math.floor((now().getTime() - new Date(c.createdAt).getTime()) / 60000))
        const open = () => go(`/packages/counseling/pages/case/index?id=${encodeURIComponent(c.id)}`)
        return (
          <View key={c.id} className='home-crisis' data-testid='home-crisis' onClick={open}>
            <View className='home-crisis__title'>紧急求助：{c.firstName}</View>
            <View className='home-crisis__line'>
              <Text data-testid='home-crisis-minutes'>{minutes < 1 ? '刚刚求助' : `已经等了 ${minutes} 分钟`}</Text>，还没有人接手
            </View>
            <Button block size='large' type='danger' data-testid='home-crisis-open'>马上处理（看电话号码）</Button>
          </View>
        )
      })}
    </View>
  )
}
