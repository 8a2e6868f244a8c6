export default definePageConfig({ navigationBarTitleText: '结对匹配' })
