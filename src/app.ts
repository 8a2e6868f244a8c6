import { PropsWithChildren } from 'react'
import Taro, { useLaunch } from '@tarojs/taro'
import './app.scss'

function App ({ children }: PropsWithChildren<any>) {
  useLaunch(() => {
    if (process.env.TARO_ENV === 'weapp') {
      // The env id is configuration (.env), so the same code deploys to any CloudBase environment.
      Taro.cloud.init({ env: process.env.TARO_APP_CLOUD_ENV, traceUser: true })
    }
  })
  return children
}

export default App
