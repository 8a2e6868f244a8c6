export default definePageConfig({ navigationBarTitleText: '我有邀请码' })
