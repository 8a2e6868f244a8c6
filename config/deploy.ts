/**
 * `npm run deploy`: uploads the built functions to CloudBase with the official CLI (`tcb`, npm package
 * @cloudbase/cli), from dist/cloudbaserc.json (every function with its timeout, env variables and timer triggers).
 * Needs ENV_ID (the CloudBase environment) and a logged-in `tcb` (`tcb login`).
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { COLLECTIONS, INDEXES } from '../cloudfunctions/_server/collections'

const root = path.resolve(__dirname, '..')
const rc = path.join(root, process.env.CHUYAN_DIST || 'dist', 'cloudbaserc.json')
const envId = process.env.ENV_ID

function fail (message: string): never {
  console.error(message)
  process.exit(1)
}

if (!fs.existsSync(rc)) fail('dist/cloudbaserc.json is missing: run `npm run build:functions` first')
if (!envId) fail('Set ENV_ID to your CloudBase environment id, e.g. `ENV_ID=chuyan-prod-1a2b npm run deploy`')
if (spawnSync('tcb', ['--version'], { stdio: 'ignore' }).status !== 0) {
  fail('The CloudBase CLI is not installed: `npm install -g @cloudbase/cli`, then `tcb login`')
}

const result = spawnSync('tcb', ['fn', 'deploy', '--all', '--force', '--config-file', rc, '-e', envId], { cwd: path.dirname(rc), stdio: 'inherit' })
if (result.status !== 0) fail('tcb fn deploy failed (see above)')

console.log('\nFunctions deployed. Create these collections once (console → 数据库), each with the security rule')
console.log('{"read": false, "write": false}, and these indexes:')
for (const name of Object.values(COLLECTIONS)) {
  console.log(`  ${name}${INDEXES[name].length ? `  indexes: ${INDEXES[name].map((f) => f.join('+')).join(', ')}` : ''}`)
}
