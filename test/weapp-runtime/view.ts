/**
 * The view layer: every WXML file of the build compiled by WeChat's own WXML compiler (wcc, from the npm package
 * miniprogram-compiler, the compiler DevTools uses), run in a realm of its own, as WeChat's webview runs it. Given
 * a page's data it returns the element tree WeChat would show: Taro's base templates (base.wxml, utils.wxs) turn
 * the `root.cn[...]` node tree that `setData` carries into views, texts, buttons and inputs with their `bindtap="eh"`
 * handlers. Custom components (Taro's recursive `comp`) are rendered from their own WXML with their own data.
 */
import vm from 'node:vm'
import { resolvePath } from './project'

export interface Owner {
  /** 'page' for the page itself, else the component's file (e.g. 'comp'). */
  kind: 'page' | 'component'
  /** The WXML file the owner renders (without .wxml). */
  file: string
  /** Calls the owner's method named by a bind/catch attribute (e.g. 'eh') with a WeChat event object. */
  call: (method: string, event: unknown) => void
  usingComponents: Record<string, string>
}

export interface VElement {
  type: 'element'
  /** The WXML tag without wcc's 'wx-' prefix: view, text, button, input, textarea, image, scroll-view, comp... */
  tag: string
  attrs: Record<string, unknown>
  children: VNode[]
  parent: VElement | undefined
  owner: Owner
}
export interface VText { type: 'text', text: string, parent: VElement | undefined }
export type VNode = VElement | VText

type WxmlGenerator = (env: unknown, dd: unknown, global: unknown) => RawNode
interface RawNode { tag?: string, attr?: Record<string, unknown>, children?: Array<RawNode | string | number> }

export interface ComponentHost {
  /** The data to render a custom component with, given the element that uses it (created on first sight). */
  dataFor: (owner: Owner, path: string, element: VElement, key: string) => { owner: Owner, data: unknown }
}

const compiled = new Map<string, { context: vm.Context, gwx: (path: string) => WxmlGenerator | undefined }>()

export class ViewLayer {
  private readonly context: vm.Context
  private readonly parse: (json: string) => unknown
  private readonly gwx: (path: string) => WxmlGenerator | undefined
  private readonly generators = new Map<string, WxmlGenerator>()
  private warnings: string[] = []

  constructor (dir: string) {
    let entry = compiled.get(dir)
    if (!entry) {
      const { wxmlToJs } = require('miniprogram-compiler') as { wxmlToJs: (dir: string, opts: object) => string }
      const js = wxmlToJs(dir, { maxBuffer: 64 << 20 })
      const sandbox: Record<string, unknown> = { window: {}, console: {} }
      const context = vm.createContext(sandbox, { name: 'weapp view' })
      const gwx = vm.runInContext(`(function () {${js}\n})()`, context, { filename: 'wcc-output.js' }) as (path: string) => WxmlGenerator | undefined
      entry = { context, gwx }
      compiled.set(dir, entry)
    }
    this.context = entry.context
    this.gwx = entry.gwx
    this.parse = vm.runInContext('JSON.parse', this.context) as (json: string) => unknown
    // wcc reports a missing template or include with console.warn; WeChat then shows nothing there.
    const warn = (...args: unknown[]): void => { this.warnings.push(args.map(String).join(' ')) }
    const sandbox = this.context as unknown as { console: Record<string, unknown> }
    sandbox.console = { warn, log: warn, error: warn, info: () => undefined, debug: () => undefined }
  }

  /** Problems the last render met (missing templates...), then forgets them. */
  takeWarnings (): string[] {
    const w = this.warnings
    this.warnings = []
    return w
  }

  private generator (file: string): WxmlGenerator {
    let g = this.generators.get(file)
    if (!g) {
      g = this.gwx(file + '.wxml')
      if (typeof g !== 'function') throw new Error(`${file}.wxml is not in the build (wcc compiled no such file)`)
      this.generators.set(file, g)
    }
    return g
  }

  /**
   * Renders `owner`'s WXML with `data` (JSON text, or a value of the view realm from a parent's attribute) into a
   * tree; custom components in it are rendered through `host`.
   */
  render (owner: Owner, data: string | unknown, host: ComponentHost, parent?: VElement, keyPrefix = ''): VNode[] {
    const value = typeof data === 'string' ? this.parse(data) : data
    const raw = this.generator(owner.file)(value, {}, undefined)
    const out: VNode[] = []
    let counter = 0
    const convert = (node: RawNode | string | number, into: VNode[], under: VElement | undefined): void => {
      if (typeof node === 'string' || typeof node === 'number') {
        into.push({ type: 'text', text: String(node), parent: under })
        return
      }
      if (!node.tag || node.tag === 'virtual') {
        for (const c of node.children ?? []) convert(c, into, under)
        return
      }
      const tag = node.tag.replace(/^wx-/, '')
      const el: VElement = { type: 'element', tag, attrs: node.attr ?? {}, children: [], parent: under, owner }
      into.push(el)
      const index = counter++
      const componentPath = owner.usingComponents[tag]
      if (componentPath !== undefined) {
        const file = resolvePath(owner.file, componentPath)
        const key = `${keyPrefix}/${tag}:${String(el.attrs.id ?? (el.attrs.i as any)?.sid ?? index)}`
        const { owner: inner, data: innerData } = host.dataFor(owner, file, el, key)
        el.children = this.render(inner, innerData, host, el, key)
        return
      }
      for (const c of node.children ?? []) convert(c, el.children, el)
    }
    for (const c of raw.children ?? []) convert(c, out, parent)
    return out
  }
}

// ---- reading a tree ------------------------------------------------------------------------------------------

const INLINE = new Set(['text', 'label', 'span'])

/** data-* attributes as WeChat's dataset: data-foo-bar → fooBar. */
export function datasetOf (el: VElement): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(el.attrs)) {
    if (k.startsWith('data-')) out[k.slice(5).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] = v
  }
  return out
}

/** Hidden by its own style or the `hidden` attribute (CSS classes are not evaluated: see README). */
export function hiddenSelf (el: VElement): boolean {
  if (el.attrs.hidden === true) return true
  const style = typeof el.attrs.style === 'string' ? el.attrs.style : ''
  return /(^|;)\s*display\s*:\s*none\s*(!important)?\s*(;|$)/i.test(style)
}

export function visible (node: VNode): boolean {
  for (let n: VElement | undefined = node.type === 'element' ? node : node.parent; n; n = n.parent) {
    if (hiddenSelf(n)) return false
  }
  return true
}

/** What a person reads in an element: its visible texts, inline ones joined, block ones spaced. */
export function textOf (node: VNode): string {
  const parts: string[] = []
  const walk = (n: VNode): void => {
    if (n.type === 'text') { parts.push(n.text); return }
    if (hiddenSelf(n)) return
    if (n.tag === 'input' || n.tag === 'textarea') return
    const block = !INLINE.has(n.tag)
    if (block) parts.push(' ')
    for (const c of n.children) walk(c)
    if (block) parts.push(' ')
  }
  walk(node)
  return parts.join('').replace(/\s+/g, ' ').trim()
}

/** Every element under `roots`, in document order. */
export function * elements (roots: VNode[]): Generator<VElement> {
  for (const r of roots) {
    if (r.type !== 'element') continue
    yield r
    yield * elements(r.children)
  }
}

/** The handler attribute of `el` for an event type: bind, catch, mut-bind (WeChat's forms), or undefined. */
export function handlerOf (el: VElement, type: string): { method: string, stops: boolean } | undefined {
  for (const [k, v] of Object.entries(el.attrs)) {
    const m = /^(bind|catch|mut-bind|capture-bind|capture-catch):?(.+)$/.exec(k)
    if (!m || m[2] !== type || typeof v !== 'string' || v === '') continue
    if (m[1].startsWith('capture')) continue
    return { method: v, stops: m[1] === 'catch' }
  }
  return undefined
}

/** A button, or an element WeChat sends taps to (Taro's templates bind tap only on elements with listeners). */
export function isTappable (el: VElement): boolean {
  return el.tag === 'button' || handlerOf(el, 'tap') !== undefined
}
