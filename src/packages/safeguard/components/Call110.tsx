import { View } from '@tarojs/components'
import { call } from '../../../services/nav'
import { Button } from '../../../components/nut'

/** Danger now: the police first, with one tap, before anything else on the page. */
export function Call110 ({ text = '孩子现在有危险：请先拨打 110', hint = '报警后再回来把情况写下来报告。' }: { text?: string, hint?: string }) {
  return (
    <View className='sg-110' data-testid='call-110'>
      <View className='sg-110__text'>{text}</View>
      {hint && <View className='sg-110__hint'>{hint}</View>}
      <Button block size='large' type='danger' data-testid='call-110-button' onClick={() => call('110')}>拨打 110</Button>
    </View>
  )
}
