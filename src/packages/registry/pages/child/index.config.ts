export default definePageConfig({ navigationBarTitleText: '孩子档案' })
