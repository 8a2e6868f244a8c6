// NutUI components only the hotline pages use, each with only its own stylesheet. Imported from this subpackage
// alone, so the build keeps them out of the main package (src/components/nut.ts holds what the main package uses).
import '@nutui/nutui-react-taro/dist/es/packages/input/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/textarea/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/radio/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/checkbox/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/picker/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/datepicker/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/dialog/style/css'

export { Input, TextArea, Radio, Checkbox, Picker, DatePicker, Dialog } from '@nutui/nutui-react-taro'
