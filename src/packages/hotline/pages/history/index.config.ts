export default definePageConfig({ navigationBarTitleText: '通话记录', enablePullDownRefresh: true })
