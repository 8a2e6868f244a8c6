import type { PropsWithChildren } from 'react'
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { Button, Empty } from './nut'
import { CloudError } from '../services/cloud'
import './states.scss'

/**
 * The wait every list and page shows while the cloud answers: grey lines where the page's content will be (the
 * person sees at once that the tap worked and something is coming) under a word saying so. Plain styled views, not
 * NutUI's Skeleton: this is in the weapp's main package, which has little room left.
 */
export function LoadingState ({ text = '正在加载…', rows = 4 }: { text?: string, rows?: number }) {
  return (
    <View className='state state--skeleton' data-testid='loading' aria-busy='true'>
      <Text className='state__wait'>{text}</Text>
      {[2, rows].map((n, card) => (
        <View key={card} className='skeleton-card'>
          {Array.from({ length: n }, (_, i) => <View key={i} className={i === 0 ? 'skeleton-line skeleton-line--first' : 'skeleton-line'} />)}
        </View>
      ))}
    </View>
  )
}

/** What a person can do about a failure, by its kind: a refusal names who to ask, a lost line says to try again. */
export function adviceFor (err: unknown): { advice?: string, retry: boolean } {
  const code = err instanceof CloudError ? err.code : 'INTERNAL'
  switch (code) {
    case 'FORBIDDEN': // messageOf says who to ask
      return { retry: false }
    case 'NOT_REGISTERED':
      return { retry: false }
    case 'UNAUTHENTICATED':
      return { advice: '请回到首页重新登录。', retry: false }
    case 'NOT_FOUND':
      return { advice: '可能已经被删除或改过了，请返回上一页看看。', retry: true }
    case 'NETWORK':
      return { advice: '请看看手机有没有信号或连着无线网，好了以后再点一次。', retry: true }
    default:
      return { advice: '一直不行的话，请告诉村里的儿童主任或学校老师。', retry: true }
  }
}

/**
 * A failure in words a grandparent understands: what went wrong, what to do about it, and a way to try again
 * when trying again can help (never for a refusal: asking again gets the same answer).
 */
export function ErrorState ({ error, onRetry }: { error: CloudError, onRetry?: () => void }) {
  const { advice, retry } = adviceFor(error)
  return (
    <View className='state' data-testid='error'>
      <View className='error-box' data-code={error.code}>
        <Text>{messageOf(error)}</Text>
        {advice && <View className='error-box__advice' data-testid='error-advice'><Text>{advice}</Text></View>}
      </View>
      {onRetry && retry && <Button type='primary' size='large' block onClick={onRetry}>再试一次</Button>}
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
  // A refusal says who can help, unless the refusal names them already; asking again would get the same answer.
  if (err.code === 'FORBIDDEN' && !err.message.includes('请')) return `${err.message}。${WHO_TO_ASK}`
  return err.message
}

const WHO_TO_ASK = '如果您觉得应该可以，请找给您开通岗位的单位管理员；家长和监护人请找村里的儿童主任或孩子的班主任。'

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

/**
 * Tells the person an action failed, in a box that stays until they close it (a toast over a dialog is gone before
 * a tired parent has read it): what went wrong and what to do. The page keeps what they typed or chose, so 知道了
 * brings them back to it as it was.
 */
export function showError (err: unknown, options?: { oneField?: boolean }): void {
  if (err instanceof CloudError && err.code === 'NETWORK') {
    showProblem('网络不好，这一步没有办成。', '您填的、选的都还在。请看看手机有没有信号，好了以后再点一次。')
    return
  }
  showProblem(messageOf(err, options), adviceFor(err).advice)
}

/** A failure in the page's own words (not from the cloud), in the same box that stays until closed. */
export function showProblem (message: string, advice?: string): void {
  // One paragraph: the h5 modal shows no line breaks.
  const content = advice ? `${message.replace(/[。！]?$/, '。')}${advice}` : message
  Taro.showModal({ title: '没有成功', content, showCancel: false, confirmText: '知道了' }).catch(() => undefined)
}

/** Tells the person an action went through. */
export function showDone (title: string): void {
  Taro.showToast({ title, icon: 'success', duration: 2000 })
}

/** A refused form: the red words under its fields say what to change. */
export function showFix (): void {
  Taro.showToast({ title: '请按红字改一改', icon: 'none', duration: 2500 })
}
