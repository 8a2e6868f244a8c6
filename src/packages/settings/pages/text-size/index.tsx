import { View } from '@tarojs/components'
import { Page } from '../../../../components/Page'
import { Cell, CellGroup, Switch } from '../../../../components/nut'
import { useLargeText } from '../../../../hooks/useLargeText'

/** Large text for grandparents and tired eyes; kept on this phone. */
export default function TextSize () {
  const [large, setLarge] = useLargeText()
  return (
    <Page testId='text-size'>
      <View className='title'>大字模式</View>
      <CellGroup>
        <Cell title='把字放大' align='center' extra={<Switch checked={large} onChange={(v) => setLarge(v)} />} />
      </CellGroup>
      <View className='hint'>打开后，所有页面的字和按钮都会变大。</View>
    </Page>
  )
}
