// Value encoding at the two edges of the store.
//
// Requests: the SDK sends canonical EJSON strings (bson 4.7.2); we parse them with the same library in relaxed
// mode, so numbers are plain numbers, dates are Dates and regexes are BSONRegExp (docs/LOCALCLOUD.md, "Values").
//
// Storage and replies share ONE text form, so a document read without a projection goes back to the SDK as the
// exact string stored in SQLite (no parse, no stringify): plain JSON where
//   Date       -> {"$date": <ms>}                          (legacy EJSON; the SDK's EJSON.parse gives a Date)
//   NaN/±Inf   -> {"$numberDouble": "NaN" | "Infinity" | "-Infinity"}
//   BSONRegExp -> {"$regularExpression": {"pattern", "options"}}
//   other bson values (ObjectId, Decimal128, Binary...) -> their canonical EJSON object
// Stored documents never have field names starting with '$' (insert/update reject them), so any '$' key found
// in stored text is one of these tags.

import { BSONRegExp, EJSON } from 'bson'
import { invalidParam } from './errors'

// Keys that make bson's EJSON reviver turn an object into a BSON value (bson 4.7.2 extended_json.js).
const EJSON_TAGS = new Set(['$oid', '$binary', '$uuid', '$symbol', '$numberInt', '$numberDecimal', '$numberDouble', '$numberLong',
  '$minKey', '$maxKey', '$regex', '$regularExpression', '$timestamp', '$date', '$code', '$ref', '$dbPointer', '$undefined'])
const FALLBACK = new Error('ejson fallback')
const SAFE_LONG = /^-?\d{1,15}$/

/** bson's relaxed reviver for the tags the SDK sends on every request ($numberInt, $numberDouble, safe
 * $numberLong, $date), in place. Anything else throws FALLBACK and the text goes to EJSON.parse itself, so the
 * result is always what EJSON.parse(text, {relaxed: true}) gives, at a fraction of the cost. */
function fastRevive (v: any): any {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i]
      if (x !== null && typeof x === 'object') v[i] = fastRevive(x)
    }
    return v
  }
  let tagged = false
  for (const k in v) {
    if (k.charCodeAt(0) === 36 && EJSON_TAGS.has(k)) {
      tagged = true
      continue
    }
    if (k.indexOf('\0') !== -1) throw FALLBACK
    const x = v[k]
    if (x !== null && typeof x === 'object') v[k] = fastRevive(x)
  }
  if (!tagged) return v
  const keys = Object.keys(v)
  if (keys.length !== 1) throw FALLBACK
  const x = v[keys[0]]
  switch (keys[0]) {
    case '$numberInt': if (typeof x === 'string') return parseInt(x, 10); break
    case '$numberDouble': if (typeof x === 'string') return parseFloat(x); break
    case '$numberLong': if (typeof x === 'string' && SAFE_LONG.test(x)) return Number(x); break
    case '$date':
      if (typeof x === 'string') return new Date(Date.parse(x))
      if (typeof x === 'number') return new Date(x)
      if (x !== null && typeof x === 'object' && typeof x.$numberLong === 'string' && Object.keys(x).length === 1 && SAFE_LONG.test(x.$numberLong)) {
        return new Date(Number(x.$numberLong))
      }
      break
  }
  throw FALLBACK
}

/** EJSON.parse(text, {relaxed: true}), fast for what the SDK sends. */
export function parseEJSONText (text: string): any {
  const v = JSON.parse(text)
  if (v === null || typeof v !== 'object' || text.indexOf('"$') < 0) return v
  try {
    return fastRevive(v)
  } catch (e) {
    if (e !== FALLBACK) throw e
    return EJSON.parse(text, { relaxed: true })
  }
}

/** Parse a request field holding EJSON text (bson 4.7.2 semantics, relaxed: numbers, Dates, BSONRegExp).
 * Objects are accepted too (raw callers) and go through EJSON's deserializer. Throws INVALID_PARAM naming the
 * field. */
export function parseEJSON (value: unknown, what: string): any {
  if (typeof value === 'string') {
    try {
      return parseEJSONText(value)
    } catch (e: any) {
      throw invalidParam(`malformed EJSON in ${what}: ${e?.message ?? e}`)
    }
  }
  if (value !== null && typeof value === 'object') {
    try {
      return EJSON.deserialize(value as any, { relaxed: true })
    } catch (e: any) {
      throw invalidParam(`malformed EJSON in ${what}: ${e?.message ?? e}`)
    }
  }
  throw invalidParam(`${what} must be an EJSON string`)
}

function replacer (this: any, key: string, value: any): any {
  const raw = this[key]
  if (raw !== null && typeof raw === 'object') {
    if (raw instanceof Date) {
      const ms = raw.getTime()
      return { $date: Number.isNaN(ms) ? 0 : ms }
    }
    const bsontype = raw._bsontype
    if (bsontype !== undefined) {
      if (bsontype === 'BSONRegExp') return { $regularExpression: { pattern: raw.pattern, options: raw.options } }
      return EJSON.serialize(raw, { relaxed: false })
    }
    return value
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return { $numberDouble: String(value) }
  return value
}

/** Encode a document (or any value) to the storage/reply text. */
export function encodeDoc (doc: unknown): string {
  return JSON.stringify(doc, replacer)
}

function reviveTagged (v: any): any {
  if (v.$date !== undefined) {
    const d = v.$date
    if (typeof d === 'number') return new Date(d)
    if (typeof d === 'string') return new Date(d)
    if (d && typeof d.$numberLong === 'string') return new Date(Number(d.$numberLong))
  }
  if (v.$numberDouble !== undefined) return Number(v.$numberDouble)
  if (v.$regularExpression !== undefined) return new BSONRegExp(v.$regularExpression.pattern, v.$regularExpression.options)
  return EJSON.deserialize(v, { relaxed: true })
}

function revive (v: any): any {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i]
      if (x !== null && typeof x === 'object') v[i] = revive(x)
    }
    return v
  }
  for (const k in v) {
    if (k.charCodeAt(0) === 36 /* $ */) return reviveTagged(v)
    const x = v[k]
    if (x !== null && typeof x === 'object') v[k] = revive(x)
  }
  return v
}

/** Decode storage text to a fresh JS value (Dates as Date, regexes as BSONRegExp). */
export function decodeDoc (text: string): any {
  const v = JSON.parse(text)
  // Most documents carry no tags at all; skip the walk for them.
  if (text.indexOf('"$') < 0 || v === null || typeof v !== 'object') return v
  return revive(v)
}

export function isPlainObject (v: unknown): v is Record<string, any> {
  if (v === null || typeof v !== 'object') return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

/** Deep copy of a document value (Dates copied, bson values shared: they are immutable). */
export function cloneValue<T> (v: T): T {
  if (v === null || typeof v !== 'object') return v
  if (Array.isArray(v)) return v.map(cloneValue) as any
  if (v instanceof Date) return new Date(v.getTime()) as any
  if (!isPlainObject(v)) return v
  const out: Record<string, any> = {}
  for (const k in v as any) out[k] = cloneValue((v as any)[k])
  return out as T
}

function serverDateOf (v: Record<string, any>, now: number): Date | undefined {
  const sd = v.$tcb_server_date
  if (sd === undefined) return undefined
  const offset = sd && typeof sd.offset === 'number' ? sd.offset : 0
  return new Date(now + offset)
}

/** Replace every `{"$tcb_server_date":{"offset":n}}` (db.serverDate()) with a Date of now + offset, in place.
 * Used for queries and update operator arguments, where '$' keys are operators. */
export function resolveServerDates (v: any, now: number): any {
  if (v === null || typeof v !== 'object') return v
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = resolveServerDates(v[i], now)
    return v
  }
  if (!isPlainObject(v)) return v
  const sd = serverDateOf(v, now)
  if (sd) return sd
  for (const k in v) v[k] = resolveServerDates(v[k], now)
  return v
}

/** Prepare a value that will be STORED: resolve server dates and reject field names MongoDB cannot store
 * ('$' prefix, '.' inside), which would also clash with the storage tags above. In place. */
export function prepareStoredValue (v: any, now: number, path = ''): any {
  if (v === null || typeof v !== 'object') return v
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = prepareStoredValue(v[i], now, path)
    return v
  }
  if (!isPlainObject(v)) return v
  const sd = serverDateOf(v, now)
  if (sd) return sd
  for (const k in v) {
    if (k.charCodeAt(0) === 36) throw invalidParam(`field name '${path}${k}' must not start with '$'`)
    if (k.indexOf('.') >= 0) throw invalidParam(`field name '${path}${k}' must not contain '.'`)
    const x = v[k]
    if (x !== null && typeof x === 'object') v[k] = prepareStoredValue(x, now, `${path}${k}.`)
  }
  return v
}
