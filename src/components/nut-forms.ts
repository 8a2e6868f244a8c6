// NutUI components only subpackage pages use (forms, pickers, dialogs), each with only its own stylesheet.
// Kept apart from nut.ts on purpose: the main package's pages import nut.ts, and everything nut.ts imports
// lands in the main package (these add about 160 KB of JS and CSS); imported only from subpackages, the
// build puts them there instead. Add a component here when only subpackage pages use it.
import '@nutui/nutui-react-taro/dist/es/packages/input/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/textarea/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/radio/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/checkbox/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/picker/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/dialog/style/css'

export { Input, TextArea, Radio, Checkbox, Picker, Dialog } from '@nutui/nutui-react-taro'
