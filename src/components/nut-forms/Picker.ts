// NutUI's Picker with only its own stylesheet, for subpackage pages only (see components/nut.ts).
import '@nutui/nutui-react-taro/dist/es/packages/picker/style/css'

export { Picker } from '@nutui/nutui-react-taro'
