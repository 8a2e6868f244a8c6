// Tab pages live in the main package; every area is its own subpackage so the main package stays small.
export default defineAppConfig({
  pages: [
    'pages/home/index',
    'pages/inbox/index',
    'pages/help/index',
    'pages/me/index',
    'pages/signin/index'
  ],
  subPackages: [
    // 大字模式; 接收提醒: the alerts a staff duty needs, the allows left, the SMS phone, who on a roster cannot be reached
    { root: 'packages/settings', pages: ['pages/text-size/index', 'pages/alerts/index'] },
    // 爱心结对: the volunteer's registration, vetting state, offers and pairing page; the admin's vetting, matching and area pairings; the family's volunteer
    { root: 'packages/pairing', pages: ['pages/register/index', 'pages/profile/index', 'pages/offers/index', 'pages/pairing/index', 'pages/volunteers/index', 'pages/matching/index', 'pages/area/index', 'pages/family/index'] },
    // 守护 / 强制报告: file a report (or, with ?id=, handle it), the handlers' queue, the reporter's receipts
    { root: 'packages/safeguard', pages: ['pages/report/index', 'pages/queue/index', 'pages/mine/index'] },
    // 督导: an admin's oversight figures, the lists behind them with CSV, a leader's 五个一
    { root: 'packages/oversight', pages: ['pages/index/index', 'pages/list/index', 'pages/duties/index'] },
    // 法律援助绿色通道: the applicant's request form, requests and timeline; the centre's queue, case page and lawyers; the lawyer's cases and profile; the county justice admin's stuck requests
    { root: 'packages/legalaid', pages: ['pages/apply/index', 'pages/mine/index', 'pages/request/index', 'pages/queue/index', 'pages/case/index', 'pages/cases/index', 'pages/lawyers/index', 'pages/lawyer/index', 'pages/stuck/index'] },
    // 心理援助: triage, the crisis page, booking and my requests; the counsellor's queue, case notes and duty roster
    { root: 'packages/counseling', pages: ['pages/ask/index', 'pages/crisis/index', 'pages/book/index', 'pages/mine/index', 'pages/queue/index', 'pages/case/index', 'pages/roster/index'] },
    // 一人一档: the registry list, a child's file, its form, status changes, binding codes, a family's request to delete
    { root: 'packages/registry', pages: ['pages/list/index', 'pages/child/index', 'pages/edit/index', 'pages/status/index', 'pages/code/index', 'pages/deletion/index'] },
    // for anyone, also a WeChat user not registered yet: binding code, guardian consent, staff invitation
    { root: 'packages/join', pages: ['pages/bind/index', 'pages/consent/index', 'pages/invitation/index'] },
    // admins: staff invitations and roles, the access log, families' requests to delete (民政), the holiday arrangements
    { root: 'packages/admin', pages: ['pages/staff/index', 'pages/access-log/index', 'pages/deletions/index', 'pages/holidays/index'] },
    // 亲情热线: a parent books, moves and keeps weekly calls with the child, and records calls made straight home; the
    // guardian (or teacher) confirms those; the teacher's room settings and day sheet
    { root: 'packages/hotline', pages: ['pages/book/index', 'pages/bookings/index', 'pages/history/index', 'pages/free-hours/index', 'pages/room/index', 'pages/sheet/index', 'pages/direct/index', 'pages/confirm/index'] }
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#fff7f0',
    navigationBarTitleText: '雏燕',
    navigationBarTextStyle: 'black',
    // WeChat's own title bar; on h5 this also turns on Taro's title bar with a back (or home) button
    navigationStyle: 'default',
    backgroundColor: '#fffaf5'
  },
  tabBar: {
    color: '#6b5b53',
    selectedColor: '#d9480f',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      { pagePath: 'pages/home/index', text: '首页', iconPath: 'assets/tab/home.png', selectedIconPath: 'assets/tab/home-active.png' },
      // 消息 is INBOX_TAB (services/inbox.ts): its badge is the unread count.
      { pagePath: 'pages/inbox/index', text: '消息', iconPath: 'assets/tab/inbox.png', selectedIconPath: 'assets/tab/inbox-active.png' },
      { pagePath: 'pages/help/index', text: '求助电话', iconPath: 'assets/tab/phone.png', selectedIconPath: 'assets/tab/phone-active.png' },
      { pagePath: 'pages/me/index', text: '我的', iconPath: 'assets/tab/person.png', selectedIconPath: 'assets/tab/person-active.png' }
    ]
  },
  // WeChat asks the user before privacy-bound APIs (phone number, album); the guide itself is set in the console.
  __usePrivacyCheck__: true,
  lazyCodeLoading: 'requiredComponents'
})
