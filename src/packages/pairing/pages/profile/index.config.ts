export default definePageConfig({ navigationBarTitleText: '我的志愿者登记', enablePullDownRefresh: true })
