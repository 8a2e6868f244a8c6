import fs from 'node:fs'
import path from 'node:path'

export const ROOT = path.resolve(__dirname, '..', '..')
export const DIST = path.join(ROOT, 'dist')

/** Fails with a plain instruction instead of a confusing error when the build is missing. */
export function requireBuilt (sub: string): string {
  const p = path.join(DIST, sub)
  if (!fs.existsSync(p)) throw new Error(`${p} is missing: run \`npm run build\` first (\`npm test\` does it for you)`)
  return p
}
