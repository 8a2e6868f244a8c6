import { useCallback, useEffect, useRef, useState } from 'react'
import { useDidHide, useDidShow, useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { callCloud } from '../../../../services/cloud'
import { whenWords } from '../../../../services/format'
import { replace } from '../../../../services/nav'
import { Page } from '../../../../components/Page'
import { Button } from '../../../../components/nut'
import { messageOf } from '../../../../components/States'
import { CallButtons } from '../../components/Buttons'
import { FIRST_NUMBERS, recalledCrisis } from '../../crisis'
import '../../counseling.scss'

const MINE = '/packages/counseling/pages/mine/index'

/** How often the page asks whether a counsellor has taken the crisis. */
const REFRESH_MS = 15000

interface Live { found?: boolean, acknowledged: boolean, message?: string, acknowledgedAt?: Date, numbers?: Array<{ number: string, name: string }> }

/**
 * A child in danger: the numbers to call with one tap show in the first frame (110 first, in red; 12355; the
 * station's duty line), never waiting for the cloud; under them the live state of the alert, asked again every
 * 15 seconds until a counsellor has taken it.
 */
export default function Crisis () {
  const { params } = useRouter()
  const requestId = params.requestId ?? ''
  // Only digits and dashes are taken from the address: it becomes a number to dial.
  const line = params.line && /^[\d-]{3,20}$/.test(params.line) ? params.line : undefined
  const known = recalledCrisis(requestId)
  const [live, setLive] = useState<Live>({ acknowledged: false })
  const [trouble, setTrouble] = useState<string>()
  const [checking, setChecking] = useState(false)
  const shown = useRef(true)
  const acked = useRef(false)

  const numbers = live.numbers ?? known?.numbers ?? [
    ...FIRST_NUMBERS,
    ...(line ? [{ number: line, name: '心理健康辅导站值班电话' }] : [])
  ]

  const check = useCallback(async () => {
    if (!requestId) return
    setChecking(true)
    try {
      const { requests } = await callCloud('counseling', 'myRequests', {})
      const mine = requests.find((r) => r.id === requestId)
      if (!mine?.crisis) {
        // Not a crisis of mine (an old link, another person's phone): the numbers stay, the status goes.
        acked.current = true
        setLive({ found: false, acknowledged: false })
      } else {
        acked.current = mine.crisis.acknowledged
        setLive({ found: true, acknowledged: mine.crisis.acknowledged, message: mine.crisis.message, acknowledgedAt: mine.crisis.acknowledgedAt, numbers: mine.crisis.numbers })
      }
      setTrouble(undefined)
    } catch (err) {
      setTrouble(messageOf(err))
    } finally {
      setChecking(false)
    }
  }, [requestId])

  useEffect(() => {
    check()
    const timer = setInterval(() => { if (shown.current && !acked.current) check() }, REFRESH_MS)
    return () => clearInterval(timer)
  }, [check])
  const first = useRef(true)
  useDidShow(() => {
    shown.current = true
    if (!first.current && !acked.current) check()
    first.current = false
  })
  useDidHide(() => { shown.current = false })

  return (
    <Page testId='crisis' className='cs'>
      <View className='cs-hug'>谢谢你告诉我们。你不是一个人，我们和你在一起。</View>
      {requestId && live.found !== false && (
        live.acknowledged
          ? (
            <View className='cs-status cs-status--ok' data-testid='crisis-status' data-acknowledged='true'>
              <View className='cs-status__main'>✓ {live.message}</View>
              {live.acknowledgedAt && <View className='cs-status__small'>{whenWords(live.acknowledgedAt)} 接手。请把手机放在身边，留意来电。</View>}
            </View>
            )
          : (
            <View className='cs-status cs-status--waiting' data-testid='crisis-status' data-acknowledged='false'>
              <View className='cs-status__main'><Text className='cs-pulse' />辅导员马上会给你打电话</View>
              <View className='cs-status__small'>
                {trouble ? `暂时连不上（${trouble}），电话可以直接打。` : '请把手机放在身边，留意来电。这里会自动更新。'}
              </View>
            </View>
            )
      )}
      <View className='section-title'>现在有危险？先打 110</View>
      <CallButtons numbers={numbers} />
      {requestId && live.found !== false && !live.acknowledged && (
        <View className='big-button'>
          <Button block fill='outline' loading={checking} disabled={checking} onClick={check}>看看辅导员接了没有</Button>
        </View>
      )}
      <View className='big-button'>
        <Button block fill='none' onClick={() => replace(MINE)}>我的求助</Button>
      </View>
    </Page>
  )
}
