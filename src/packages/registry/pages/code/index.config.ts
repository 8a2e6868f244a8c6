export default definePageConfig({ navigationBarTitleText: '生成绑定码' })
