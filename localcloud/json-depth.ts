// How deep a JSON text or a value nests, measured without recursion: a body nested thousands of levels deep must be
// refused before anything recursive (JSON.stringify in the IPC send to a function, a query walk) touches it.

/** The default limit on nesting: far beyond any real request, far below what overflows a stack. */
export const DEFAULT_MAX_JSON_DEPTH = 64

/** True when the JSON text opens more than `limit` objects or arrays inside one another (strings skipped). */
export function jsonTextTooDeep (text: Buffer | string, limit: number): boolean {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text
  let depth = 0
  let inString = false
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]
    if (inString) {
      if (b === 0x5c) i++ // a backslash escapes the next byte
      else if (b === 0x22) inString = false
    } else if (b === 0x22) {
      inString = true
    } else if (b === 0x7b || b === 0x5b) { // { [
      if (++depth > limit) return true
    } else if (b === 0x7d || b === 0x5d) { // } ]
      depth--
    }
  }
  return false
}

/** True when a parsed value nests objects or arrays more than `limit` deep. */
export function valueTooDeep (value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]]
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!
    if (v === null || typeof v !== 'object') continue
    if (depth + 1 > limit) return true
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1])
    }
  }
  return false
}
