/**
 * The built mini-program as WeChat reads it: app.json (pages, subpackages, tab bar, preload rules, window) and
 * each page's json. Checks what WeChat checks when it opens the package, so a broken app.json fails here first.
 */
import fs from 'node:fs'
import path from 'node:path'

export interface SubPackage { root: string, name?: string, pages: string[], independent?: boolean }
export interface TabItem { pagePath: string, text: string }
export interface AppJson {
  pages: string[]
  subPackages?: SubPackage[]
  subpackages?: SubPackage[]
  tabBar?: { list: TabItem[] }
  preloadRule?: Record<string, { packages: string[], network?: 'all' | 'wifi' }>
  window?: Record<string, unknown>
  __usePrivacyCheck__?: boolean
  [key: string]: unknown
}

export interface PageJson {
  navigationBarTitleText?: string
  enablePullDownRefresh?: boolean
  usingComponents?: Record<string, string>
  component?: boolean
  [key: string]: unknown
}

/** The package a file belongs to: '' for the main package, else a subpackage root. */
export type PackageRoot = string

export class Project {
  readonly app: AppJson
  readonly subPackages: SubPackage[]
  readonly tabPages: string[]
  private readonly pageJsonCache = new Map<string, PageJson>()

  constructor (readonly dir: string) {
    const appFile = path.join(dir, 'app.json')
    if (!fs.existsSync(appFile)) throw new Error(`${appFile} is missing: run \`npm run build:weapp\` first (\`npm test\` does it for you)`)
    this.app = JSON.parse(fs.readFileSync(appFile, 'utf8')) as AppJson
    if (!Array.isArray(this.app.pages) || this.app.pages.length === 0) throw new Error('app.json: "pages" must list at least one page')
    this.subPackages = (this.app.subPackages ?? this.app.subpackages ?? []).map((s) => ({ ...s, root: s.root.replace(/\/$/, '') }))
    for (const s of this.subPackages) {
      for (const p of s.pages) {
        if (!fs.existsSync(path.join(dir, s.root, p + '.js'))) throw new Error(`app.json: subpackage ${s.root} lists ${p}, but ${s.root}/${p}.js is not in the build`)
      }
    }
    for (const p of this.app.pages) {
      if (!fs.existsSync(path.join(dir, p + '.js'))) throw new Error(`app.json: page ${p} is listed, but ${p}.js is not in the build`)
    }
    this.tabPages = (this.app.tabBar?.list ?? []).map((t) => t.pagePath)
    for (const t of this.tabPages) {
      // WeChat refuses a tab bar page outside the main package.
      if (!this.app.pages.includes(t)) throw new Error(`app.json: tabBar page ${t} is not a page of the main package`)
    }
    for (const [page, rule] of Object.entries(this.app.preloadRule ?? {})) {
      if (!this.allPages().includes(page)) throw new Error(`app.json: preloadRule names ${page}, which is not a page`)
      for (const pkg of rule.packages) {
        if (pkg !== '__APP__' && !this.subPackages.some((s) => s.root === pkg.replace(/\/$/, '') || s.name === pkg)) {
          throw new Error(`app.json: preloadRule of ${page} names package ${pkg}, which is not a subpackage root or name`)
        }
      }
    }
  }

  /** Every page route, main package first, as app.json lists them. */
  allPages (): string[] {
    return [...this.app.pages, ...this.subPackages.flatMap((s) => s.pages.map((p) => `${s.root}/${p}`))]
  }

  isPage (route: string): boolean {
    return this.allPages().includes(route)
  }

  isTabPage (route: string): boolean {
    return this.tabPages.includes(route)
  }

  /** The package of a file path (relative to the build root, without a leading slash). */
  packageOf (file: string): PackageRoot {
    const sub = this.subPackages.find((s) => file === s.root || file.startsWith(s.root + '/'))
    return sub ? sub.root : ''
  }

  subPackageByRootOrName (key: string): SubPackage | undefined {
    const k = key.replace(/\/$/, '')
    return this.subPackages.find((s) => s.root === k || s.name === key)
  }

  pageJson (route: string): PageJson {
    let json = this.pageJsonCache.get(route)
    if (!json) {
      const file = path.join(this.dir, route + '.json')
      json = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) as PageJson : {}
      this.pageJsonCache.set(route, json)
    }
    return json
  }

  /** The title WeChat shows in the navigation bar: the page's own, else the app window's. */
  title (route: string): string {
    return String(this.pageJson(route).navigationBarTitleText ?? this.app.window?.navigationBarTitleText ?? '')
  }
}

/** Resolves `spec` (relative like '../x' or absolute like '/x') against the directory of `from`, as WeChat does. */
export function resolvePath (from: string, spec: string): string {
  const base = spec.startsWith('/') ? '' : path.posix.dirname(from)
  const joined = path.posix.normalize(path.posix.join(base, spec.replace(/^\//, '')))
  return joined.replace(/^\.\//, '')
}
