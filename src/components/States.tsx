import type { PropsWithChildren } from 'react'
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { Button, Empty, Loading } from './nut'
import { CloudError } from '../services/cloud'

/** The wait every list and page shows while the cloud answers. */
export function LoadingState ({ text = '正在加载…' }: { text?: string }) {
  return (
    <View className='state' data-testid='loading'>
      <Loading type='circular'>{text}</Loading>
    </View>
  )
}

/** A failure in words a grandparent understands, with a way to try again. */
export function ErrorState ({ error, onRetry }: { error: CloudError, onRetry?: () => void }) {
  return (
    <View className='state' data-testid='error'>
      <View className='error-box'><Text>{error.message}</Text></View>
      {onRetry && <Button type='primary' size='large' block onClick={onRetry}>再试一次</Button>}
    </View>
  )
}

export function EmptyState ({ title, description }: { title: string, description?: string }) {
  return (
    <View data-testid='empty'>
      {/* A drawn picture, not NutUI's default one: that is fetched from a CDN, and shows as a broken image offline. */}
      <Empty title={title} description={description} imageSize={120} image={<View className='empty-art'><View className='empty-art__tray' /></View>} />
    </View>
  )
}

/**
 * The words to show for any failure: a CloudError's own Chinese message, or a plain fallback. With `oneField`, an
 * input refused for one field only says that field's own words (the message is then a generic "please correct").
 */
export function messageOf (err: unknown, { oneField = false }: { oneField?: boolean } = {}): string {
  if (!(err instanceof CloudError)) return '服务暂时出错，请稍后再试'
  const fields = Object.values(err.fields ?? {})
  if (oneField && err.code === 'INVALID_INPUT' && fields.length === 1) return fields[0]
  return err.message
}

/**
 * A failure's messages by field, named as the form names them: the contract's path (report.kinds, draft.story, …)
 * without `prefix` ('report.'). With `topNames`, a nested one is also given under its top name (`kinds` for
 * report.kinds.0), where the form shows it. Empty when the failure is not about fields.
 */
export function fieldsOf (err: unknown, { prefix = '', topNames = false }: { prefix?: string, topNames?: boolean } = {}): Record<string, string> {
  if (!(err instanceof CloudError) || !err.fields) return {}
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(err.fields)) {
    const path = prefix && k.startsWith(prefix) ? k.slice(prefix.length) : k
    for (const name of topNames ? [path.split('.')[0], path] : [path]) if (!(name in out)) out[name] = v
  }
  return out
}

/** A failure in plain words, where it happened (under the button that failed); `children` offer a way on. */
export function ProblemBox ({ message, testId = 'failure', children }: PropsWithChildren<{ message?: string, testId?: string }>) {
  if (!message) return null
  return (
    <View className='error-box' data-testid={testId}>
      <Text>{message}</Text>
      {children && <View className='error-box__actions'>{children}</View>}
    </View>
  )
}

/** Tells the person an action failed: short messages as a toast, longer ones in a box they close themselves. */
export function showError (err: unknown, options?: { oneField?: boolean }): void {
  const message = messageOf(err, options)
  if (message.length <= 14) Taro.showToast({ title: message, icon: 'none', duration: 3000 })
  else Taro.showModal({ title: '没有成功', content: message, showCancel: false, confirmText: '知道了' }).catch(() => undefined)
}

/** Tells the person an action went through. */
export function showDone (title: string): void {
  Taro.showToast({ title, icon: 'success', duration: 2000 })
}

/** A refused form: the red words under its fields say what to change. */
export function showFix (): void {
  Taro.showToast({ title: '请按红字改一改', icon: 'none', duration: 2500 })
}
