export default definePageConfig({ navigationBarTitleText: '我的“五个一”' })
