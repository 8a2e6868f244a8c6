export default definePageConfig({ navigationBarTitleText: '关爱室设置' })
