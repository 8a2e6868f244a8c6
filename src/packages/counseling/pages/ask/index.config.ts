export default definePageConfig({ navigationBarTitleText: '找人聊聊' })
