import Taro from '@tarojs/taro'
import { View } from '@tarojs/components'
import { Page } from '../../components/Page'
import { Button, Cell, CellGroup } from '../../components/nut'
import { useLargeText } from '../../hooks/useLargeText'
import { canPickPersona, signOut } from '../../services/personas'

export default function Me () {
  const [large] = useLargeText()
  return (
    <Page testId='me'>
      <View className='title'>我的</View>
      <CellGroup>
        <Cell title='大字模式' description={large ? '已打开' : '字太小看不清？打开它'} align='center'
          onClick={() => Taro.navigateTo({ url: '/packages/settings/pages/text-size/index' })} extra='›' />
      </CellGroup>
      {canPickPersona && (
        <View className='big-button'>
          <Button block size='large' onClick={async () => { await signOut(); Taro.reLaunch({ url: '/pages/signin/index' }) }}>换一个身份</Button>
        </View>
      )}
    </Page>
  )
}
