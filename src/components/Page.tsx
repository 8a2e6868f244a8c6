import type { PropsWithChildren } from 'react'
import { View } from '@tarojs/components'
import { useLargeText } from '../hooks/useLargeText'
import { useLargeTextOffer } from './LargeTextOffer'

/**
 * Every page's frame: applies the large-text mode (and offers it on first use). `className` wraps the page in an area's own root (e.g.
 * 'la-root'), under which that area's stylesheet sizes the shared pieces.
 */
export function Page ({ children, testId, className }: PropsWithChildren<{ testId?: string, className?: string }>) {
  const [large, setLarge] = useLargeText()
  useLargeTextOffer(setLarge)
  return (
    <View className={large ? 'page page--large' : 'page'} data-testid={testId}>
      {className ? <View className={className}>{children}</View> : children}
    </View>
  )
}
