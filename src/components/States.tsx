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

/** The words to show for any failure: a CloudError's own Chinese message, or a plain fallback. */
export function messageOf (err: unknown): string {
  return err instanceof CloudError ? err.message : '服务暂时出错，请稍后再试'
}

/**
 * A failure's messages by field, named as the form names them (the contract says report.seen, report.kinds, …):
 * under the top name after `prefix` (`kinds` for report.kinds.0) and, for a nested one, its whole path too
 * (`unlistedChild.name`).
 */
export function fieldsOf (err: unknown, prefix = ''): Record<string, string> {
  if (!(err instanceof CloudError) || !err.fields) return {}
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(err.fields)) {
    const path = prefix && k.startsWith(prefix) ? k.slice(prefix.length) : k
    for (const name of [path.split('.')[0], path]) if (!(name in out)) out[name] = v
  }
  return out
}

/** A failure in plain words, where it happened (under the button that failed). */
export function Failure ({ message }: { message?: string }) {
  if (!message) return null
  return <View className='error-box' data-testid='failure'><Text>{message}</Text></View>
}

/** Tells the person an action failed: short messages as a toast, longer ones in a box they close themselves. */
export function showError (err: unknown): void {
  const message = messageOf(err)
  if (message.length <= 14) Taro.showToast({ title: message, icon: 'none', duration: 3000 })
  else Taro.showModal({ title: '没有成功', content: message, showCancel: false, confirmText: '知道了' }).catch(() => undefined)
}
