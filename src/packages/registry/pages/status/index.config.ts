export default definePageConfig({ navigationBarTitleText: '更改留守状态' })
