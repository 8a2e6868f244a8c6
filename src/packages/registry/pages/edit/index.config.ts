export default definePageConfig({ navigationBarTitleText: '登记孩子' })
