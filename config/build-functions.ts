/**
 * Bundles each cloud function (cloudfunctions/<fn>/index.ts, shared code inlined) with esbuild into
 * dist/cloudfunctions/<fn>/ as WeChat deploys it: index.js, package.json (wx-server-sdk only), config.json.
 * Also writes dist/cloudbaserc.json for `npm run deploy` (CloudBase CLI).
 */
import fs from 'node:fs'
import path from 'node:path'
import { build } from 'esbuild'

const root = path.resolve(__dirname, '..')
const srcRoot = path.join(root, 'cloudfunctions')
const distRoot = path.resolve(root, process.env.CHUYAN_DIST || 'dist')
const outRoot = path.join(distRoot, 'cloudfunctions')
const sdkVersion: string = require(path.join(root, 'package.json')).dependencies['wx-server-sdk']

export function functionNames (): string[] {
  // Folders starting with '_' hold shared code, never a function.
  return fs.readdirSync(srcRoot, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('_') && fs.existsSync(path.join(srcRoot, d.name, 'index.ts')))
    .map((d) => d.name)
    .sort()
}

interface FunctionConfig { timeout?: number, triggers?: Array<{ name: string, type: string, config: string }>, permissions?: unknown }

export async function buildFunctions (): Promise<string[]> {
  const names = functionNames()
  fs.rmSync(outRoot, { recursive: true, force: true })
  const deployList: object[] = []
  for (const name of names) {
    const outDir = path.join(outRoot, name)
    fs.mkdirSync(outDir, { recursive: true })
    const config: FunctionConfig = JSON.parse(fs.readFileSync(path.join(srcRoot, name, 'config.json'), 'utf8'))
    await build({
      entryPoints: [path.join(srcRoot, name, 'index.ts')],
      outfile: path.join(outDir, 'index.js'),
      bundle: true,
      platform: 'node',
      target: 'node16', // the oldest Node runtime CloudBase offers for functions
      format: 'cjs',
      // node-fetch (inside the SMS SDK) tries require('encoding') and does without it: not bundling it saves 0.5 MB.
      external: ['wx-server-sdk', 'encoding'],
      sourcemap: false,
      legalComments: 'none',
      logLevel: 'warning',
      // The function's own timeout, for what must know it (an idempotency key's lease: _server/idempotency.ts).
      define: { 'process.env.CHUYAN_FUNCTION_TIMEOUT_S': JSON.stringify(String(config.timeout ?? 10)) }
    })
    fs.writeFileSync(path.join(outDir, 'config.json'), JSON.stringify(config, null, 2) + '\n')
    fs.writeFileSync(path.join(outDir, 'package.json'), JSON.stringify({
      name, version: '1.0.0', private: true, main: 'index.js', dependencies: { 'wx-server-sdk': sdkVersion }
    }, null, 2) + '\n')
    deployList.push({
      name,
      timeout: config.timeout ?? 10,
      runtime: 'Nodejs16.13',
      installDependency: true,
      ...(config.triggers ? { triggers: config.triggers } : {})
    })
  }
  fs.writeFileSync(path.join(distRoot, 'cloudbaserc.json'), JSON.stringify({
    version: '2.0',
    envId: '{{env.ENV_ID}}',
    functionRoot: './cloudfunctions',
    functions: deployList
  }, null, 2) + '\n')
  return names
}

if (require.main === module) {
  const started = Date.now()
  buildFunctions().then((names) => {
    console.log(`built ${names.length} cloud functions (${names.join(', ')}) into dist/cloudfunctions in ${Date.now() - started} ms`)
  }).catch((err) => { console.error(err); process.exit(1) })
}
