export default definePageConfig({ navigationBarTitleText: '马上有人帮你' })
