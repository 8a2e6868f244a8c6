export default definePageConfig({ navigationBarTitleText: '督导', enablePullDownRefresh: true })
