/**
 * The service layer ("AppService") of the mini-program: one JS realm (a Node vm context) holding what WeChat's
 * JS engine holds — the ECMAScript built-ins, `console`, timers, `wx`, `App`, `Page`, `Component`, `Behavior`,
 * `getApp`, `getCurrentPages` — and no browser globals (no window, document, fetch, URL). Files are loaded the
 * way WeChat loads them: each is a module whose `require` resolves relative to it, and a file of a subpackage can
 * be required only once that subpackage is loaded, and only from itself or the main package... never the other
 * way round.
 */
import fs from 'node:fs'
import path from 'node:path'
import vm from 'node:vm'
import { Project, resolvePath } from './project'

/** Something that went wrong in the app that a user could notice (or a developer must): fails a test. */
export interface Problem { kind: 'console.error' | 'error' | 'unhandled-rejection' | 'wx' | 'render', message: string }

export interface ServiceHooks {
  problem: (p: Problem) => void
  log: (level: string, text: string) => void
  /** The `wx` object the app sees. */
  wx: object
  /** Registrations the app makes. */
  app: (config: Record<string, any>) => void
  page: (route: string, config: Record<string, any>) => void
  component: (file: string, config: Record<string, any>) => void
  getApp: () => unknown
  /** The page instances of the stack, bottom first. */
  getCurrentPages: () => unknown[]
  /** The phone's clock (ms since the epoch) that the app's `Date` reads; absent: real time. */
  now?: () => number
}

/** Built-ins of the service realm: values handed to the app are made of these, as if WeChat made them. */
export interface Realm {
  JSON: JSON
  Promise: PromiseConstructor
  Error: ErrorConstructor
  Object: ObjectConstructor
}

// The browser globals WeChat's module wrapper shadows, so app code sees them undefined even if a global leaked.
const SHADOWED = ['window', 'document', 'frames', 'self', 'location', 'navigator', 'localStorage', 'history', 'Caches',
  'screen', 'alert', 'confirm', 'prompt', 'XMLHttpRequest', 'WebSocket', 'Reporter', 'webkit', 'WeixinJSCore']

interface Module { exports: unknown, loaded: boolean }

export class AppService {
  readonly context: vm.Context
  readonly realm: Realm
  private readonly modules = new Map<string, Module>()
  private readonly loadedPackages = new Set<string>([''])
  /** The page route or component file whose code is running its top level: Page()/Component() belong to it. */
  private defining: { kind: 'page' | 'component', file: string } | undefined
  private readonly timers = new Map<number, NodeJS.Timeout>()
  private nextTimer = 1
  private closed = false

  constructor (readonly project: Project, private readonly hooks: ServiceHooks) {
    const sandbox: Record<string, unknown> = {}
    this.context = vm.createContext(sandbox, { name: 'weapp AppService', codeGeneration: { strings: true, wasm: false } })
    this.realm = vm.runInContext('({ JSON, Promise, Error, Object })', this.context) as Realm
    if (hooks.now) {
      // The realm's own Date, reading the phone's clock: `new Date()` and `Date.now()` follow it, any other use of
      // Date (parsing, a given time) is the built-in's.
      const install = vm.runInContext(`(function (clock) {
        const Builtin = Date
        function PhoneDate (...args) {
          if (!new.target) return new Builtin(clock()).toString()
          return args.length === 0 ? new Builtin(clock()) : new Builtin(...args)
        }
        PhoneDate.prototype = Builtin.prototype
        PhoneDate.now = () => clock()
        PhoneDate.parse = Builtin.parse
        PhoneDate.UTC = Builtin.UTC
        Object.defineProperty(Builtin.prototype, 'constructor', { value: PhoneDate, writable: true, configurable: true })
        globalThis.Date = PhoneDate
      })`, this.context) as (clock: () => number) => void
      install(hooks.now)
    }

    const console = this.makeConsole()
    Object.assign(sandbox, {
      console,
      wx: hooks.wx,
      App: (config: Record<string, any>) => { hooks.app(config) },
      Page: (config: Record<string, any>) => {
        if (this.defining?.kind !== 'page') throw new this.realm.Error('Page() may only be called by a page file, while it loads')
        hooks.page(this.defining.file, config)
      },
      Component: (config: Record<string, any>) => {
        if (!this.defining) throw new this.realm.Error('Component() may only be called by a component file, while it loads')
        hooks.component(this.defining.file, config)
      },
      Behavior: (def: unknown) => def,
      getApp: () => hooks.getApp(),
      getCurrentPages: () => {
        const list = vm.runInContext('[]', this.context) as unknown[]
        list.push(...hooks.getCurrentPages())
        return list
      },
      requirePlugin: (name: string) => { throw new this.realm.Error(`requirePlugin('${name}'): the app declares no plugins`) },
      setTimeout: (fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => this.setTimer(fn, ms, args, false),
      setInterval: (fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => this.setTimer(fn, ms, args, true),
      clearTimeout: (id: number) => this.clearTimer(id),
      clearInterval: (id: number) => this.clearTimer(id),
      __wxConfig: JSON.parse(JSON.stringify({ ...project.app, envVersion: 'develop', platform: 'devtools' }))
    })

    live.add(this)
    if (live.size === 1) process.on('unhandledRejection', onRejection)
  }

  /** An unhandled rejection of the app's own promises (of this realm) is a bug WeChat reports in its console. */
  ownsRejection (reason: unknown, promise: Promise<unknown>): boolean {
    if (!(promise instanceof this.realm.Promise)) return false
    this.problem('unhandled-rejection', describe(reason))
    return true
  }

  /** Loads a subpackage: from now on its files may be required (WeChat downloads and injects it on first use). */
  loadPackage (root: string): void {
    this.loadedPackages.add(root)
  }

  isPackageLoaded (root: string): boolean {
    return this.loadedPackages.has(root)
  }

  /** Runs a page's file (once), so that it registers its Page(). */
  loadPage (route: string): void {
    this.loadAs({ kind: 'page', file: route }, route + '.js')
  }

  loadComponent (file: string): void {
    this.loadAs({ kind: 'component', file }, file + '.js')
  }

  /** Runs app.js: it requires the shared chunks and calls App(). */
  loadApp (): void {
    this.require('app.js', '')
  }

  private loadAs (what: { kind: 'page' | 'component', file: string }, file: string): void {
    const before = this.defining
    this.defining = what
    try {
      this.require(file, '')
    } finally {
      this.defining = before
    }
  }

  /** WeChat's `require`: `spec` relative to the requiring file (`from`, '' at the top). */
  require (spec: string, from: string): unknown {
    let file = from === '' ? spec.replace(/^\//, '') : resolvePath(from, spec)
    if (!file.endsWith('.js')) file += '.js'
    const existing = this.modules.get(file)
    if (existing) return existing.exports

    const notDefined = (why: string): Error =>
      new this.realm.Error(`module '${file}' is not defined, require args is '${spec}'${why ? ` (${why})` : ''}`)
    if (file.startsWith('..') || path.isAbsolute(file)) throw notDefined('outside the mini-program')
    const target = this.project.packageOf(file)
    if (!this.loadedPackages.has(target)) throw notDefined(`subpackage ${target} is not loaded`)
    if (from !== '') {
      const source = this.project.packageOf(from)
      if (target !== '' && target !== source) throw notDefined(`${source === '' ? 'the main package' : `subpackage ${source}`} cannot require a file of subpackage ${target}`)
      if (target !== source && this.project.subPackageByRootOrName(source)?.independent === true) throw notDefined(`independent subpackage ${source} cannot require the main package`)
    }
    const full = path.join(this.project.dir, file)
    if (!fs.existsSync(full)) throw notDefined('no such file in the build')

    const module: Module = { exports: vm.runInContext('({})', this.context), loaded: false }
    this.modules.set(file, module)
    const code = fs.readFileSync(full, 'utf8')
    const wrapper = new vm.Script(`(function (require, module, exports, ${SHADOWED.join(', ')}) {${code}\n})`, { filename: full })
    const fn = wrapper.runInContext(this.context) as (...args: unknown[]) => void
    const localRequire = (s: string): unknown => this.require(s, file)
    try {
      fn.call(module.exports, localRequire, module, module.exports)
    } catch (err) {
      this.modules.delete(file)
      throw err
    }
    module.loaded = true
    return module.exports
  }

  /** Runs `fn` as WeChat runs a callback into app code: a throw is the app's error, reported, not the caller's. */
  guard<T> (where: string, fn: () => T): T | undefined {
    try {
      return fn()
    } catch (err) {
      this.problem('error', `${where}: ${describe(err)}`)
      return undefined
    }
  }

  /** Turns host data into data of the service realm (as WeChat hands results to the app: JSON-shaped). */
  toApp<T> (value: T): T {
    if (value === undefined) return value
    return this.realm.JSON.parse(JSON.stringify(value)) as T
  }

  pendingTimers (): number {
    return this.timers.size
  }

  problem (kind: Problem['kind'], message: string): void {
    this.hooks.problem({ kind, message })
  }

  close (): void {
    this.closed = true
    for (const t of this.timers.values()) clearTimeout(t)
    this.timers.clear()
    live.delete(this)
    if (live.size === 0) process.off('unhandledRejection', onRejection)
  }

  private setTimer (fn: (...a: unknown[]) => void, ms: number | undefined, args: unknown[], repeat: boolean): number {
    if (typeof fn !== 'function') throw new this.realm.Error('setTimeout/setInterval: the callback must be a function')
    const id = this.nextTimer++
    if (this.closed) return id
    const run = (): void => {
      if (!repeat) this.timers.delete(id)
      if (this.closed) return
      this.guard(repeat ? 'setInterval callback' : 'setTimeout callback', () => fn(...args))
    }
    const delay = Math.max(0, Number(ms) || 0)
    this.timers.set(id, repeat ? setInterval(run, delay) : setTimeout(run, delay))
    return id
  }

  private clearTimer (id: number): void {
    const t = this.timers.get(id)
    if (t) {
      clearTimeout(t)
      this.timers.delete(id)
    }
  }

  private makeConsole (): Record<string, (...args: unknown[]) => void> {
    const text = (args: unknown[]): string => args.map((a) => typeof a === 'string' ? a : describe(a)).join(' ')
    const c: Record<string, (...args: unknown[]) => void> = {}
    for (const level of ['log', 'info', 'debug', 'warn', 'trace', 'group', 'groupCollapsed', 'groupEnd', 'time', 'timeEnd', 'table', 'dir']) {
      c[level] = (...args) => this.hooks.log(level, text(args))
    }
    c.error = (...args) => {
      this.hooks.log('error', text(args))
      this.problem('console.error', text(args))
    }
    c.assert = (cond, ...args) => { if (!cond) c.error('Assertion failed:', ...args) }
    return c
  }
}

/** Every running service realm: one process listener finds the realm an unhandled rejection belongs to. */
const live = new Set<AppService>()
function onRejection (reason: unknown, promise: Promise<unknown>): void {
  for (const s of live) if (s.ownsRejection(reason, promise)) return
}

/** A readable one-liner (with the stack's first frames) for anything thrown or logged. */
export function describe (value: unknown): string {
  if (value && typeof value === 'object') {
    const v = value as { stack?: unknown, message?: unknown, errMsg?: unknown }
    if (typeof v.stack === 'string') return v.stack.split('\n').slice(0, 6).join('\n')
    if (typeof v.errMsg === 'string') return v.errMsg
    if (typeof v.message === 'string') return v.message
    try { return JSON.stringify(value) } catch { return String(value) }
  }
  return String(value)
}
