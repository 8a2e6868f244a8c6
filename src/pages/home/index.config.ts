export default definePageConfig({ navigationBarTitleText: '雏燕', enablePullDownRefresh: true })
