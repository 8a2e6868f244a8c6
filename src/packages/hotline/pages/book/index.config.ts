export default definePageConfig({ navigationBarTitleText: '约通话' })
