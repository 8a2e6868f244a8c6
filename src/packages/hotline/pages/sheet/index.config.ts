export default definePageConfig({ navigationBarTitleText: '通话安排', enablePullDownRefresh: true })
