import { useRef } from 'react'
import { useDidShow } from '@tarojs/taro'

/** Reloads when the page shows again (back from another page), not on its first show. */
export function useReloadOnShow (reload: () => void): void {
  const first = useRef(true)
  useDidShow(() => {
    if (!first.current) reload()
    first.current = false
  })
}
