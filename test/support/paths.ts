import fs from 'node:fs'
import path from 'node:path'

export const ROOT = path.resolve(__dirname, '..', '..')
/** The built output; CHUYAN_DIST points tests at another build folder (parallel work on one machine). */
export const DIST = path.resolve(ROOT, process.env.CHUYAN_DIST || 'dist')

/** Fails with a plain instruction instead of a confusing error when the build is missing. */
export function requireBuilt (sub: string): string {
  const p = path.join(DIST, sub)
  if (!fs.existsSync(p)) throw new Error(`${p} is missing: run \`npm run build\` first (\`npm test\` does it for you)`)
  return p
}
