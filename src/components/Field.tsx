/**
 * The form field for tired eyes: a label above, a large control, and the field's own Chinese message under it.
 * An area's stylesheet may size it under its root (Page's className).
 */
import type { PropsWithChildren, ReactNode } from 'react'
import { View, Text } from '@tarojs/components'

/**
 * A label, the control, a hint and the field's message. The hint comes under the control (a note on what was
 * entered) or, with `hintAbove`, under the label (how to answer, read before answering).
 */
export function Field ({ label, error, hint, hintAbove = false, optional, testId, children }: PropsWithChildren<{
  label: ReactNode, error?: string, hint?: ReactNode, hintAbove?: boolean, optional?: boolean, testId?: string
}>) {
  const hintView = hint ? <View className='field__hint'>{hint}</View> : null
  return (
    <View className={error ? 'field field--error' : 'field'} data-testid={testId}>
      <View className='field__label'>
        <Text>{label}</Text>{optional && <Text className='field__optional'>（可不填）</Text>}
      </View>
      {hintAbove && hintView}
      <View className='field__control'>{children}</View>
      {!hintAbove && hintView}
      {error && <View className='field__error' data-testid={testId ? `${testId}-error` : 'field-error'}>{error}</View>}
    </View>
  )
}
