// Matching a document against a MongoDB-style query, as the SDK encodes it (docs/LOCALCLOUD.md, "Values"): field
// paths are dotted ('a.b.c'), commands are Mongo operators. A query compiles once into a closure tree and is then run
// over many documents.
//
// Array semantics follow MongoDB: a condition on a field holding an array matches when the array itself or any
// element matches ($eq, comparisons, $in, regex, $mod, $type); $size, $all and $elemMatch look at the array;
// $ne/$nin/$not are the negation over all reached values. Comparisons ($gt...) only compare within one type
// bracket (numbers with numbers, strings with strings, dates with dates...).

import { badOperator, invalidParam } from './errors'
import { isPlainObject } from './ejson'
import { compareValues, splitPath, typeRank, valuesEqual, walkPath } from './values'

export type Matcher = (doc: any) => boolean
/** Calls `test` on each value a field reaches; true if any passes. */
type Probe = (test: (x: any) => boolean) => boolean
type OpsCheck = (probe: Probe) => boolean

const UNSUPPORTED_GEO = new Set(['$near', '$nearSphere', '$geoWithin', '$geoIntersects', '$within', '$box', '$center', '$centerSphere', '$polygon'])

function isRegexValue (v: any): boolean {
  return v instanceof RegExp || (v !== null && typeof v === 'object' && v._bsontype === 'BSONRegExp')
}

/** BSONRegExp / RegExp / {$regex,$options} -> a JS RegExp (PCRE options i, m, s, u kept; x strips blanks). */
function toRegExp (v: any, options?: string): RegExp {
  if (v instanceof RegExp) return options === undefined ? new RegExp(v.source, v.flags.replace(/[gy]/g, '')) : toRegExp(v.source, options)
  let pattern: string
  let opts: string
  if (typeof v === 'string') {
    pattern = v
    opts = options ?? ''
  } else {
    pattern = String(v.pattern)
    opts = options ?? String(v.options ?? '')
  }
  let flags = ''
  for (const o of opts) {
    if ('imsu'.includes(o) && !flags.includes(o)) flags += o
    else if (o === 'x') pattern = pattern.replace(/\\\s|\s+|#.*$/gm, (m) => (m.startsWith('\\') ? m : ''))
  }
  try {
    return new RegExp(pattern, flags)
  } catch (e: any) {
    throw invalidParam(`invalid regular expression /${pattern}/${opts}: ${e?.message ?? e}`)
  }
}

function anyElem (x: any, one: (e: any) => boolean): boolean {
  if (one(x)) return true
  if (Array.isArray(x)) {
    for (const e of x) if (one(e)) return true
  }
  return false
}

/** Value test of an equality with `t` (a regex literal matches strings). */
function eqTest (t: any, regexMatches: boolean): (x: any) => boolean {
  if (regexMatches && isRegexValue(t)) {
    const re = toRegExp(t)
    return (x) => anyElem(x, (e) => (typeof e === 'string' ? re.test(e) : isRegexValue(e) && String(e.pattern ?? e.source) === re.source))
  }
  if (t === null || t === undefined) return (x) => x === null || x === undefined || (Array.isArray(x) && x.some((e) => e === null))
  if (typeof t !== 'object') {
    return (x) => {
      if (x === t) return true
      if (Array.isArray(x)) {
        for (const e of x) if (e === t || (typeof e === 'object' && e !== null && valuesEqual(e, t))) return true
        return false
      }
      return typeof x === 'object' && x !== null && valuesEqual(x, t)
    }
  }
  return (x) => anyElem(x, (e) => valuesEqual(e, t))
}

function cmpTest (op: string, t: any): (x: any) => boolean {
  const rank = typeRank(t)
  let ok: (c: number) => boolean
  switch (op) {
    case '$gt': ok = (c) => c > 0; break
    case '$gte': ok = (c) => c >= 0; break
    case '$lt': ok = (c) => c < 0; break
    default: ok = (c) => c <= 0
  }
  const one = (e: any): boolean => typeRank(e) === rank && ok(compareValues(e, t))
  return (x) => anyElem(x, one)
}

const TYPE_ALIASES: Record<string, (e: any) => boolean> = {
  double: (e) => typeof e === 'number',
  number: (e) => typeof e === 'number',
  int: (e) => typeof e === 'number' && Number.isInteger(e),
  long: (e) => typeof e === 'number' && Number.isInteger(e),
  string: (e) => typeof e === 'string',
  bool: (e) => typeof e === 'boolean',
  date: (e) => e instanceof Date,
  object: (e) => isPlainObject(e),
  array: (e) => Array.isArray(e),
  null: (e) => e === null,
  regex: (e) => isRegexValue(e)
}
const TYPE_NUMBERS: Record<number, string> = { 1: 'double', 2: 'string', 3: 'object', 4: 'array', 8: 'bool', 9: 'date', 10: 'null', 11: 'regex', 16: 'int', 18: 'long' }

function typeTest (arg: any): (x: any) => boolean {
  const names = (Array.isArray(arg) ? arg : [arg]).map((a) => (typeof a === 'number' ? TYPE_NUMBERS[a] : a))
  const tests = names.map((n) => {
    const f = TYPE_ALIASES[n]
    if (!f) throw invalidParam(`$type: unknown or unsupported type ${JSON.stringify(n)}`)
    return f
  })
  return (x) => anyElem(x, (e) => tests.some((f) => f(e))) || (Array.isArray(x) && names.includes('array'))
}

/** An object whose keys are operators ({$gt: 1}) rather than a literal subdocument. */
export function isOperatorObject (v: any): boolean {
  if (!isPlainObject(v)) return false
  const first = Object.keys(v)[0]
  return first !== undefined && first.charCodeAt(0) === 36
}

function compileOps (spec: Record<string, any>, path: string): OpsCheck {
  const checks: OpsCheck[] = []
  for (const op of Object.keys(spec)) {
    const arg = spec[op]
    switch (op) {
      case '$eq': {
        const t = eqTest(arg, false)
        checks.push((p) => p(t))
        break
      }
      case '$ne': {
        const t = eqTest(arg, false)
        checks.push((p) => !p(t))
        break
      }
      case '$gt': case '$gte': case '$lt': case '$lte': {
        const t = cmpTest(op, arg)
        checks.push((p) => p(t))
        break
      }
      case '$in': case '$nin': {
        if (!Array.isArray(arg)) throw invalidParam(`${op} of '${path}' needs an array`)
        const tests = arg.map((v) => eqTest(v, true))
        const t = (x: any): boolean => tests.some((f) => f(x))
        checks.push(op === '$in' ? (p) => p(t) : (p) => !p(t))
        break
      }
      case '$all': {
        if (!Array.isArray(arg)) throw invalidParam(`$all of '${path}' needs an array`)
        if (arg.length === 0) {
          checks.push(() => false)
          break
        }
        const parts = arg.map((v) => (isPlainObject(v) && '$elemMatch' in v ? compileOps(v, path) : (p: Probe) => p(eqTest(v, true))))
        checks.push((p) => parts.every((c) => c(p)))
        break
      }
      case '$elemMatch': {
        if (!isPlainObject(arg)) throw invalidParam(`$elemMatch of '${path}' needs an object`)
        const keys = Object.keys(arg)
        let elem: (e: any) => boolean
        if (keys.length > 0 && keys.every((k) => k.startsWith('$') && k !== '$and' && k !== '$or' && k !== '$nor')) {
          const inner = compileOps(arg, path)
          elem = (e) => inner((t) => t(e))
        } else {
          const m = compileQuery(arg)
          elem = (e) => isPlainObject(e) && m(e)
        }
        const t = (x: any): boolean => Array.isArray(x) && x.some(elem)
        checks.push((p) => p(t))
        break
      }
      case '$size': {
        if (typeof arg !== 'number') throw invalidParam(`$size of '${path}' needs a number`)
        const t = (x: any): boolean => Array.isArray(x) && x.length === arg
        checks.push((p) => p(t))
        break
      }
      case '$exists': {
        const want = !!arg
        const t = (x: any): boolean => x !== undefined
        checks.push((p) => p(t) === want)
        break
      }
      case '$mod': {
        if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'number' || typeof arg[1] !== 'number' || arg[0] === 0) {
          throw invalidParam(`$mod of '${path}' needs [divisor, remainder] with a non-zero divisor`)
        }
        const d = Math.trunc(arg[0])
        const r = Math.trunc(arg[1])
        const t = (x: any): boolean => anyElem(x, (e) => typeof e === 'number' && Math.trunc(e) % d === r)
        checks.push((p) => p(t))
        break
      }
      case '$regex': {
        const re = toRegExp(arg, typeof spec.$options === 'string' ? spec.$options : undefined)
        const t = eqTest(re, true)
        checks.push((p) => p(t))
        break
      }
      case '$options':
        if (!('$regex' in spec)) throw invalidParam(`$options of '${path}' without $regex`)
        break
      case '$not': {
        let inner: OpsCheck
        if (isRegexValue(arg)) {
          const t = eqTest(arg, true)
          inner = (p) => p(t)
        } else if (isOperatorObject(arg)) {
          inner = compileOps(arg, path)
        } else {
          throw invalidParam(`$not of '${path}' needs a regex or an operator object`)
        }
        checks.push((p) => !inner(p))
        break
      }
      case '$type': {
        const t = typeTest(arg)
        checks.push((p) => p(t))
        break
      }
      default:
        if (UNSUPPORTED_GEO.has(op)) throw invalidParam(`geo query ${op} on '${path}' is not supported by the local cloud`)
        throw badOperator(`unknown query operator ${op} on '${path}'`)
    }
  }
  if (checks.length === 1) return checks[0]
  return (p) => {
    for (const c of checks) if (!c(p)) return false
    return true
  }
}

/** Compile a field condition (literal or operator object) into a value-level predicate for one element
 * (used by $pull with a condition). A non-operator object is a query on the element. */
export function compileElementPredicate (cond: any): (e: any) => boolean {
  if (isOperatorObject(cond)) {
    const ops = compileOps(cond, '$pull')
    return (e) => ops((t) => t(e))
  }
  if (isPlainObject(cond)) {
    const m = compileQuery(cond)
    return (e) => isPlainObject(e) && m(e)
  }
  if (isRegexValue(cond)) {
    const re = toRegExp(cond)
    return (e) => typeof e === 'string' && re.test(e)
  }
  return (e) => valuesEqual(e, cond)
}

/** Compile a whole query document. `{}` (or undefined) matches everything. */
export function compileQuery (query: any): Matcher {
  if (query === undefined || query === null) return () => true
  if (!isPlainObject(query)) throw invalidParam('query must be an object')
  const preds: Matcher[] = []
  for (const key of Object.keys(query)) {
    const val = query[key]
    if (key.charCodeAt(0) === 36) {
      switch (key) {
        case '$and': case '$or': case '$nor': {
          if (!Array.isArray(val) || val.length === 0) throw invalidParam(`${key} needs a non-empty array`)
          const subs = val.map(compileQuery)
          if (key === '$and') preds.push((d) => subs.every((m) => m(d)))
          else if (key === '$or') preds.push((d) => subs.some((m) => m(d)))
          else preds.push((d) => !subs.some((m) => m(d)))
          break
        }
        case '$comment':
          break
        case '$expr':
          throw invalidParam('$expr (db.command.expr) is not supported by the local cloud')
        case '$where': case '$text': case '$jsonSchema': case '$search':
          throw invalidParam(`${key} is not supported by the local cloud`)
        default:
          throw badOperator(`unknown top-level query operator ${key}`)
      }
      continue
    }
    const parts = splitPath(key)
    let check: OpsCheck
    if (isOperatorObject(val)) {
      check = compileOps(val, key)
    } else {
      const t = eqTest(val, true)
      check = (p) => p(t)
    }
    preds.push((d) => check((t) => walkPath(d, parts, 0, t)))
  }
  if (preds.length === 0) return () => true
  if (preds.length === 1) return preds[0]
  return (d) => {
    for (const p of preds) if (!p(d)) return false
    return true
  }
}

/** True when a query constrains nothing (skip decoding documents). */
export function isEmptyQuery (query: any): boolean {
  if (query === undefined || query === null) return true
  for (const k in query) if (k !== '$comment') return false
  return true
}
