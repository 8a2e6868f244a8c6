/**
 * The weapp build as WeChat DevTools would open it: app.json, every page's files, subpackages, the main
 * package's size, and the WXML/WXSS compiled by WeChat's own wcc/wcsc (npm package miniprogram-compiler).
 */
import fs from 'node:fs'
import path from 'node:path'
import { requireBuilt, ROOT } from '../support/paths'
import { weappPackageSizes } from '../../config/package-size'

const weapp = requireBuilt('weapp')
const appJson = JSON.parse(fs.readFileSync(path.join(weapp, 'app.json'), 'utf8'))
const subRoots: string[] = (appJson.subPackages ?? appJson.subpackages ?? []).map((s: { root: string }) => s.root.replace(/\/$/, ''))

describe('weapp build', () => {
  it('is where project.config.json tells DevTools to look', () => {
    const project = JSON.parse(fs.readFileSync(path.join(ROOT, 'project.config.json'), 'utf8'))
    expect(project.miniprogramRoot).toBe('dist/weapp/')
    expect(project.cloudfunctionRoot).toBe('dist/cloudfunctions/')
  })

  it('keeps 2 to 5 tab pages, all in the main package', () => {
    const tabs: string[] = appJson.tabBar.list.map((t: { pagePath: string }) => t.pagePath)
    expect(tabs.length).toBeGreaterThanOrEqual(2)
    expect(tabs.length).toBeLessThanOrEqual(5)
    for (const t of tabs) expect(appJson.pages).toContain(t)
  })

  it('has the js, json and wxml of every page, main and subpackage', () => {
    const pages: string[] = [
      ...appJson.pages,
      ...(appJson.subPackages ?? []).flatMap((s: { root: string, pages: string[] }) => s.pages.map((p) => `${s.root.replace(/\/$/, '')}/${p}`))
    ]
    expect(pages).toEqual(expect.arrayContaining(['pages/home/index', 'pages/signin/index', 'packages/settings/pages/text-size/index']))
    for (const p of pages) {
      for (const ext of ['.js', '.json', '.wxml']) {
        expect(fs.existsSync(path.join(weapp, p + ext)) ? p + ext : `missing ${p + ext}`).toBe(p + ext)
      }
    }
  })

  it('puts every area in a subpackage, not the main package', () => {
    expect(subRoots.length).toBeGreaterThan(0)
    for (const p of appJson.pages as string[]) expect(p.startsWith('pages/')).toBe(true)
  })

  it('keeps the main package under 600 KB (WeChat allows 2 MB)', () => {
    const sizes = weappPackageSizes(weapp)
    expect(sizes.main).toBeLessThan(600 * 1024)
    expect(Object.keys(sizes.subpackages)).toEqual(subRoots)
    for (const size of Object.values(sizes.subpackages)) expect(size).toBeGreaterThan(0)
  })

  it('never carries the local persona picker or the local gateway into the weapp', () => {
    const code = fs.readdirSync(weapp).filter((f) => f.endsWith('.js')).map((f) => fs.readFileSync(path.join(weapp, f), 'utf8')).join('\n')
    expect(code).not.toContain('/api/dev/')
    expect(code).not.toContain('/api/functions/')
  })

  it('compiles with WeChat\'s own WXML and WXSS compilers', () => {
    const { wxmlToJs, wxssToJs } = require('miniprogram-compiler')
    const js: string = wxmlToJs(weapp, { maxBuffer: 64 << 20 })
    expect(js.length).toBeGreaterThan(1000)
    const css: string = wxssToJs(weapp, { maxBuffer: 64 << 20 })
    expect(css.length).toBeGreaterThan(100)
  })
})
