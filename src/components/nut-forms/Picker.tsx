// NutUI's Picker with only its own stylesheet, for subpackage pages only (see components/nut.ts), sized for the
// text size: NutUI's wheel reads its row height once when it mounts, so it mounts again when the size changes.
import '@nutui/nutui-react-taro/dist/es/packages/picker/style/css'
import { Picker as NutPicker } from '@nutui/nutui-react-taro'
import type { ComponentProps } from 'react'
import { useLargeText } from '../../hooks/useLargeText'

export function Picker (props: ComponentProps<typeof NutPicker>) {
  const [large] = useLargeText()
  return <NutPicker key={large ? 'large' : 'normal'} {...props} className={[props.className, large ? 'picker--large' : ''].filter(Boolean).join(' ')} />
}
