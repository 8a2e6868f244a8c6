/**
 * The form field for tired eyes: a label above, a large control, and the field's own Chinese message under it.
 * An area's stylesheet may size it under its root (Page's className).
 */
import { useState, type PropsWithChildren, type ReactNode } from 'react'
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'

/** Submits that failed so far (hooks/useFieldErrors): a Field changed after the latest one hides its stale error. */
let attempts = 0
export function newAttempt (): void { attempts++ }

/** Text boxes: tapping into one is not yet changing it. */
const isTextBox = (target: unknown): boolean => {
  const t = target as { nodeName?: string, tagName?: string } | undefined
  return /input|textarea/i.test(String(t?.nodeName ?? t?.tagName ?? ''))
}

/**
 * A label, the control, a hint and the field's message. The hint comes under the control (a note on what was
 * entered) or, with `hintAbove`, under the label (how to answer, read before answering). Once the person changes
 * the control (types, or taps a choice) its error goes, until the next submit finds it still wrong.
 */
export function Field ({ label, error, hint, hintAbove = false, optional, testId, children }: PropsWithChildren<{
  label: ReactNode, error?: string, hint?: ReactNode, hintAbove?: boolean, optional?: boolean, testId?: string
}>) {
  const [changedAt, setChangedAt] = useState(-1)
  const shown = error && changedAt !== attempts ? error : undefined
  const changed = () => { if (error && changedAt !== attempts) setChangedAt(attempts) }
  const hintView = hint ? <View className='field__hint'>{hint}</View> : null
  // Taro's View passes DOM and component events that bubble (input, change) to these handlers on both platforms.
  const events = { onClick: (e: { target?: unknown }) => { if (!isTextBox(e.target)) changed() }, onInput: changed, onChange: changed } as Record<string, unknown>
  return (
    <View className={shown ? 'field field--error' : 'field'} data-testid={testId}>
      <View className='field__label'>
        <Text>{label}</Text>{optional && <Text className='field__optional'>（可不填）</Text>}
      </View>
      {hintAbove && hintView}
      <View className='field__control' {...events}>{children}</View>
      {!hintAbove && hintView}
      {shown && <View className='field__error' data-testid={testId ? `${testId}-error` : 'field-error'}>{shown}</View>}
    </View>
  )
}

/**
 * Scrolls the page so that the first field with an error is in view (after a submit found errors), its label just
 * below the top. Waits a moment for the errors to render. WeChat's own pageScrollTo finds the field by selector.
 */
export function scrollToFirstError (): void {
  setTimeout(() => {
    Taro.pageScrollTo({ selector: '.field--error', offsetTop: -80, duration: 200 }).catch(() => undefined)
  }, 60)
}
