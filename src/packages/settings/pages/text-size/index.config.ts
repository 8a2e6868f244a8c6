export default definePageConfig({ navigationBarTitleText: '大字模式' })
