import { View } from '@tarojs/components'
import { Page } from '../../components/Page'
import { Button, Cell, CellGroup } from '../../components/nut'
import { useLargeText } from '../../hooks/useLargeText'
import { canPickPersona, signOut } from '../../services/personas'
import { go, restart } from '../../services/nav'

export default function Me () {
  const [large] = useLargeText()
  return (
    <Page testId='me'>
      <View className='title'>我的</View>
      <CellGroup>
        <Cell title='大字模式' description={large ? '已打开' : '字太小看不清？打开它'} align='center'
          onClick={() => go('/packages/settings/pages/text-size/index')} extra='›' />
      </CellGroup>
      {canPickPersona && (
        <View className='big-button'>
          <Button block size='large' onClick={async () => { await signOut(); restart('/pages/signin/index') }}>换一个身份</Button>
        </View>
      )}
    </Page>
  )
}
