export default definePageConfig({ navigationBarTitleText: '督导名单', enablePullDownRefresh: true })
