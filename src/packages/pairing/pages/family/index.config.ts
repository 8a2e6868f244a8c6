export default definePageConfig({ navigationBarTitleText: '孩子的爱心志愿者', enablePullDownRefresh: true })
