/**
 * `setData` as WeChat applies it: each key is a data path (`a.b`, `list[0].name`; Taro writes `root.cn.[0].v`),
 * the value is copied as JSON (functions and undefined are dropped, as WeChat drops them crossing to the view),
 * and missing objects or arrays on the way are created.
 */

/** WeChat refuses a single setData over 1 MB (it warns at 256 KB); the app should never get near it. */
export const SET_DATA_LIMIT = 1024 * 1024

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

export function parsePath (path: string): Array<string | number> {
  const out: Array<string | number> = []
  const re = /\[(\d+)\]|([^.[\]]+)/g
  let m: RegExpExecArray | null
  let consumed = ''
  while ((m = re.exec(path)) !== null) {
    out.push(m[1] !== undefined ? Number(m[1]) : m[2])
    consumed += m[0]
  }
  if (out.length === 0 || consumed.length !== path.replace(/\./g, '').length) throw new Error(`setData: cannot read the data path "${path}"`)
  return out
}

/** Applies one setData call to `data` (mutated). Returns the size in bytes of what was sent. */
export function applySetData (data: Record<string, Json>, update: string): number {
  const changes = JSON.parse(update) as Record<string, Json>
  for (const [path, value] of Object.entries(changes)) {
    const keys = parsePath(path)
    let node: any = data
    for (let i = 0; i < keys.length - 1; i++) {
      const k = keys[i]
      if (node[k] === null || typeof node[k] !== 'object') node[k] = typeof keys[i + 1] === 'number' ? [] : {}
      node = node[k]
    }
    node[keys[keys.length - 1]] = value
  }
  return Buffer.byteLength(update)
}
