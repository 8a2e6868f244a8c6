import { useCallback, useEffect, useState } from 'react'
import { useDidShow } from '@tarojs/taro'
import { isLarge, showOnDocument, storeChoice } from '../services/textSize'

/**
 * The large-text mode: the person's choice kept on the phone, else WeChat's own font size (services/textSize.ts);
 * re-read whenever a page shows (it may change on another page or in WeChat's settings).
 */
export function useLargeText (): [boolean, (on: boolean) => void] {
  const [large, setLarge] = useState(isLarge)
  useDidShow(() => setLarge(isLarge()))
  useEffect(() => { showOnDocument(large) }, [large])
  const set = useCallback((on: boolean) => {
    storeChoice(on)
    setLarge(on)
  }, [])
  return [large, set]
}
