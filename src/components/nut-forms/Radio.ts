// NutUI's Radio with only its own stylesheet, for subpackage pages only (see components/nut.ts).
import '@nutui/nutui-react-taro/dist/es/packages/radio/style/css'

export { Radio } from '@nutui/nutui-react-taro'
