export default definePageConfig({ navigationBarTitleText: '本地区的结对', enablePullDownRefresh: true })
