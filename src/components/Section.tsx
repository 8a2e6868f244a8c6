import type { PropsWithChildren } from 'react'
import { View } from '@tarojs/components'

/** A titled part of a page. */
export function Section ({ title, children, testId }: PropsWithChildren<{ title: string, testId?: string }>) {
  return (
    <View data-testid={testId}>
      <View className='section-title'>{title}</View>
      {children}
    </View>
  )
}
