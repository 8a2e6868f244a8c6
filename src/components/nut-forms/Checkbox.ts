// NutUI's Checkbox with only its own stylesheet, for subpackage pages only (see components/nut.ts).
import '@nutui/nutui-react-taro/dist/es/packages/checkbox/style/css'

export { Checkbox } from '@nutui/nutui-react-taro'
