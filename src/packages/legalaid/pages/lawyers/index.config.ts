export default definePageConfig({ navigationBarTitleText: '本中心律师', enablePullDownRefresh: true })
