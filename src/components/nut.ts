// NutUI components the main package's pages use, each with only its own stylesheet (the whole one is 230 KB).
// Everything this file imports lands in the main package. Widgets only subpackage pages use (forms, pickers,
// dialogs) are in nut-forms/, one file each: imported only from subpackages, the build keeps them there, and an
// area carries only the widgets it uses.
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/cell/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/cellgroup/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/empty/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/loading/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/tag/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/switch/style/css'

export { Button, Cell, CellGroup, Empty, Loading, Tag, Switch } from '@nutui/nutui-react-taro'
