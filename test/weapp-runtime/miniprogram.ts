/**
 * One phone running the built mini-program: the app launched in the service realm, a page stack navigated by the
 * rules of WeChat's router, each page's data kept from its setData calls and rendered by the view layer, and the
 * person's taps and typing dispatched as WeChat dispatches them. See README.md for the design and its limits.
 */
import crypto from 'node:crypto'
import path from 'node:path'
import { WxCloud, type TempFile } from './cloud'
import { Locator, type Query } from './locator'
import { Project, resolvePath, type PageJson } from './project'
import { applySetData, SET_DATA_LIMIT } from './setdata'
import { AppService, describe, type Problem } from './service'
import { datasetOf, elements, handlerOf, hiddenSelf, isTappable, textOf, ViewLayer, visible, type Owner, type VElement, type VNode } from './view'
import { createWx, WxFailure } from './wx'

export interface LaunchOptions {
  /** The build folder (dist/weapp). */
  dir: string
  /** The local cloud: its base URL (its env id is read from /api/health). */
  cloudUrl: string
  /** The WeChat user holding the phone: the OPENID WeChat vouches for on every cloud call. */
  openid: string
  /** The page (and query) the app opens on, as a shared card or a scan would open it; default app.json's first page. */
  entry?: string
  /** How the person answers a subscription-message request: per template id; default: allows each. */
  subscribe?: (tmplIds: string[]) => Record<string, 'accept' | 'reject'>
  /**
   * Where the person's subscription choices go. The runtime keeps them (`subscriptions`); `weappSession` hands them
   * to the local cloud (POST /api/subscriptions), so that a later send is allowed or refused (43101) by them.
   */
  onSubscription?: (choice: SubscriptionChoice) => void | Promise<void>
  /** The person's answer to WeChat's own privacy prompt (when the app registers no onNeedPrivacyAuthorization). */
  privacy?: 'agree' | 'disagree'
  /** Fail the launch if the app has not settled by then (ms). */
  timeoutMs?: number
  /**
   * The phone's clock (ms since the epoch): what `Date` reads in the app. Default: real time. `weappSession` sets it
   * to the local cloud's clock, as a phone's clock follows the network's time, so a test that moves the cloud's
   * clock moves the phone's with it.
   */
  now?: () => number
}

export interface SubscriptionChoice { openid: string, tmplIds: string[], answers: Record<string, 'accept' | 'reject'>, at: Date }
export interface Toast { title: string, shown: string, icon: string, at: number, until: number }
export interface Modal { title: string, content: string, showCancel: boolean, confirmText: string, cancelText: string, answer: (button: 'confirm' | 'cancel') => void }

/** One page in the stack: the app's page instance and what the view shows of it. */
export class PageRecord {
  /** Bumped by each setData of the page or a component in it: the view is rendered again when read. */
  version = 0
  private rendered: { version: number, nodes: VNode[] } | undefined
  readonly components = new Map<string, ComponentRecord>()
  /** What the person typed in an input, by its node id, until the app sets a value of its own. */
  readonly typed = new Map<string, { value: string, attrAtTyping: string }>()
  state: 'loading' | 'shown' | 'hidden' | 'unloaded' = 'loading'
  readonly owner: Owner
  title: string
  readonly openedAt = Date.now()

  constructor (readonly mp: MiniProgram, readonly route: string, readonly query: Record<string, string>, readonly instance: any, readonly json: PageJson, readonly webviewId: number) {
    this.title = mp.project.title(route)
    this.owner = {
      kind: 'page',
      file: route,
      usingComponents: json.usingComponents ?? {},
      call: (method, event) => {
        const fn = this.instance[method]
        if (typeof fn !== 'function') throw new Error(`page ${route} has no method ${method} for its event binding`)
        fn.call(this.instance, event)
      }
    }
  }

  /** The page's element tree as WeChat shows it now. */
  nodes (): VNode[] {
    if (this.rendered?.version === this.version) return this.rendered.nodes
    const version = this.version
    const nodes = this.mp.view.render(this.owner, JSON.stringify(this.instance.data ?? {}), {
      dataFor: (owner, file, element, key) => this.componentData(owner, file, element, key)
    })
    for (const w of this.mp.view.takeWarnings()) {
      const message = `${this.route}: ${w.replace(/^WXMLRT_\$gwx:/, '')}`
      if (!this.mp.problems.some((p) => p.kind === 'render' && p.message === message)) this.mp.problem('render', message)
    }
    this.rendered = { version, nodes }
    return nodes
  }

  private componentData (_owner: Owner, file: string, element: VElement, key: string): { owner: Owner, data: unknown } {
    let rec = this.components.get(key)
    if (!rec) {
      rec = new ComponentRecord(this, file, key)
      this.components.set(key, rec)
      rec.create(element.attrs)
    } else {
      rec.updateProperties(element.attrs)
    }
    return { owner: rec.owner, data: rec.renderData(element.attrs) }
  }
}

/** A custom component in a page (Taro's recursive `comp`): its instance, properties and own data. */
export class ComponentRecord {
  instance: any
  owner!: Owner
  private readonly definition: Record<string, any>
  private ownChanges = false
  private lastProps = ''

  constructor (readonly page: PageRecord, readonly file: string, readonly key: string) {
    const mp = page.mp
    this.definition = mp.componentDefinition(file)
  }

  private propertyNames (): string[] {
    return Object.keys(this.definition.properties ?? {})
  }

  private pickProps (attrs: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    for (const name of this.propertyNames()) if (name in attrs) out[name] = attrs[name]
    return out
  }

  create (attrs: Record<string, unknown>): void {
    const mp = this.page.mp
    const service = mp.service
    const def = this.definition
    const props = this.pickProps(attrs)
    this.lastProps = JSON.stringify(props)
    const inst: any = service.toApp({})
    const data = { ...(def.data ? JSON.parse(JSON.stringify(def.data)) : {}), ...JSON.parse(this.lastProps) }
    inst.data = service.toApp(data)
    inst.properties = inst.data
    inst.is = this.file
    inst.id = String(attrs.id ?? '')
    inst.dataset = service.toApp(datasetOf({ attrs } as VElement))
    for (const [name, fn] of Object.entries(def.methods ?? {})) inst[name] = fn
    inst.setData = (changes: unknown, cb?: () => void) => {
      const json = JSON.stringify(changes)
      applySetData(inst.data, json)
      this.ownChanges = true
      this.page.version++
      if (typeof cb === 'function') service.context.setTimeout(cb, 0)
    }
    inst.triggerEvent = () => undefined
    inst.selectComponent = () => null
    inst.selectAllComponents = () => service.toApp([])
    inst.createSelectorQuery = () => mp.wx.createSelectorQuery()
    this.instance = inst
    const page = this.page
    this.owner = {
      kind: 'component',
      file: this.file,
      usingComponents: mp.project.pageJson(this.file).usingComponents ?? {},
      call: (method, event) => {
        const fn = inst[method]
        if (typeof fn !== 'function') throw new Error(`component ${this.file} has no method ${method} (in ${page.route})`)
        fn.call(inst, event)
      }
    }
    const life = { ...def, ...(def.lifetimes ?? {}) }
    for (const hook of ['created', 'attached', 'ready']) {
      if (typeof life[hook] === 'function') service.guard(`${this.file} ${hook}`, () => life[hook].call(inst))
    }
  }

  updateProperties (attrs: Record<string, unknown>): void {
    const props = JSON.stringify(this.pickProps(attrs))
    if (props === this.lastProps) return
    this.lastProps = props
    Object.assign(this.instance.data, this.page.mp.service.toApp(JSON.parse(props)))
  }

  /** Properties as given (fast path), or with the component's own setData merged in. */
  renderData (attrs: Record<string, unknown>): unknown {
    if (!this.ownChanges) {
      const data: Record<string, unknown> = {}
      for (const name of this.propertyNames()) data[name] = attrs[name]
      return data
    }
    return JSON.stringify(this.instance.data)
  }
}

/** Temporary and user files (wxfile://...): what pickers return and uploads read. */
export class FileStore {
  private readonly byPath = new Map<string, TempFile>()
  add (name: string, bytes: Buffer): TempFile {
    const ext = path.extname(name).toLowerCase()
    return this.put(`wxfile://tmp_${crypto.randomBytes(8).toString('hex')}${ext}`, name, bytes)
  }

  put (p: string, name: string, bytes: Buffer): TempFile {
    const f = { path: p, name, bytes }
    this.byPath.set(p, f)
    return f
  }

  get (p: string): TempFile | undefined {
    return this.byPath.get(p)
  }
}

interface SystemInfo { device: Record<string, unknown>, window: Record<string, unknown>, app: Record<string, unknown>, setting: Record<string, unknown> }

type NavKind = 'navigateTo' | 'redirectTo' | 'switchTab' | 'reLaunch' | 'navigateBack'

const MAX_PAGES = 10
const TOAST_ICON_LIMIT = 7

export class MiniProgram {
  readonly project: Project
  readonly view: ViewLayer
  readonly service: AppService
  readonly cloud: WxCloud
  readonly wx: Record<string, any>
  /** Everything that went wrong that a user or developer would notice: a test fails if any is left. */
  readonly problems: Problem[] = []
  readonly logs: Array<{ level: string, text: string }> = []
  readonly storage = new Map<string, string>()
  readonly files = new FileStore()
  readonly toasts: Toast[] = []
  readonly modals: Array<Omit<Modal, 'answer'> & { answered?: 'confirm' | 'cancel' }> = []
  readonly subscriptions: SubscriptionChoice[] = []
  readonly phoneCalls: string[] = []
  /** The tab bar's badges (wx.setTabBarBadge), by tab index. */
  readonly tabBadges = new Map<number, string>()
  readonly previews: Array<{ urls: string[], current?: string }> = []
  readonly documents: Array<{ path: string, name: string, fileType?: string }> = []
  readonly sharedFiles: Array<{ name: string, bytes: Buffer }> = []
  readonly scrolls: Array<{ route: string, scrollTop?: number, selector?: string }> = []
  /** Subpackages WeChat would have downloaded ahead, by preloadRule, and when. */
  readonly preloaded: string[] = []
  /** Privacy prompts shown (WeChat's own, or the app's through onNeedPrivacyAuthorization), by API. */
  readonly privacyPrompts: string[] = []
  appListeners: Array<{ event: string, fn: (...a: unknown[]) => void }> = []
  privacyListener: ((...a: unknown[]) => void) | undefined
  privacyAgreed = false
  privacyContractOpened = 0
  pullingDown = false
  readonly launchOptions: Record<string, unknown>
  readonly system: SystemInfo

  private app: any
  private stack: PageRecord[] = []
  /** Tab pages stay alive once opened, as in WeChat; the stack's bottom is one of them when on a tab. */
  private readonly tabs = new Map<string, PageRecord>()
  private readonly pageDefinitions = new Map<string, Record<string, any>>()
  private readonly componentDefinitions = new Map<string, Record<string, any>>()
  private webviewIds = 1
  private modalQueue: Modal[] = []
  private loading: { title: string } | undefined
  private currentToast: Toast | undefined
  /** True while a tap is being dispatched: the APIs WeChat allows only on a tap check it. */
  private gesture = false
  private taroDocument: any | null | undefined
  private closed = false
  private navigating: Promise<void> = Promise.resolve()

  private constructor (readonly options: LaunchOptions, envId: string) {
    this.project = new Project(options.dir)
    this.view = new ViewLayer(options.dir)
    this.cloud = new WxCloud({ url: options.cloudUrl, envId, openid: options.openid })
    const entry = parseUrl(options.entry ?? '/' + this.project.app.pages[0], '')
    this.launchOptions = { path: entry.route, query: entry.query, scene: 1001, referrerInfo: {}, apiCategory: 'default' }
    this.system = {
      device: { brand: 'devtools', model: 'iPhone 12/13 (Pro)', system: 'iOS 16.0', platform: 'devtools', pixelRatio: 3, benchmarkLevel: 1 },
      window: { pixelRatio: 3, screenWidth: 390, screenHeight: 844, windowWidth: 390, windowHeight: 844 - 91 - 48, statusBarHeight: 47, safeArea: { top: 47, left: 0, right: 390, bottom: 810, width: 390, height: 763 }, screenTop: 0 },
      app: { SDKVersion: '3.3.4', language: 'zh_CN', version: '8.0.5', theme: 'light', enableDebug: false, host: { appId: '' }, fontSizeSetting: 16 },
      setting: { bluetoothEnabled: false, locationEnabled: false, wifiEnabled: true, deviceOrientation: 'portrait' }
    }
    let wx: Record<string, any> = {}
    this.service = new AppService(this.project, {
      problem: (p) => this.problems.push(p),
      log: (level, text) => this.logs.push({ level, text }),
      get wx () { return wx },
      app: (config) => { this.app = config },
      page: (route, config) => { this.pageDefinitions.set(route, config) },
      component: (file, config) => { this.componentDefinitions.set(file, config) },
      getApp: () => this.app,
      getCurrentPages: () => this.stack.map((p) => p.instance),
      ...(options.now ? { now: options.now } : {})
    })
    wx = createWx(this)
    this.wx = wx
    ;(this.service.context as any).wx = wx
  }

  /** Starts the app as WeChat does on a cold start: App() then onLaunch, onShow, and the entry page. */
  static async launch (options: LaunchOptions): Promise<MiniProgram> {
    const health = await fetch(`${options.cloudUrl}/api/health`).then(async (r) => await r.json() as { env?: string })
    if (typeof health.env !== 'string') throw new Error(`${options.cloudUrl}/api/health did not name the local cloud's env id`)
    const mp = new MiniProgram(options, health.env)
    try {
      mp.service.loadApp()
    } catch (err) {
      mp.close()
      throw new Error(`app.js failed to load: ${describe(err)}`)
    }
    if (!mp.app) {
      mp.close()
      throw new Error('app.js did not call App()')
    }
    const launch = mp.service.toApp(mp.launchOptions)
    mp.service.guard('App.onLaunch', () => mp.app.onLaunch?.(launch))
    mp.service.guard('App.onShow', () => mp.app.onShow?.(launch))
    for (const l of mp.appListeners.filter((x) => x.event === 'AppShow')) mp.service.guard('onAppShow listener', () => l.fn(launch))
    await mp.navigate('reLaunch', { url: '/' + String(mp.launchOptions.path) + queryString(mp.launchOptions.query as Record<string, string>) })
    await mp.settle({ timeoutMs: options.timeoutMs })
    return mp
  }

  // ---- what a test reads ----------------------------------------------------------------------------------

  /** The page on top: its route, query and title. */
  get page (): { route: string, query: Record<string, string>, title: string } {
    const top = this.top()
    return { route: top.route, query: { ...top.query }, title: top.title }
  }

  /** Routes of the page stack, bottom first. */
  stackRoutes (): string[] {
    return this.stack.map((p) => p.route)
  }

  currentRoute (): string {
    return this.stack[this.stack.length - 1]?.route ?? ''
  }

  /** The toast on screen now, if any. */
  toast (): Toast | undefined {
    const t = this.currentToast
    return t && t.until > Date.now() ? t : undefined
  }

  /** The modal on screen now (WeChat's showModal), if any. */
  modal (): Omit<Modal, 'answer'> | undefined {
    const m = this.modalQueue[0]
    return m ? { title: m.title, content: m.content, showCancel: m.showCancel, confirmText: m.confirmText, cancelText: m.cancelText } : undefined
  }

  /** Taps a button of the modal on screen ('confirm' or 'cancel', or its text). */
  async answerModal (button: 'confirm' | 'cancel' | string): Promise<void> {
    const m = await this.waitUntil(() => this.modalQueue[0], 'a modal')
    const which = button === 'confirm' || button === m.confirmText ? 'confirm' : button === 'cancel' || (m.showCancel && button === m.cancelText) ? 'cancel' : undefined
    if (!which) throw new Error(`the modal "${m.title}" has no button "${button}" (it has ${m.confirmText}${m.showCancel ? ` and ${m.cancelText}` : ''})`)
    this.modalQueue.shift()
    this.withGesture(() => m.answer(which))
    await tick()
  }

  /** The screen as a person reads it: title, page content (one line per block), tab bar, modal and toast. */
  screen (): string {
    const top = this.top()
    const lines: string[] = [`【${top.title}】 ${top.route}${Object.keys(top.query).length ? queryString(top.query) : ''}`]
    const walk = (nodes: VNode[], depth: number): void => {
      for (const n of nodes) {
        if (n.type !== 'element' || hiddenSelf(n)) continue
        const pad = '  '.repeat(depth)
        const testId = this.testIdOf(n)
        const tag = testId ? `#${testId} ` : ''
        if (n.tag === 'input' || n.tag === 'textarea') {
          const value = this.valueOf(top, n)
          lines.push(`${pad}${tag}[${n.tag}] ${value !== '' ? value : `(${String(n.attrs.placeholder ?? '')})`}`)
          continue
        }
        if (n.tag === 'image') { lines.push(`${pad}${tag}[image]`); continue }
        const tappable = isTappable(n)
        const inner = [...elements(n.children)]
        const blockChildren = n.children.some((c) => c.type === 'element' && !['text', 'label'].includes(c.tag))
        if (!blockChildren || (tappable && !inner.some((c) => isTappable(c) || c.tag === 'input' || c.tag === 'textarea'))) {
          const text = textOf(n)
          if (text || tag) lines.push(`${pad}${tag}${tappable ? '[tap] ' : ''}${text}`)
          continue
        }
        if (tag || tappable) lines.push(`${pad}${tag}${tappable ? '[tap]' : ''}`)
        walk(n.children, depth + (tag || tappable ? 1 : 0))
      }
    }
    walk(top.nodes(), 1)
    if (this.project.isTabPage(top.route)) {
      lines.push('  ── ' + (this.project.app.tabBar?.list ?? []).map((t, i) => {
        const badge = this.tabBadges.has(i) ? `(${this.tabBadges.get(i)})` : ''
        return t.pagePath === top.route ? `[${t.text}${badge}]` : `${t.text}${badge}`
      }).join(' | '))
    }
    const modal = this.modal()
    if (modal) lines.push(`  ▣ ${modal.title} · ${modal.content} [${modal.confirmText}]${modal.showCancel ? ` [${modal.cancelText}]` : ''}`)
    const toast = this.toast()
    if (toast) lines.push(`  ◌ ${toast.shown}`)
    if (this.loading) lines.push(`  … ${this.loading.title}`)
    return lines.join('\n')
  }

  /** Elements of the page on top, found by test id (`data-testid`). */
  byTestId (id: string): Locator {
    return new Locator(this, [{ kind: 'testId', id }])
  }

  /** Elements of the page on top whose text is `text` (whitespace ignored) or matches it. */
  byText (text: string | RegExp): Locator {
    return new Locator(this, [{ kind: 'text', text }])
  }

  /** Something to tap (a button, or an element that takes taps) whose text is `text`. */
  button (text: string | RegExp): Locator {
    return new Locator(this, [{ kind: 'button', text }])
  }

  locator (queries: Query[]): Locator {
    return new Locator(this, queries)
  }

  /** Fails with the problems and the screen if the app reported any problem (from the `from`th on) that `allow` does not match. */
  expectNoProblems (allow: RegExp[] = [], from = 0): void {
    const problems = this.problems.slice(from).filter((p) => !allow.some((re) => re.test(p.message)))
    if (problems.length === 0) return
    throw new Error(`the app reported ${problems.length} problem(s):\n` +
      problems.map((p) => `- [${p.kind}] ${p.message}`).join('\n') + `\n\nscreen:\n${this.screen()}`)
  }

  // ---- what a person does ---------------------------------------------------------------------------------

  /** Opens a page the way a shared card or a scanned code does: the app relaunches on it. */
  async open (url: string): Promise<void> {
    await this.navigate('reLaunch', { url: url.startsWith('/') ? url : '/' + url })
    await this.settle()
  }

  /** Taps a tab of the tab bar by its text. */
  async tapTab (text: string): Promise<void> {
    const item = (this.project.app.tabBar?.list ?? []).find((t) => t.text === text)
    if (!item) throw new Error(`the tab bar has no tab "${text}"`)
    if (!this.project.isTabPage(this.currentRoute())) throw new Error(`no tab bar on ${this.currentRoute()}: it is not a tab page`)
    await this.withGestureAsync(async () => await this.navigate('switchTab', { url: '/' + item.pagePath }))
    await this.settle()
  }

  /** The back button of the navigation bar. */
  async back (): Promise<void> {
    if (this.stack.length < 2) throw new Error(`no back button on ${this.currentRoute()}: it is the first page`)
    await this.navigate('navigateBack', { delta: 1 })
    await this.settle()
  }

  /** Pulls the page down to refresh (when its json enables it). */
  async pullDownRefresh (): Promise<void> {
    this.startPullDownRefresh()
    await this.settle()
  }

  /** Queues the files the person picks in the next file or image chooser; 'cancel' closes it instead. */
  willChoose (files: Array<{ name: string, bytes: Buffer }> | 'cancel'): void {
    this.choices.push(files)
  }

  private readonly choices: Array<Array<{ name: string, bytes: Buffer }> | 'cancel'> = []

  /**
   * Waits until the app is quiet: no cloud request in flight, no navigation under way, and no setData for a
   * short while. Fails after `timeoutMs`.
   */
  async settle (opts: { timeoutMs?: number, quietMs?: number } = {}): Promise<void> {
    const deadline = Date.now() + (opts.timeoutMs ?? 30000)
    const quiet = opts.quietMs ?? 40
    let last = -1
    for (;;) {
      await this.navigating
      const version = this.versionSum()
      const idle = this.cloud.inflight === 0 && this.inSync()
      if (idle && version === last) return
      last = idle ? version : -1
      if (Date.now() > deadline) throw new Error(`the app did not settle in time (cloud requests in flight: ${this.cloud.inflight})\n${this.screen()}`)
      await sleep(quiet)
    }
  }

  /** Waits until `probe` returns something; fails with the screen after `timeoutMs`. */
  async waitUntil<T> (probe: () => T | undefined | false | null, what: string, timeoutMs = 20000): Promise<T> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const v = probe()
      if (v !== undefined && v !== false && v !== null) return v
      if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}, in vain. The screen:\n${this.screen()}`)
      await sleep(15)
    }
  }

  /** Stops the app: pending timers are dropped. */
  close (): void {
    if (this.closed) return
    this.closed = true
    this.service.close()
  }

  // ---- internals used by wx.ts and locator.ts -------------------------------------------------------------

  problem (kind: Problem['kind'], message: string): void {
    this.problems.push({ kind, message })
  }

  top (): PageRecord {
    const top = this.stack[this.stack.length - 1]
    if (!top) throw new Error('no page is open')
    return top
  }

  private versionSum (): number {
    let v = 0
    for (const p of this.stack) v += p.version
    return v
  }

  usesPrivacyCheck (): boolean {
    return this.project.app.__usePrivacyCheck__ === true
  }

  /**
   * True when the view shows what the app's Taro DOM holds: Taro has no update queued that it has not sent with
   * setData yet. Queries read only then, so that a test id (read from Taro's DOM) and the text beside it (read
   * from the view) belong to the same moment.
   */
  inSync (): boolean {
    const top = this.stack[this.stack.length - 1]
    if (!top) return true
    const dom = this.taroDom()
    const taroPath = top.instance.$taroPath
    if (!dom || typeof taroPath !== 'string') return true
    const root = dom.getElementById(taroPath)
    return !root || (root.pendingUpdate !== true && !(root.updatePayloads?.length > 0))
  }

  async synced (timeoutMs = 20000): Promise<void> {
    await this.waitUntil(() => this.inSync(), 'the view to show the app\'s latest update', timeoutMs)
  }

  /**
   * The dataset of a rendered element: its WXML data-* attributes and, in a Taro build, the data-* props the app
   * gave the element (read from Taro's DOM by the node's id).
   */
  datasetOf (el: VElement): Record<string, unknown> {
    const own = datasetOf(el)
    const sid = el.attrs['data-sid']
    const dom = typeof sid === 'string' ? this.taroDom() : null
    const node = dom ? dom.getElementById(sid as string) : undefined
    return node ? { ...own, ...node.dataset } : own
  }

  testIdOf (el: VElement): string | undefined {
    const id = this.datasetOf(el).testid
    return typeof id === 'string' ? id : undefined
  }

  /**
   * Taro's document inside the app: the one place the runtime reads app internals. Taro keeps `data-*` props
   * out of the setData tree (its hydrate step drops them), so WXML never carries test ids; they live on the
   * elements of Taro's DOM, found here by the node ids (`sid`) the rendered tree does carry. Null for an app
   * that is not a Taro build.
   */
  private taroDom (): { getElementById: (id: string) => any } | null {
    if (this.taroDocument !== undefined) return this.taroDocument
    let webpackRequire: any
    const jsonp = this.wx.webpackJsonp as unknown[] | undefined
    if (!jsonp) return (this.taroDocument = null)
    jsonp.push([['weapp-runtime-probe'], {}, (r: unknown) => { webpackRequire = r }])
    if (!webpackRequire?.m) throw new Error('the webpack runtime did not answer the probe: cannot find Taro\'s document')
    for (const id of Object.keys(webpackRequire.m)) {
      // Taro's createDocument (bom/document.js) sets documentElement; its module exports the document.
      const source = String(webpackRequire.m[id])
      if (!source.includes('.documentElement=') && !source.includes('"#document"')) continue
      const exports = webpackRequire(id)
      for (const key of Object.keys(exports)) {
        const v = exports[key]
        if (v && v.nodeName === '#document' && typeof v.getElementById === 'function') {
          this.taroDocument = v
          return v
        }
      }
    }
    throw new Error('Taro\'s document was not found among the app\'s modules')
  }

  valueOf (page: PageRecord, el: VElement): string {
    const attr = el.attrs.value === undefined || el.attrs.value === null ? '' : String(el.attrs.value)
    const typed = page.typed.get(String(el.attrs['data-sid']))
    return typed && typed.attrAtTyping === attr ? typed.value : attr
  }

  /**
   * Dispatches an event as WeChat does: to the target's handler, then (for bubbling events) to each ancestor's,
   * until a catch handler stops it. Each handler is the owner's method named in the WXML (Taro's `eh`).
   */
  dispatch (target: VElement, type: string, detail: Record<string, unknown>, bubbles: boolean): void {
    const page = this.top()
    const touch = { identifier: 0, pageX: 100, pageY: 100, clientX: 100, clientY: 100, force: 1 }
    const isTouch = type.startsWith('touch') || type === 'tap' || type === 'longpress'
    const targetInfo = { id: String(target.attrs.id ?? ''), offsetLeft: 0, offsetTop: 0, dataset: datasetOf(target) }
    for (let cur: VElement | undefined = target; cur; cur = bubbles ? cur.parent : undefined) {
      const handler = handlerOf(cur, type)
      if (!handler) continue
      const event = {
        type,
        timeStamp: Date.now() - page.openedAt,
        target: targetInfo,
        currentTarget: { id: String(cur.attrs.id ?? ''), offsetLeft: 0, offsetTop: 0, dataset: datasetOf(cur) },
        mark: {},
        detail,
        ...(isTouch ? { touches: type === 'touchend' || type === 'tap' ? [] : [touch], changedTouches: [touch] } : {}),
        mut: false
      }
      const owner = cur.owner
      this.service.guard(`${type} handler (${page.route})`, () => owner.call(handler.method, this.service.toApp(event)))
      if (handler.stops) break
    }
  }

  /** A tap on an element, as a finger does it: touchstart, touchend, tap. */
  tapElement (el: VElement): void {
    if (!visible(el)) throw new Error(`cannot tap: the element is hidden\n${this.screen()}`)
    if (isDisabled(el)) throw new Error(`cannot tap "${textOf(el)}": it is disabled`)
    this.withGesture(() => {
      this.dispatch(el, 'touchstart', {}, true)
      this.dispatch(el, 'touchend', {}, true)
      this.dispatch(el, 'tap', { x: 100, y: 100 }, true)
      // Buttons with an open-type answer the tap with WeChat's own action.
      const openType = el.tag === 'button' ? el.attrs.openType : undefined
      if (openType === 'agreePrivacyAuthorization') {
        this.privacyAgreed = true
        this.dispatch(el, 'agreeprivacyauthorization', {}, false)
      } else if (typeof openType === 'string' && openType !== '') {
        this.problem('wx', `button open-type="${openType}" is not implemented by the weapp runtime`)
      }
    })
  }

  /** Typing into an input or textarea: focus, the text, blur (WeChat fires input with the whole value). */
  typeInto (el: VElement, value: string): void {
    if (!visible(el)) throw new Error('cannot type: the input is hidden')
    if (el.attrs.disabled === true) throw new Error('cannot type: the input is disabled')
    const page = this.top()
    const sid = String(el.attrs['data-sid'])
    const max = typeof el.attrs.maxlength === 'number' && el.attrs.maxlength >= 0 ? el.attrs.maxlength : Infinity
    const text = [...value].slice(0, max).join('')
    this.dispatch(el, 'focus', { value: this.valueOf(page, el), height: 300 }, false)
    page.typed.set(sid, { value: text, attrAtTyping: el.attrs.value === undefined || el.attrs.value === null ? '' : String(el.attrs.value) })
    this.dispatch(el, 'input', { value: text, cursor: text.length, keyCode: text.length ? text.charCodeAt(text.length - 1) : 8 }, false)
    this.dispatch(el, 'blur', { value: text, cursor: text.length }, false)
  }

  private withGesture (fn: () => void): void {
    const before = this.gesture
    this.gesture = true
    try { fn() } finally { this.gesture = before }
  }

  private async withGestureAsync (fn: () => Promise<void>): Promise<void> {
    this.gesture = true
    const p = fn()
    this.gesture = false
    await p
  }

  componentDefinition (file: string): Record<string, any> {
    let def = this.componentDefinitions.get(file)
    if (!def) {
      this.service.loadComponent(file)
      def = this.componentDefinitions.get(file)
      if (!def) throw new Error(`${file}.js did not call Component()`)
    }
    return def
  }

  // ---- wx API behaviour -----------------------------------------------------------------------------------

  showToast (o: Record<string, any>): void {
    const title = String(o.title ?? '')
    const icon = String(o.icon ?? 'success')
    // WeChat shows at most 7 characters of the title beside an icon; only icon 'none' shows two lines of text.
    const shown = icon === 'none' ? title : [...title].slice(0, TOAST_ICON_LIMIT).join('')
    const toast = { title, shown, icon, at: Date.now(), until: Date.now() + (Number(o.duration) || 1500) }
    this.toasts.push(toast)
    this.currentToast = toast
    this.loading = undefined
  }

  hideToast (): void {
    this.currentToast = undefined
  }

  showLoading (o: Record<string, any>): void {
    this.loading = { title: String(o.title ?? '') }
    this.currentToast = undefined
  }

  hideLoading (): void {
    this.loading = undefined
  }

  async showModal (o: Record<string, any>): Promise<Record<string, unknown>> {
    const modal = {
      title: String(o.title ?? ''),
      content: String(o.content ?? ''),
      showCancel: o.showCancel !== false,
      confirmText: String(o.confirmText ?? '确定'),
      cancelText: String(o.cancelText ?? '取消')
    }
    if ([...modal.confirmText].length > 4 || [...modal.cancelText].length > 4) throw new WxFailure('confirmText length should not larger than 4 Chinese characters')
    const record: (typeof this.modals)[number] = { ...modal }
    this.modals.push(record)
    return await new Promise((resolve) => {
      this.modalQueue.push({
        ...modal,
        answer: (button) => {
          record.answered = button
          resolve({ confirm: button === 'confirm', cancel: button === 'cancel' })
        }
      })
    })
  }

  setTitle (title: string): void {
    const top = this.stack[this.stack.length - 1]
    if (top) top.title = title
  }

  startPullDownRefresh (): void {
    const top = this.top()
    if (!top.json.enablePullDownRefresh && this.project.app.window?.enablePullDownRefresh !== true) {
      throw new Error(`${top.route} does not enable pull-down refresh (enablePullDownRefresh in its json)`)
    }
    this.pullingDown = true
    this.service.guard(`${top.route} onPullDownRefresh`, () => top.instance.onPullDownRefresh?.())
  }

  /** WeChat's privacy check before a privacy-bound API (or requirePrivacyAuthorize, `always`). */
  async privacyGate (api: string, always = false): Promise<void> {
    if ((!this.usesPrivacyCheck() && !always) || this.privacyAgreed) return
    this.privacyPrompts.push(api)
    if (this.privacyListener) {
      // The app shows its own prompt; its agree button (open-type agreePrivacyAuthorization) decides.
      const decided = new Promise<{ event?: string }>((resolve) => {
        const answer = (r: { event?: string } | undefined): void => resolve(r ?? {})
        this.service.guard('onNeedPrivacyAuthorization listener', () => this.privacyListener!(answer, this.service.toApp({ referrer: api })))
      })
      const answer = await decided
      if (answer.event === 'agree') { this.privacyAgreed = true; return }
      throw new WxFailure('privacy permission is not authorized', 104)
    }
    if ((this.options.privacy ?? 'agree') === 'agree') { this.privacyAgreed = true; return }
    throw new WxFailure('privacy permission is not authorized', 104)
  }

  /** wx.setTabBarBadge / removeTabBarBadge: only from a tab page, on a tab that exists (as WeChat answers). */
  tabBadge (api: 'setTabBarBadge' | 'removeTabBarBadge', o: Record<string, any>): void {
    if (!this.project.isTabPage(this.currentRoute())) throw new WxFailure('not TabBar page')
    const index = o.index
    const tabs = this.project.app.tabBar?.list ?? []
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= tabs.length) throw new WxFailure('tabbar item not found')
    if (api === 'removeTabBarBadge') { this.tabBadges.delete(index); return }
    if (typeof o.text !== 'string') throw new WxFailure('parameter error: parameter.text should be String')
    // WeChat shows at most 4 characters; longer text is cut to "…".
    this.tabBadges.set(index, [...o.text].length > 4 ? '…' : o.text)
  }

  async requestSubscribeMessage (tmplIds: unknown): Promise<Record<string, string>> {
    if (!this.gesture) throw new WxFailure('can only be invoked by user TAP gesture.', 20003)
    if (!Array.isArray(tmplIds) || tmplIds.length === 0 || tmplIds.some((t) => typeof t !== 'string' || t === '')) throw new WxFailure('Templates parameter error: tmplIds must be a non-empty array of template ids', 20001)
    if (tmplIds.length > 3) throw new WxFailure('Templates count out of max bounds: at most 3 per request', 20003)
    const ids = tmplIds as string[]
    const answers = this.options.subscribe?.(ids) ?? Object.fromEntries(ids.map((id) => [id, 'accept' as const]))
    const choice: SubscriptionChoice = { openid: this.options.openid, tmplIds: ids, answers, at: new Date() }
    this.subscriptions.push(choice)
    await this.options.onSubscription?.(choice)
    return { ...answers }
  }

  async pickFiles (api: string, o: Record<string, any>, extensions: string[] | undefined): Promise<TempFile[]> {
    const next = this.choices.shift()
    if (next === undefined) {
      this.problem('wx', `wx.${api} opened a picker, but the test chose no file for it (call willChoose first)`)
      throw new WxFailure('cancel')
    }
    if (next === 'cancel') throw new WxFailure('cancel')
    const count = Number(o.count ?? 9)
    if (next.length > count) throw new Error(`the test chose ${next.length} files, but wx.${api} allows ${count}`)
    for (const f of next) {
      const ext = path.extname(f.name).slice(1).toLowerCase()
      if (extensions && !extensions.includes(ext)) throw new Error(`wx.${api} cannot pick ${f.name}: it offers ${extensions.join(', ')} files`)
      if (api === 'chooseMessageFile' && Array.isArray(o.extension) && o.extension.length > 0 && !o.extension.map((e: string) => e.replace(/^\./, '').toLowerCase()).includes(ext)) {
        throw new Error(`wx.chooseMessageFile offers only ${o.extension.join(', ')}: cannot pick ${f.name}`)
      }
    }
    return next.map((f) => this.files.add(f.name, f.bytes))
  }

  async fetchUrl (url: string): Promise<{ status: number, bytes: Buffer }> {
    this.cloud.inflight++
    try {
      const res = await fetch(url)
      return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) }
    } catch (err) {
      throw new WxFailure(`request:fail ${(err as Error).message}`)
    } finally {
      this.cloud.inflight--
    }
  }

  // ---- the router -------------------------------------------------------------------------------------------

  /** wx.navigateTo / redirectTo / switchTab / reLaunch / navigateBack, by WeChat's rules. */
  async navigate (kind: NavKind, o: Record<string, any>): Promise<void> {
    const run = async (): Promise<void> => { await this.doNavigate(kind, o) }
    const p = this.navigating.then(run, run)
    this.navigating = p.catch(() => undefined)
    await p
  }

  private async doNavigate (kind: NavKind, o: Record<string, any>): Promise<void> {
    if (kind === 'navigateBack') {
      const delta = Math.max(1, Math.floor(Number(o.delta ?? 1)) || 1)
      if (this.stack.length < 2) throw new WxFailure('cannot navigate back at first page.')
      const keep = Math.max(1, this.stack.length - delta)
      while (this.stack.length > keep) this.unload(this.stack.pop()!)
      this.show(this.top())
      return
    }
    if (typeof o.url !== 'string' || o.url === '') throw new WxFailure('parameter error: parameter.url should be String')
    const target = parseUrl(o.url, this.currentRoute())
    if (!this.project.isPage(target.route)) throw new WxFailure(`page "${target.route}" is not found`)
    const isTab = this.project.isTabPage(target.route)
    if ((kind === 'navigateTo' || kind === 'redirectTo') && isTab) throw new WxFailure(`can not ${kind} a tabbar page`)
    if (kind === 'switchTab' && !isTab) throw new WxFailure('can not switch to no-tabBar page')
    if (kind === 'navigateTo' && this.stack.length >= MAX_PAGES) throw new WxFailure('webview count limit exceed')

    const previous = this.stack[this.stack.length - 1]
    if (kind === 'navigateTo') {
      if (previous) this.hide(previous)
      this.stack.push(await this.openPage(target.route, target.query))
    } else if (kind === 'redirectTo') {
      if (previous) this.unload(this.stack.pop()!)
      this.stack.push(await this.openPage(target.route, target.query))
    } else if (kind === 'switchTab') {
      // Every page above the tabs closes; the tab pages stay alive, hidden.
      while (this.stack.length > 0) {
        const p = this.stack.pop()!
        if (this.tabs.get(p.route) === p) this.hide(p)
        else this.unload(p)
      }
      const alive = this.tabs.get(target.route)
      if (alive) {
        this.stack.push(alive)
        this.show(alive)
      } else {
        const page = await this.openPage(target.route, {})
        this.tabs.set(target.route, page)
        this.stack.push(page)
      }
    } else {
      while (this.stack.length > 0) this.unload(this.stack.pop()!)
      for (const [route, p] of this.tabs) { this.unload(p); this.tabs.delete(route) }
      const page = await this.openPage(target.route, target.query)
      if (isTab) this.tabs.set(target.route, page)
      this.stack.push(page)
    }
  }

  /** Loads the page's package (subpackage download) and code, creates its instance: onLoad, onShow, onReady. */
  private async openPage (route: string, query: Record<string, string>): Promise<PageRecord> {
    const pkg = this.project.packageOf(route)
    if (pkg !== '' && !this.service.isPackageLoaded(pkg)) this.service.loadPackage(pkg)
    if (!this.pageDefinitions.has(route)) {
      try {
        this.service.loadPage(route)
      } catch (err) {
        this.problem('error', `${route}.js failed to load: ${describe(err)}`)
        throw new WxFailure(`page ${route} failed to load`)
      }
      if (!this.pageDefinitions.has(route)) {
        this.problem('error', `${route}.js did not call Page() (a chunk it waits for never loaded?)`)
        throw new WxFailure(`page ${route} has not been registered yet`)
      }
    }
    const def = this.pageDefinitions.get(route)!
    const service = this.service
    const instance: any = service.toApp({})
    for (const key of Object.keys(def)) instance[key] = key === 'data' ? service.toApp(def.data ?? {}) : def[key]
    if (!instance.data) instance.data = service.toApp({})
    const webviewId = this.webviewIds++
    const page = new PageRecord(this, route, query, instance, this.project.pageJson(route), webviewId)
    Object.assign(instance, {
      route,
      __route__: route,
      __wxWebviewId__: webviewId,
      __wxExparserNodeId__: `page-${webviewId}`,
      options: service.toApp(query),
      setData: (changes: unknown, cb?: () => void) => this.pageSetData(page, changes, cb),
      selectComponent: () => null,
      selectAllComponents: () => service.toApp([]),
      getOpenerEventChannel: () => ({ on: () => undefined, once: () => undefined, off: () => undefined, emit: () => undefined }),
      getTabBar: () => null,
      createSelectorQuery: () => this.wx.createSelectorQuery()
    })
    service.guard(`${route} onLoad`, () => instance.onLoad?.(service.toApp(query)))
    page.state = 'shown'
    service.guard(`${route} onShow`, () => instance.onShow?.())
    // onReady follows the first render of the view.
    service.context.setTimeout(() => {
      if (page.state !== 'unloaded') instance.onReady?.()
    }, 0)
    this.preloadFor(route)
    return page
  }

  private pageSetData (page: PageRecord, changes: unknown, cb?: () => void): void {
    if (page.state === 'unloaded') return
    if (changes === null || typeof changes !== 'object') throw new this.service.realm.Error('setData: the data must be an object')
    const json = JSON.stringify(changes)
    const size = applySetData(page.instance.data, json)
    if (size > SET_DATA_LIMIT) this.problem('render', `${page.route}: setData of ${size} bytes exceeds WeChat's 1 MB limit`)
    page.version++
    if (typeof cb === 'function') this.service.context.setTimeout(cb, 0)
  }

  private preloadFor (route: string): void {
    const rule = this.project.app.preloadRule?.[route]
    if (!rule) return
    for (const pkg of rule.packages) {
      const sub = pkg === '__APP__' ? undefined : this.project.subPackageByRootOrName(pkg)
      if (sub && !this.preloaded.includes(sub.root)) this.preloaded.push(sub.root)
    }
  }

  private show (page: PageRecord): void {
    if (page.state === 'shown') return
    page.state = 'shown'
    this.service.guard(`${page.route} onShow`, () => page.instance.onShow?.())
  }

  private hide (page: PageRecord): void {
    if (page.state !== 'shown') return
    page.state = 'hidden'
    this.service.guard(`${page.route} onHide`, () => page.instance.onHide?.())
  }

  private unload (page: PageRecord): void {
    if (page.state === 'unloaded') return
    page.state = 'unloaded'
    this.service.guard(`${page.route} onUnload`, () => page.instance.onUnload?.())
  }
}

function isDisabled (el: VElement): boolean {
  for (let n: VElement | undefined = el; n; n = n.parent) {
    if ((n.tag === 'button' || n.tag === 'input' || n.tag === 'textarea') && n.attrs.disabled === true) return true
  }
  return false
}

/** A page url as WeChat reads it: path relative to the current page or absolute; query values left as written. */
export function parseUrl (url: string, from: string): { route: string, query: Record<string, string> } {
  const [p, q = ''] = url.split('?')
  const route = resolvePath(from === '' ? 'x' : from, p).replace(/^\//, '')
  const query: Record<string, string> = {}
  for (const part of q.split('&')) {
    if (part === '') continue
    const eq = part.indexOf('=')
    query[eq < 0 ? part : part.slice(0, eq)] = eq < 0 ? '' : part.slice(eq + 1)
  }
  return { route, query }
}

function queryString (query: Record<string, string> | undefined): string {
  const entries = Object.entries(query ?? {})
  return entries.length ? '?' + entries.map(([k, v]) => `${k}=${v}`).join('&') : ''
}

async function sleep (ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms))
}

async function tick (): Promise<void> {
  await sleep(0)
}
