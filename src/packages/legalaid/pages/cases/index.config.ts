export default definePageConfig({ navigationBarTitleText: '我承办的案件', enablePullDownRefresh: true })
