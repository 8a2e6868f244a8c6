import { useDidShow } from '@tarojs/taro'
import { loadAllowsLeft } from '../services/subscriptions'

/** Keeps the person's allows left known while the page shows, so its natural taps ask only when they run low. */
export function useAllowsLeft (): void {
  useDidShow(() => { loadAllowsLeft().catch(() => undefined) })
}
