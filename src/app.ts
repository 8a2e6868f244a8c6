import { PropsWithChildren } from 'react'
import { useLaunch } from '@tarojs/taro'
import { initCloud } from './services/cloud'
import './app.scss'

function App ({ children }: PropsWithChildren<any>) {
  useLaunch(initCloud)
  return children
}

export default App
