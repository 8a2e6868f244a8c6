import { View, Text } from '@tarojs/components'
import { Button, Empty, Loading } from './nut'
import type { CloudError } from '../services/cloud'

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
      <Empty title={title} description={description} imageSize={120} />
    </View>
  )
}
