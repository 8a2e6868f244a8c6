export default definePageConfig({ navigationBarTitleText: '删除孩子信息的申请', enablePullDownRefresh: true })
