/**
 * The `wx` object the app sees. Every name WeChat documents is present (wx-apis.json), so Taro wraps each as it
 * does in WeChat; the ones this runtime implements behave as WeChat's do (callbacks or a promise, `errMsg`
 * "<api>:ok" / "<api>:fail ..."), and every other one fails loudly when called: it throws an error naming itself
 * and records a problem, which fails the test even if the app catches the error.
 */
import { CloudFailure } from './cloud'
import type { MiniProgram } from './miniprogram'
import apiNames from './wx-apis.json'

type Options = Record<string, any>
type Impl = (options: Options) => unknown

/** A failure of a wx API: the app receives `{errMsg: '<api>:fail <reason>', errno?}` in fail / the rejection. */
export class WxFailure extends Error {
  constructor (readonly reason: string, readonly errno?: number) { super(reason) }
}

/** APIs whose use WeChat gates behind the privacy guide when `__usePrivacyCheck__` is on. */
const PRIVACY_APIS = new Set(['chooseImage', 'chooseMedia', 'chooseMessageFile', 'chooseVideo', 'chooseLocation', 'getLocation',
  'chooseAddress', 'getClipboardData', 'setClipboardData', 'saveImageToPhotosAlbum', 'startRecord', 'getUserProfile'])

export function createWx (mp: MiniProgram): Record<string, unknown> {
  const service = mp.service
  const realm = service.realm
  const table: Record<string, unknown> = {}

  /** An async API: WeChat calls success/fail/complete, or returns a promise when none is given. */
  const asyncApi = (name: string, impl: Impl) => (options: Options = {}) => {
    const o = options ?? {}
    const run = async (): Promise<unknown> => {
      if (PRIVACY_APIS.has(name)) await mp.privacyGate(name)
      return await impl(o)
    }
    const promise = new realm.Promise((resolve, reject) => {
      run().then((res) => {
        const value = service.toApp({ errMsg: `${name}:ok`, ...(res as object ?? {}) })
        if (typeof o.success === 'function') service.guard(`${name} success callback`, () => o.success(value))
        if (typeof o.complete === 'function') service.guard(`${name} complete callback`, () => o.complete(value))
        resolve(value)
      }, (err: unknown) => {
        const failure = toFailure(name, err)
        if (typeof o.fail === 'function') service.guard(`${name} fail callback`, () => o.fail(failure))
        if (typeof o.complete === 'function') service.guard(`${name} complete callback`, () => o.complete(failure))
        reject(failure)
      })
    })
    if (typeof o.success === 'function' || typeof o.fail === 'function' || typeof o.complete === 'function') {
      promise.catch(() => undefined)
      return undefined
    }
    return promise
  }

  const toFailure = (name: string, err: unknown): unknown => {
    if (err instanceof CloudFailure) {
      const e = new realm.Error(err.errMsg) as Error & { errCode: number, errMsg: string }
      e.errCode = err.errCode
      e.errMsg = err.errMsg
      return e
    }
    if (err instanceof WxFailure) return service.toApp({ errMsg: `${name}:fail ${err.reason}`, ...(err.errno !== undefined ? { errno: err.errno } : {}) })
    // Our own bug, or the app passed something WeChat would refuse: say so.
    mp.problem('wx', `wx.${name} failed inside the runtime: ${(err as Error)?.stack ?? String(err)}`)
    return service.toApp({ errMsg: `${name}:fail ${(err as Error)?.message ?? String(err)}` })
  }

  const sync = (fn: (...args: any[]) => unknown) => (...args: any[]) => {
    const out = fn(...args)
    return out === undefined || out === null || typeof out !== 'object' ? out : service.toApp(out)
  }

  // ---- base and system -------------------------------------------------------------------------------------
  const sys = mp.system
  Object.assign(table, {
    env: service.toApp({ USER_DATA_PATH: 'wxfile://usr' }),
    canIUse: (schema: string) => {
      const first = String(schema).split('.')[0]
      if ((apiNames.names as string[]).includes(first)) return first in implemented
      return true // components, their attributes and the other schema forms: WeChat's current base library has them
    },
    getSystemInfoSync: sync(() => ({ ...sys.device, ...sys.window, ...sys.app, ...sys.setting })),
    getSystemInfo: asyncApi('getSystemInfo', () => ({ ...sys.device, ...sys.window, ...sys.app, ...sys.setting })),
    getSystemInfoAsync: asyncApi('getSystemInfoAsync', () => ({ ...sys.device, ...sys.window, ...sys.app, ...sys.setting })),
    getWindowInfo: sync(() => ({ ...sys.window })),
    getDeviceInfo: sync(() => ({ ...sys.device })),
    getAppBaseInfo: sync(() => ({ ...sys.app })),
    getSystemSetting: sync(() => ({ ...sys.setting })),
    getAppAuthorizeSetting: sync(() => ({
      albumAuthorized: 'authorized', cameraAuthorized: 'authorized', locationAuthorized: 'not determined', microphoneAuthorized: 'not determined', notificationAuthorized: 'authorized', phoneCalendarAuthorized: 'not determined'
    })),
    getMenuButtonBoundingClientRect: sync(() => ({ width: 87, height: 32, top: 48, right: 368, bottom: 80, left: 281 })),
    getLaunchOptionsSync: sync(() => mp.launchOptions),
    getEnterOptionsSync: sync(() => mp.launchOptions),
    getAccountInfoSync: sync(() => ({ miniProgram: { appId: 'wxlocal', envVersion: 'develop', version: '' } })),
    nextTick: (fn: () => void) => { service.context.setTimeout(fn, 0) }
  })
  // App-level event registrations: kept, so that the runtime can call them as WeChat would.
  for (const event of ['AppShow', 'AppHide', 'Error', 'UnhandledRejection', 'PageNotFound', 'ThemeChange', 'MemoryWarning', 'NetworkStatusChange', 'WindowResize', 'LazyLoadError', 'AudioInterruptionBegin', 'AudioInterruptionEnd']) {
    table[`on${event}`] = (fn: unknown) => { if (typeof fn === 'function') mp.appListeners.push({ event, fn: fn as (...a: unknown[]) => void }) }
    table[`off${event}`] = (fn: unknown) => { mp.appListeners = mp.appListeners.filter((l) => !(l.event === event && (fn === undefined || l.fn === fn))) }
  }

  // ---- storage ---------------------------------------------------------------------------------------------
  const storageKey = (key: unknown, api: string): string => {
    if (typeof key !== 'string' || key === '') throw new realm.Error(`${api}:fail parameter error: parameter.key should be String instead of ${typeof key}`)
    return key
  }
  Object.assign(table, {
    setStorageSync: (key: unknown, data: unknown) => { mp.storage.set(storageKey(key, 'setStorageSync'), JSON.stringify(data === undefined ? null : data)) },
    getStorageSync: (key: unknown) => {
      const v = mp.storage.get(storageKey(key, 'getStorageSync'))
      return v === undefined ? '' : realm.JSON.parse(v)
    },
    removeStorageSync: (key: unknown) => { mp.storage.delete(storageKey(key, 'removeStorageSync')) },
    clearStorageSync: () => { mp.storage.clear() },
    getStorageInfoSync: sync(() => ({ keys: [...mp.storage.keys()], currentSize: Math.ceil([...mp.storage.values()].join('').length / 1024), limitSize: 10240 })),
    setStorage: asyncApi('setStorage', (o) => { mp.storage.set(storageKey(o.key, 'setStorage'), JSON.stringify(o.data === undefined ? null : o.data)) }),
    getStorage: asyncApi('getStorage', (o) => {
      const v = mp.storage.get(storageKey(o.key, 'getStorage'))
      if (v === undefined) throw new WxFailure('data not found')
      return { data: JSON.parse(v) }
    }),
    removeStorage: asyncApi('removeStorage', (o) => { mp.storage.delete(storageKey(o.key, 'removeStorage')) }),
    clearStorage: asyncApi('clearStorage', () => { mp.storage.clear() }),
    getStorageInfo: asyncApi('getStorageInfo', () => ({ keys: [...mp.storage.keys()], currentSize: 0, limitSize: 10240 }))
  })

  // ---- navigation ------------------------------------------------------------------------------------------
  for (const kind of ['navigateTo', 'redirectTo', 'switchTab', 'reLaunch', 'navigateBack'] as const) {
    table[kind] = asyncApi(kind, async (o) => { await mp.navigate(kind, o) })
  }

  // ---- interface -------------------------------------------------------------------------------------------
  Object.assign(table, {
    showToast: asyncApi('showToast', (o) => { mp.showToast(o) }),
    hideToast: asyncApi('hideToast', () => { mp.hideToast() }),
    showLoading: asyncApi('showLoading', (o) => { mp.showLoading(o) }),
    hideLoading: asyncApi('hideLoading', () => { mp.hideLoading() }),
    showModal: asyncApi('showModal', async (o) => await mp.showModal(o)),
    setNavigationBarTitle: asyncApi('setNavigationBarTitle', (o) => { mp.setTitle(String(o.title ?? '')) }),
    setNavigationBarColor: asyncApi('setNavigationBarColor', () => undefined),
    setTabBarBadge: asyncApi('setTabBarBadge', (o) => { mp.tabBadge('setTabBarBadge', o) }),
    removeTabBarBadge: asyncApi('removeTabBarBadge', (o) => { mp.tabBadge('removeTabBarBadge', o) }),
    stopPullDownRefresh: asyncApi('stopPullDownRefresh', () => { mp.pullingDown = false }),
    startPullDownRefresh: asyncApi('startPullDownRefresh', () => { mp.startPullDownRefresh() }),
    pageScrollTo: asyncApi('pageScrollTo', (o) => { mp.scrolls.push({ route: mp.currentRoute(), scrollTop: o.scrollTop, selector: o.selector }) }),
    hideKeyboard: asyncApi('hideKeyboard', () => undefined),
    vibrateShort: asyncApi('vibrateShort', () => undefined),
    makePhoneCall: asyncApi('makePhoneCall', (o) => {
      if (typeof o.phoneNumber !== 'string' || o.phoneNumber === '') throw new WxFailure('parameter error: parameter.phoneNumber should be String')
      mp.phoneCalls.push(o.phoneNumber)
    })
  })

  // ---- privacy ---------------------------------------------------------------------------------------------
  Object.assign(table, {
    onNeedPrivacyAuthorization: (fn: unknown) => { if (typeof fn === 'function') mp.privacyListener = fn as (...a: unknown[]) => void },
    getPrivacySetting: asyncApi('getPrivacySetting', () => ({ needAuthorization: mp.usesPrivacyCheck() && !mp.privacyAgreed, privacyContractName: '《雏燕隐私保护指引》' })),
    requirePrivacyAuthorize: asyncApi('requirePrivacyAuthorize', async () => { await mp.privacyGate('requirePrivacyAuthorize', true) }),
    openPrivacyContract: asyncApi('openPrivacyContract', () => { mp.privacyContractOpened++ })
  })

  // ---- subscription messages -------------------------------------------------------------------------------
  table.requestSubscribeMessage = asyncApi('requestSubscribeMessage', async (o) => await mp.requestSubscribeMessage(o.tmplIds))

  // ---- files -----------------------------------------------------------------------------------------------
  Object.assign(table, {
    chooseImage: asyncApi('chooseImage', async (o) => {
      const files = await mp.pickFiles('chooseImage', o, ['jpg', 'jpeg', 'png', 'webp', 'heic', 'gif'])
      return { tempFilePaths: files.map((f) => f.path), tempFiles: files.map((f) => ({ path: f.path, size: f.bytes.length })) }
    }),
    chooseMedia: asyncApi('chooseMedia', async (o) => {
      const files = await mp.pickFiles('chooseMedia', o, ['jpg', 'jpeg', 'png', 'webp', 'heic', 'gif', 'mp4', 'mov'])
      return { type: 'image', tempFiles: files.map((f) => ({ tempFilePath: f.path, size: f.bytes.length, fileType: /\.(mp4|mov)$/i.test(f.path) ? 'video' : 'image' })) }
    }),
    chooseMessageFile: asyncApi('chooseMessageFile', async (o) => {
      const files = await mp.pickFiles('chooseMessageFile', o, undefined)
      return { tempFiles: files.map((f) => ({ path: f.path, size: f.bytes.length, name: f.name, type: /\.(jpe?g|png|webp|heic|gif)$/i.test(f.name) ? 'image' : 'file', time: Math.floor(Date.now() / 1000) })) }
    }),
    previewImage: asyncApi('previewImage', (o) => { mp.previews.push({ urls: [...(o.urls ?? [])], current: o.current }) }),
    openDocument: asyncApi('openDocument', (o) => {
      const file = mp.files.get(String(o.filePath))
      if (!file) throw new WxFailure(`file not found: ${String(o.filePath)}`)
      mp.documents.push({ path: file.path, name: file.name, fileType: o.fileType })
    }),
    downloadFile: asyncApi('downloadFile', async (o) => {
      const res = await mp.fetchUrl(String(o.url))
      const name = decodeURIComponent(new URL(String(o.url)).pathname.split('/').pop() ?? 'file')
      const file = mp.files.add(name, res.bytes)
      return { tempFilePath: file.path, statusCode: res.status }
    }),
    shareFileMessage: asyncApi('shareFileMessage', (o) => {
      const file = mp.files.get(String(o.filePath))
      if (!file) throw new WxFailure(`file not found: ${String(o.filePath)}`)
      mp.sharedFiles.push({ name: String(o.fileName ?? file.name), bytes: file.bytes })
    }),
    getFileSystemManager: () => fileSystemManager
  })
  const fileSystemManager = {
    writeFileSync: (filePath: unknown, data: unknown, encoding: unknown = 'utf8') => {
      const p = String(filePath)
      if (!p.startsWith('wxfile://usr/')) throw new realm.Error(`writeFileSync:fail permission denied, open ${p} (only wx.env.USER_DATA_PATH is writable)`)
      const bytes = typeof data === 'string' ? Buffer.from(data, encoding === 'utf-8' || encoding === 'utf8' ? 'utf8' : encoding as BufferEncoding) : Buffer.from(data as ArrayBuffer)
      mp.files.put(p, p.slice('wxfile://usr/'.length), bytes)
    },
    readFileSync: (filePath: unknown, encoding?: unknown) => {
      const file = mp.files.get(String(filePath))
      if (!file) throw new realm.Error(`readFileSync:fail no such file or directory, open ${String(filePath)}`)
      return encoding ? file.bytes.toString(encoding === 'utf-8' ? 'utf8' : encoding as BufferEncoding) : file.bytes.buffer.slice(file.bytes.byteOffset, file.bytes.byteOffset + file.bytes.length)
    },
    accessSync: (filePath: unknown) => {
      if (!mp.files.get(String(filePath))) throw new realm.Error(`accessSync:fail no such file or directory ${String(filePath)}`)
    }
  }

  // ---- cloud -----------------------------------------------------------------------------------------------
  const cloud = {
    init: (o: Options = {}) => { mp.cloud.init(o) },
    callFunction: asyncApi('cloud.callFunction', async (o) => await mp.cloud.callFunction(o)),
    uploadFile: asyncApi('cloud.uploadFile', async (o) => await mp.cloud.uploadFile(o, (p) => mp.files.get(p))),
    getTempFileURL: asyncApi('cloud.getTempFileURL', async (o) => await mp.cloud.getTempFileURL(o))
  }
  table.cloud = new Proxy(cloud, {
    get: (target, key) => {
      if (typeof key !== 'string' || key in target) return (target as any)[key]
      return notImplemented(`cloud.${key}`)
    }
  })

  // ---- everything else: present, and loud ------------------------------------------------------------------
  const implemented: Record<string, true> = {}
  for (const k of Object.keys(table)) implemented[k] = true
  function notImplemented (name: string): (...args: unknown[]) => never {
    return () => {
      const message = `wx.${name} is not implemented by the weapp runtime (test/weapp-runtime): implement it there, or do not call it`
      mp.problem('wx', message)
      throw new realm.Error(message)
    }
  }
  for (const name of apiNames.names as string[]) {
    if (!(name in table)) table[name] = notImplemented(name)
  }
  // Only the real names exist, as in WeChat; reading another is undefined there too. Writes (webpackJsonp) stay.
  return table
}
