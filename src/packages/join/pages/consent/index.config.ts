export default definePageConfig({ navigationBarTitleText: '信息登记同意书' })
