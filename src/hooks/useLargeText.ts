import { useCallback, useState } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'

const KEY = 'chuyan.largeText'

function read (): boolean {
  try { return Taro.getStorageSync(KEY) === true } catch { return false }
}

/** The large-text mode, kept on the phone and re-read whenever a page shows (it may change on another page). */
export function useLargeText (): [boolean, (on: boolean) => void] {
  const [large, setLarge] = useState(read)
  useDidShow(() => setLarge(read()))
  const set = useCallback((on: boolean) => {
    Taro.setStorageSync(KEY, on)
    setLarge(on)
  }, [])
  return [large, set]
}
