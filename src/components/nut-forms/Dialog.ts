// NutUI's Dialog with only its own stylesheet, for subpackage pages only (see components/nut.ts).
import '@nutui/nutui-react-taro/dist/es/packages/dialog/style/css'

export { Dialog } from '@nutui/nutui-react-taro'
