export default definePageConfig({ navigationBarTitleText: '申请删除孩子的信息' })
