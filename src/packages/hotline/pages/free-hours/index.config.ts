export default definePageConfig({ navigationBarTitleText: '我常空闲的时间' })
