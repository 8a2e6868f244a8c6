export default definePageConfig({ navigationBarTitleText: '记下打到家里的电话' })
