// NutUI's Input with only its own stylesheet, for subpackage pages only (see components/nut.ts).
import '@nutui/nutui-react-taro/dist/es/packages/input/style/css'

export { Input } from '@nutui/nutui-react-taro'
