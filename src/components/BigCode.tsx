import { View } from '@tarojs/components'
import { dateTimeWords, groupCode } from '../services/format'

/** A one-time code shown large enough to read across a table or out over the phone. */
export function BigCode ({ title, code, expiresAt, note }: { title: string, code: string, expiresAt: Date, note: string }) {
  return (
    <View className='big-code' data-testid='big-code'>
      <View>{title}</View>
      <View className='big-code__digits' data-testid='code'>{groupCode(code)}</View>
      <View className='small'>有效期到 {dateTimeWords(expiresAt)}，只能用一次</View>
      <View className='big-code__note'>{note}</View>
    </View>
  )
}
