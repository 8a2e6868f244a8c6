// NutUI components only the oversight pages use, each with only its own stylesheet. Imported from this
// subpackage alone, so the build keeps them (and their CSS) out of the main package.
import '@nutui/nutui-react-taro/dist/es/packages/textarea/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/datepicker/style/css'

export { TextArea, DatePicker } from '@nutui/nutui-react-taro'
