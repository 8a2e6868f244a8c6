// Tab pages live in the main package; every area is its own subpackage so the main package stays small.
export default defineAppConfig({
  pages: [
    'pages/home/index',
    'pages/help/index',
    'pages/me/index',
    'pages/signin/index'
  ],
  subPackages: [
    { root: 'packages/settings', pages: ['pages/text-size/index'] }
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#fff7f0',
    navigationBarTitleText: '雏燕',
    navigationBarTextStyle: 'black',
    backgroundColor: '#fffaf5'
  },
  tabBar: {
    color: '#6b5b53',
    selectedColor: '#d9480f',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      { pagePath: 'pages/home/index', text: '首页', iconPath: 'assets/tab/home.png', selectedIconPath: 'assets/tab/home-active.png' },
      { pagePath: 'pages/help/index', text: '求助电话', iconPath: 'assets/tab/phone.png', selectedIconPath: 'assets/tab/phone-active.png' },
      { pagePath: 'pages/me/index', text: '我的', iconPath: 'assets/tab/person.png', selectedIconPath: 'assets/tab/person-active.png' }
    ]
  },
  // WeChat asks the user before privacy-bound APIs (phone number, album); the guide itself is set in the console.
  __usePrivacyCheck__: true,
  lazyCodeLoading: 'requiredComponents'
})
