import type { PropsWithChildren } from 'react'
import { Text, View } from '@tarojs/components'

export type Tone = 'red' | 'orange' | 'blue' | 'green' | 'grey' | 'dark'

/** A label in a coloured pill, sized for reading (NutUI's Tag is too small for tired eyes). */
export function Pill ({ tone, children, testId }: PropsWithChildren<{ tone: Tone, testId?: string }>) {
  return <Text className={`pill pill--${tone}`} data-testid={testId}>{children}</Text>
}

/** Something the person must read, in a coloured box: a warning, a success, a danger or plain information. */
export function Notice ({ tone = 'warn', testId, children }: PropsWithChildren<{ tone?: 'warn' | 'ok' | 'danger' | 'info', testId?: string }>) {
  return <View className={`notice notice--${tone}`} data-testid={testId}>{children}</View>
}
