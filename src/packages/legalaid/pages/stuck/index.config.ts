export default definePageConfig({ navigationBarTitleText: '卡住的法律援助申请', enablePullDownRefresh: true })
