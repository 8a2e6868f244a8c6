// NutUI's Grid for the home's services, with only its own stylesheets (see components/nut.ts). Only the home uses it.
import '@nutui/nutui-react-taro/dist/es/packages/grid/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/griditem/style/css'

export { Grid, GridItem } from '@nutui/nutui-react-taro'
