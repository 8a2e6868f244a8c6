// NutUI's TextArea with only its own stylesheet, for subpackage pages only (see components/nut.ts).
import '@nutui/nutui-react-taro/dist/es/packages/textarea/style/css'

export { TextArea } from '@nutui/nutui-react-taro'
