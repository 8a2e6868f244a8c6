export default definePageConfig({ navigationBarTitleText: '预约辅导员' })
