/// <reference types="@tarojs/taro" />
declare module '*.png';
declare module '*.css';
declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV: 'development' | 'production',
    TARO_ENV: 'weapp' | 'swan' | 'alipay' | 'h5' | 'rn' | 'tt' | 'qq' | 'jd' | 'harmony' | 'jdrn'
    TARO_APP_ID: string
    TARO_APP_CLOUD_ENV: string
  }
}
declare module '*.scss';
