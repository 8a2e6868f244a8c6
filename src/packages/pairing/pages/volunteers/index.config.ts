export default definePageConfig({ navigationBarTitleText: '志愿者审查', enablePullDownRefresh: true })
