/**
 * The weapp runtime's own rules, on a small hand-written mini-program (fixture/, no Taro) and the local cloud:
 * rendering by wcc from setData paths, WeChat's event bubbling, inputs, the router's rules, subpackage loading,
 * wx APIs that answer as WeChat's do, and the ones that fail loudly. The journeys in test/weapp use the runtime
 * on the real build.
 */
import path from 'node:path'
import type { LocalCloud } from '../../localcloud'
import { startTestCloud } from '../support/localcloud'
import { configuredCloudEnv } from '.'
import { MiniProgram, type LaunchOptions } from './miniprogram'
import { applySetData, parsePath } from './setdata'

const FIXTURE = path.join(__dirname, 'fixture')
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4280000000049454e44ae426082', 'hex')
const ZHANG = 'demo-guardian-zhang'

let cloud: LocalCloud
const phones: MiniProgram[] = []
beforeAll(async () => { cloud = await startTestCloud({ envId: configuredCloudEnv() }) }, 60000)
afterAll(async () => {
  for (const p of phones) p.close()
  await cloud?.close()
})

async function launch (options: Partial<LaunchOptions> = {}): Promise<MiniProgram> {
  const mp = await MiniProgram.launch({ dir: FIXTURE, cloudUrl: cloud.url, openid: ZHANG, ...options })
  phones.push(mp)
  return mp
}

describe('setData paths', () => {
  it('reads WeChat\'s path forms, Taro\'s included', () => {
    expect(parsePath('a.b[1].c')).toEqual(['a', 'b', 1, 'c'])
    expect(parsePath('root.cn.[0].cn.[12].v')).toEqual(['root', 'cn', 0, 'cn', 12, 'v'])
    expect(() => parsePath('')).toThrow(/data path/)
  })

  it('creates what is missing on the way and copies values as JSON', () => {
    const data: any = { list: [{ name: 'a' }] }
    applySetData(data, JSON.stringify({ 'list[1].name': 'b', 'x.y': { when: new Date(0) }, 'z[0]': 1 }))
    expect(data).toEqual({ list: [{ name: 'a' }, { name: 'b' }], x: { y: { when: '1970-01-01T00:00:00.000Z' } }, z: [1] })
  })
})

describe('the view and events', () => {
  it('renders the page\'s WXML with its data, and again after setData', async () => {
    const mp = await launch({ entry: '/pages/index/index?who=%E5%A5%B6%E5%A5%B6&n=2' })
    expect(mp.page).toEqual({ route: 'pages/index/index', query: { who: '%E5%A5%B6%E5%A5%B6', n: '2' }, title: '首页夹具' })
    // WeChat leaves query values as written: decoding is the page's job.
    expect(await mp.byTestId('query').text()).toBe('who=%E5%A5%B6%E5%A5%B6&n=2')
    expect(await mp.byTestId('item').allTexts()).toEqual(['1. 甲', '2. 乙'])
    mp.top().instance.rename()
    await mp.settle()
    expect(await mp.byTestId('item').allTexts()).toEqual(['1. 甲', '2. 丙'])
    expect(await mp.byTestId('deep').text()).toBe('深！')
    expect(mp.screen()).toContain('── [首页] | 第二')
    mp.expectNoProblems()
  })

  it('bubbles a tap through bind handlers and stops it at a catch handler, with WeChat\'s target and currentTarget', async () => {
    const mp = await launch()
    await mp.byTestId('inner').tap()
    await mp.byTestId('log').filter({ hasText: 'middle' }).waitFor()
    expect(await mp.byTestId('log').text()).toBe('inner:inner;middle:middle<inner;')
    await mp.byText('点旁边').tap()
    await mp.byTestId('log').filter({ hasText: 'outer' }).waitFor()
    expect(await mp.byTestId('log').text()).toBe('inner:inner;middle:middle<inner;free;outer:outer<free;')
    mp.expectNoProblems()
  })

  it('types into an input as WeChat does (the input event carries the whole value), and refuses hidden or disabled elements', async () => {
    const mp = await launch()
    await mp.byTestId('name').fill('王小雨')
    await mp.byTestId('typed').filter({ hasText: '王小雨' }).waitFor()
    expect(await mp.byTestId('name').value()).toBe('王小雨')
    expect(await mp.byTestId('hidden').count()).toBe(0)
    expect(mp.screen()).not.toContain('看不见')
    await expect(mp.byTestId('disabled').tap()).rejects.toThrow(/disabled/)
    expect(await mp.byTestId('log').text()).toBe('')
    mp.expectNoProblems()
  })

  it('renders a custom component from its own WXML and data, and sends taps inside it to its methods', async () => {
    const mp = await launch({ entry: '/pages/tab2/index' })
    expect(await mp.byTestId('count').text()).toBe('羊数到 2')
    await mp.byTestId('count').tap()
    await mp.byTestId('count').filter({ hasText: '3' }).waitFor()
    // A property the page changes reaches the component; its own data stays.
    mp.top().instance.setData({ label: '牛' })
    await mp.byTestId('count').filter({ hasText: '牛' }).waitFor()
    expect(await mp.byTestId('count').text()).toBe('牛数到 3')
    mp.expectNoProblems()
  })

  it('refreshes on a pull where the page enables it', async () => {
    const mp = await launch()
    await mp.pullDownRefresh()
    expect(await mp.byTestId('result').text()).toBe('刷新了')
    expect(mp.pullingDown).toBe(false)
  })
})

describe('the router and subpackages', () => {
  it('loads a subpackage on first navigation, keeps the stack, and goes back', async () => {
    const mp = await launch()
    await mp.byTestId('go').tap()
    await mp.byTestId('a').waitFor()
    expect(mp.stackRoutes()).toEqual(['pages/index/index', 'pkg-a/pages/a/index'])
    expect(mp.page.title).toBe('A 页')
    expect(await mp.byTestId('a').text()).toBe('A：%E5%B0%8F%E9%9B%A8！')
    await mp.byTestId('back').tap()
    await mp.byTestId('title').waitFor()
    expect(mp.stackRoutes()).toEqual(['pages/index/index'])
    mp.expectNoProblems()
  })

  it('refuses what WeChat refuses: a tab page by navigateTo, a non-tab page by switchTab, back from the first page, an unknown page', async () => {
    const mp = await launch()
    await mp.byTestId('go').tap()
    await mp.byTestId('to-tab').tap()
    await mp.byTestId('a-result').filter({ hasText: 'navigateTo' }).waitFor()
    expect(await mp.byTestId('a-result').text()).toBe('navigateTo:fail can not navigateTo a tabbar page')
    await expect(mp.wx.switchTab({ url: '/pkg-a/pages/a/index' })).rejects.toEqual({ errMsg: 'switchTab:fail can not switch to no-tabBar page' })
    await expect(mp.wx.navigateTo({ url: '/pages/nowhere/index' })).rejects.toEqual({ errMsg: 'navigateTo:fail page "pages/nowhere/index" is not found' })
    await mp.open('/pages/index/index')
    await expect(mp.wx.navigateBack()).rejects.toEqual({ errMsg: 'navigateBack:fail cannot navigate back at first page.' })
    mp.expectNoProblems()
  })

  it('keeps a subpackage\'s code to itself: another subpackage cannot require it', async () => {
    const mp = await launch()
    await mp.byTestId('go').tap()
    await mp.byTestId('to-b-file').tap()
    expect(await mp.byTestId('a-result').text()).toBe('module \'pkg-b/util.js\' is not defined, require args is \'../../../pkg-b/util.js\' (subpackage pkg-b is not loaded)')
    mp.expectNoProblems()
  })

  it('switches tabs, and downloads the subpackages a page\'s preloadRule names', async () => {
    const mp = await launch()
    expect(mp.preloaded).toEqual([])
    await mp.tapTab('第二')
    expect(mp.page.route).toBe('pages/tab2/index')
    expect(mp.preloaded).toEqual(['pkg-b'])
    await mp.tapTab('首页')
    expect(mp.stackRoutes()).toEqual(['pages/index/index'])
    mp.expectNoProblems()
  })
})

describe('wx APIs', () => {
  it('asks for subscription messages only on a tap, and records the person\'s choices through the seam', async () => {
    const seen: string[][] = []
    const mp = await launch({ subscribe: (ids) => ({ [ids[0]]: 'accept', [ids[1]]: 'reject' }), onSubscription: (c) => { seen.push(c.tmplIds) } })
    await mp.byTestId('subscribe').tap()
    await mp.byTestId('result').filter({ hasText: 'A=' }).waitFor()
    expect(await mp.byTestId('result').text()).toBe('A=accept B=reject')
    expect(seen).toEqual([['TPL_A', 'TPL_B']])
    expect(mp.subscriptions).toEqual([expect.objectContaining({ openid: ZHANG, tmplIds: ['TPL_A', 'TPL_B'], answers: { TPL_A: 'accept', TPL_B: 'reject' } })])
    // Not on the tap itself (a timer later): WeChat refuses.
    await mp.byTestId('subscribe-late').tap()
    await mp.byTestId('result').filter({ hasText: 'fail' }).waitFor()
    expect(await mp.byTestId('result').text()).toBe('requestSubscribeMessage:fail can only be invoked by user TAP gesture.')
    expect(mp.subscriptions).toHaveLength(1)
    mp.expectNoProblems()
  })

  it('shows a modal until the person answers it, and toasts as WeChat shows them (7 characters beside an icon)', async () => {
    const mp = await launch()
    await mp.byTestId('ask').tap()
    expect(mp.modal()).toEqual({ title: '确定吗', content: '真的要这样做？', showCancel: true, confirmText: '好的', cancelText: '取消' })
    expect(mp.screen()).toContain('▣ 确定吗 · 真的要这样做？ [好的] [取消]')
    await mp.answerModal('好的')
    await mp.byTestId('result').filter({ hasText: '确定了' }).waitFor()
    expect(mp.toasts.map((t) => t.shown)).toEqual(['已经确定并且保'])
    mp.expectNoProblems()
  })

  it('puts privacy-bound APIs behind WeChat\'s privacy prompt, then gives the files the test chose', async () => {
    const mp = await launch()
    mp.willChoose([{ name: 'a.png', bytes: PNG }])
    await mp.byTestId('pick').tap()
    await mp.byTestId('result').filter({ hasText: '选了' }).waitFor()
    expect(await mp.byTestId('result').text()).toBe(`选了1张 ${PNG.length}字节`)
    expect(mp.privacyPrompts).toEqual(['chooseImage'])
    mp.willChoose('cancel')
    await mp.byTestId('pick').tap()
    await mp.byTestId('result').filter({ hasText: 'cancel' }).waitFor()
    expect(mp.privacyPrompts).toEqual(['chooseImage'])

    const refusing = await launch({ privacy: 'disagree' })
    refusing.willChoose([{ name: 'a.png', bytes: PNG }])
    await refusing.byTestId('pick').tap()
    await refusing.byTestId('result').filter({ hasText: 'fail' }).waitFor()
    expect(await refusing.byTestId('result').text()).toBe('chooseImage:fail privacy permission is not authorized 104')
    mp.expectNoProblems()
  })

  it('fails loudly, naming itself, for an API it does not implement, even when the app catches the error', async () => {
    const mp = await launch()
    expect(typeof mp.wx.getLocation).toBe('function')
    expect(() => mp.wx.getLocation({})).toThrow('wx.getLocation is not implemented by the weapp runtime')
    expect(() => mp.wx.cloud.database()).toThrow('wx.cloud.database is not implemented by the weapp runtime')
    expect(mp.problems.map((p) => p.message)).toEqual([
      expect.stringContaining('wx.getLocation is not implemented'), expect.stringContaining('wx.cloud.database is not implemented')
    ])
    expect(mp.wx.notAWeChatApi).toBeUndefined()
    expect(() => mp.expectNoProblems()).toThrow(/2 problem/)
  })

  // (An unhandled rejection of the app fails the running test too: jest reports it against the test.)
  it('counts console.error and a throw in an event handler or a timer as problems', async () => {
    const mp = await launch()
    const run = (code: string): unknown => require('node:vm').runInContext(code, mp.service.context)
    run('console.error("出错了")')
    mp.top().instance.outer = () => { throw new Error('handler broke') }
    await mp.byText('点旁边').tap()
    run('setTimeout(() => { throw new Error("timer broke") }, 0)')
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(mp.problems.map((p) => p.kind)).toEqual(['console.error', 'error', 'error'])
    expect(mp.problems[1].message).toContain('handler broke')
    expect(mp.problems[2].message).toContain('timer broke')
  })

  it('keeps storage as WeChat does: sync and async, missing keys', async () => {
    const mp = await launch()
    mp.wx.setStorageSync('size', { large: true })
    expect(mp.wx.getStorageSync('size')).toEqual({ large: true })
    expect(mp.wx.getStorageSync('nothing')).toBe('')
    await expect(mp.wx.getStorage({ key: 'nothing' })).rejects.toEqual({ errMsg: 'getStorage:fail data not found' })
    await expect(mp.wx.getStorage({ key: 'size' })).resolves.toEqual({ errMsg: 'getStorage:ok', data: { large: true } })
  })
})

describe('wx.cloud against the local cloud', () => {
  it('calls a function as the phone\'s WeChat user, on the env id of the local cloud only', async () => {
    const mp = await launch()
    await expect(mp.wx.cloud.callFunction({ name: 'account', data: { action: 'whoami', data: {} } })).rejects.toMatchObject({ errMsg: expect.stringContaining('wx.cloud.init') })
    mp.wx.cloud.init({ env: 'someone-elses-env' })
    await expect(mp.wx.cloud.callFunction({ name: 'account', data: { action: 'whoami', data: {} } })).rejects.toMatchObject({ errCode: -501000, errMsg: expect.stringContaining('env "someone-elses-env" not found') })
    mp.wx.cloud.init({ env: configuredCloudEnv() })
    const res = await mp.wx.cloud.callFunction({ name: 'account', data: { action: 'whoami', data: {} } })
    expect(res).toMatchObject({ errMsg: 'cloud.callFunction:ok', result: { ok: true, data: { openid: ZHANG, registered: true } } })
    await expect(mp.wx.cloud.callFunction({ name: 'nosuchfunction', data: {} })).rejects.toMatchObject({ errCode: -501000 })
  })

  it('uploads into the person\'s own folder only, and resolves the file to a temporary link', async () => {
    const mp = await launch()
    mp.wx.cloud.init({ env: configuredCloudEnv() })
    const file = mp.files.add('a.png', PNG)
    await expect(mp.wx.cloud.uploadFile({ cloudPath: 'legalaid/demo-parent-wang/x.png', filePath: file.path })).rejects.toMatchObject({ errMsg: expect.stringContaining('cloud.uploadFile:fail') })
    await expect(mp.wx.cloud.uploadFile({ cloudPath: `legalaid/${ZHANG}/x.pdf`, filePath: file.path })).rejects.toMatchObject({ errMsg: expect.stringContaining('InvalidFileType') })
    const up = await mp.wx.cloud.uploadFile({ cloudPath: `legalaid/${ZHANG}/x.png`, filePath: file.path })
    expect(up).toMatchObject({ errMsg: 'cloud.uploadFile:ok', statusCode: 200, fileID: expect.stringMatching(new RegExp(`^cloud://${configuredCloudEnv()}\\.[^/]+/legalaid/${ZHANG}/x\\.png$`)) })
    const urls = await mp.wx.cloud.getTempFileURL({ fileList: [up.fileID] })
    expect(urls.fileList[0]).toMatchObject({ fileID: up.fileID, status: 0 })
    expect(Buffer.from(await (await fetch(urls.fileList[0].tempFileURL)).arrayBuffer())).toEqual(PNG)
  })
})
