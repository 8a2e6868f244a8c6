export default definePageConfig({ navigationBarTitleText: '接收提醒' })
