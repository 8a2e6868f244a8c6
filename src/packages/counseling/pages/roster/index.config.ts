export default definePageConfig({ navigationBarTitleText: '值班表和我的时间' })
