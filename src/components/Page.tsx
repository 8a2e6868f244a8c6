import { useEffect, type PropsWithChildren } from 'react'
import { useDidShow } from '@tarojs/taro'
import { View } from '@tarojs/components'
import { useLargeText } from '../hooks/useLargeText'
import { pageArrived } from '../services/splash'
import { useLargeTextOffer } from './LargeTextOffer'

/**
 * Every page's frame: applies the large-text mode (and offers it on first use). `className` wraps the page in an
 * area's own root (e.g. 'la-root'), under which that area's stylesheet sizes the shared pieces. A page on screen ends
 * the h5 splash and the wait shown since the tap that opened it.
 */
export function Page ({ children, testId, className }: PropsWithChildren<{ testId?: string, className?: string }>) {
  const [large, setLarge] = useLargeText()
  useLargeTextOffer(setLarge)
  useEffect(pageArrived, [])
  useDidShow(pageArrived)
  return (
    <View className={large ? 'page page--large' : 'page'} data-testid={testId}>
      {className ? <View className={className}>{children}</View> : children}
    </View>
  )
}
