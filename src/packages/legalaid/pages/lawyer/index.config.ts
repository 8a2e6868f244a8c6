export default definePageConfig({ navigationBarTitleText: '律师资料' })
