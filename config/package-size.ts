import fs from 'node:fs'
import path from 'node:path'

/** WeChat's limit for the main package (and for each subpackage). */
export const MAIN_PACKAGE_LIMIT = 2 * 1024 * 1024

/**
 * Sizes of a weapp build as WeChat counts them: the main package is everything outside the subpackage roots
 * listed in app.json. License notes and source maps are not uploaded, so they are not counted.
 */
export function weappPackageSizes (weappDir: string): { main: number, subpackages: Record<string, number> } {
  const appJson = JSON.parse(fs.readFileSync(path.join(weappDir, 'app.json'), 'utf8'))
  const roots: string[] = (appJson.subPackages ?? appJson.subpackages ?? []).map((s: { root: string }) => s.root.replace(/\/$/, ''))
  const subpackages: Record<string, number> = Object.fromEntries(roots.map((r) => [r, 0]))
  let main = 0
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name)
      if (e.isDirectory()) { walk(full); continue }
      if (e.name.endsWith('.LICENSE.txt') || e.name.endsWith('.map')) continue
      const rel = path.relative(weappDir, full).split(path.sep).join('/')
      const root = roots.find((r) => rel.startsWith(r + '/'))
      const size = fs.statSync(full).size
      if (root) subpackages[root] += size
      else main += size
    }
  }
  walk(weappDir)
  return { main, subpackages }
}
