export default definePageConfig({ navigationBarTitleText: '法律援助案件', enablePullDownRefresh: true })
