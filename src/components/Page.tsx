import type { PropsWithChildren } from 'react'
import { View } from '@tarojs/components'
import { useLargeText } from '../hooks/useLargeText'

/** Every page's frame: applies the large-text mode. */
export function Page ({ children, testId }: PropsWithChildren<{ testId?: string }>) {
  const [large] = useLargeText()
  return <View className={large ? 'page page--large' : 'page'} data-testid={testId}>{children}</View>
}
