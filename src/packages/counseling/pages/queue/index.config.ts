export default definePageConfig({ navigationBarTitleText: '心理求助队列', enablePullDownRefresh: true })
