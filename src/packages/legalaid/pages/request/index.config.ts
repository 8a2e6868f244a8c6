export default definePageConfig({ navigationBarTitleText: '申请进展', enablePullDownRefresh: true })
