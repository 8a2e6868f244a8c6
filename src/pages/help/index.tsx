import { View } from '@tarojs/components'
import { Page } from '../../components/Page'
import { Button, Cell, CellGroup } from '../../components/nut'
import { HELP_NUMBERS } from '../../domain'
import { call } from '../../services/nav'

/** Numbers anyone can call with one tap, no sign-in needed. */
export default function Help () {
  return (
    <Page testId='help'>
      <View className='title'>遇到危险，先打电话</View>
      <View className='hint'>点一下就能拨打。孩子有危险时请马上打 110。</View>
      <CellGroup>
        {HELP_NUMBERS.map((h) => (
          <Cell key={h.number} title={`${h.name} ${h.number}`} description={h.purpose}
            extra={<Button type={h.number === '110' ? 'danger' : 'primary'} size='small'
              onClick={() => call(h.number)}>拨打</Button>} />
        ))}
      </CellGroup>
    </Page>
  )
}
