export default definePageConfig({ navigationBarTitleText: '结对邀请', enablePullDownRefresh: true })
