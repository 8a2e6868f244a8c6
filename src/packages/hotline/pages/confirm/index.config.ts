export default definePageConfig({ navigationBarTitleText: '确认家里接到的电话', enablePullDownRefresh: true })
