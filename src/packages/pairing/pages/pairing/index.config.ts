export default definePageConfig({ navigationBarTitleText: '我结对的孩子', enablePullDownRefresh: true })
