// A function's config.json as WeChat reads it (plus `timeout`/`envVariables` from cloudbaserc's function entry),
// and where a function's bundle lives.
import fs from 'node:fs'
import path from 'node:path'

export interface TimerTriggerConfig {
  name: string
  type: 'timer'
  /** WeChat's 7-field cron: second minute hour day month weekday year, in UTC+8. */
  config: string
}

export interface FunctionConfig {
  /** Seconds; SCF's default is 3. */
  timeout: number
  triggers: TimerTriggerConfig[]
  /** permissions.openapi: the cloud.openapi APIs this function may call. */
  openapi: string[]
  envVariables: Record<string, string>
}

const DEFAULT_TIMEOUT_S = 3
/** SCF's limit for a function name; also keeps names from being paths. */
const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,59}$/

export function bundlePath (functionsDir: string, fn: string): string | undefined {
  if (!FUNCTION_NAME.test(fn)) return undefined
  const file = path.join(functionsDir, fn, 'index.js')
  return fs.existsSync(file) ? file : undefined
}

export function listFunctions (functionsDir: string | undefined): string[] {
  if (!functionsDir || !fs.existsSync(functionsDir)) return []
  return fs.readdirSync(functionsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && bundlePath(functionsDir, d.name) !== undefined)
    .map((d) => d.name)
    .sort()
}

/** Reads `<fn>/config.json`; a missing file gives the defaults, a broken one throws with the file named. */
export function readFunctionConfig (functionsDir: string, fn: string): FunctionConfig {
  const file = path.join(functionsDir, fn, 'config.json')
  const config: FunctionConfig = { timeout: DEFAULT_TIMEOUT_S, triggers: [], openapi: [], envVariables: {} }
  if (!fs.existsSync(file)) return config
  let raw: Record<string, unknown>
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>
  } catch (err) {
    throw new Error(`${file} is not valid JSON: ${(err as Error).message}`)
  }
  if (typeof raw.timeout === 'number' && raw.timeout > 0) config.timeout = raw.timeout
  if (Array.isArray(raw.triggers)) {
    for (const t of raw.triggers as Array<Record<string, unknown>>) {
      if (t && t.type === 'timer' && typeof t.name === 'string' && typeof t.config === 'string') {
        config.triggers.push({ name: t.name, type: 'timer', config: t.config })
      }
    }
  }
  const permissions = raw.permissions as { openapi?: unknown } | undefined
  if (permissions && Array.isArray(permissions.openapi)) {
    config.openapi = permissions.openapi.filter((x): x is string => typeof x === 'string')
  }
  if (raw.envVariables && typeof raw.envVariables === 'object') {
    for (const [k, v] of Object.entries(raw.envVariables as Record<string, unknown>)) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') config.envVariables[k] = String(v)
    }
  }
  return config
}
