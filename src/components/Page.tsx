import { useEffect, type PropsWithChildren } from 'react'
import { View } from '@tarojs/components'
import { useLargeText } from '../hooks/useLargeText'
import { hideSplash } from '../services/splash'

/**
 * Every page's frame: applies the large-text mode. `className` wraps the page in an area's own root (e.g.
 * 'la-root'), under which that area's stylesheet sizes the shared pieces. The first page drawn takes the h5 splash away.
 */
export function Page ({ children, testId, className }: PropsWithChildren<{ testId?: string, className?: string }>) {
  const [large] = useLargeText()
  useEffect(hideSplash, [])
  return (
    <View className={large ? 'page page--large' : 'page'} data-testid={testId}>
      {className ? <View className={className}>{children}</View> : children}
    </View>
  )
}
