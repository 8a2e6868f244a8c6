// The aggregation pipeline of `collection.aggregate()…end()`. The SDK sends stages as
// [{stageKey:'$group', stageValue:'<EJSON>'}]; accumulators written with db.command.aggregate ($.sum(1)) arrive as
// plain Mongo operators ({"$sum": 1}). Documents flow through the stages in memory; the store feeds the first
// stage, using an index when it is a $match.

import { cloneValue, encodeDoc, isPlainObject } from './ejson'
import { invalidParam } from './errors'
import { compileProjection } from './projection'
import { compileQuery } from './query'
import { compareValues, getExprPath, getPlain, sortBy, splitPath, valuesEqual, walkPath } from './values'

type Doc = Record<string, any>

interface PipelineContext {
  /** Documents of `from` whose `foreignField` equals one of `values` (MongoDB equality; null matches missing). */
  lookup: (from: string, foreignField: string, values: any[]) => Doc[]
  /** The result of a sub-pipeline run over the whole of `from` (a `$lookup` with `pipeline` and no `let`). */
  subPipeline: (from: string, stages: Array<[string, any]>) => Doc[]
}

type Vars = Record<string, any>

const UNSUPPORTED_STAGES = new Set(['$geoNear', '$bucket', '$bucketAuto', '$facet', '$graphLookup', '$out', '$merge', '$redact', '$collStats', '$indexStats', '$densify', '$fill', '$setWindowFields', '$unionWith'])

// ---------- expressions ----------

function fieldRef (s: string, doc: any, vars: Vars): any {
  if (s.startsWith('$$')) {
    const parts = s.slice(2).split('.')
    const name = parts.shift()!
    const base = name === 'ROOT' ? vars.ROOT : name === 'CURRENT' ? doc : vars[name]
    if (base === undefined && !(name in vars) && name !== 'CURRENT' && name !== 'ROOT') throw invalidParam(`undefined aggregation variable $$${name}`)
    return parts.length ? getExprPath(base, parts) : base
  }
  return getExprPath(doc, splitPath(s.slice(1)))
}

const isNum = (v: any): v is number => typeof v === 'number'
const nullish = (v: any): boolean => v === null || v === undefined

function tzOffsetMinutes (date: Date, tz: any): number {
  if (tz === undefined || tz === null || tz === 'UTC' || tz === 'GMT' || tz === 'Z') return 0
  if (typeof tz !== 'string') throw invalidParam('timezone must be a string')
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(tz)
  if (m) return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0))
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(date)
    const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value)
    const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
    return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60000)
  } catch {
    throw invalidParam(`unknown timezone ${tz}`)
  }
}

/** A Date shifted so its UTC fields read as local time in `tz`. */
function localDate (v: any, tz: any): Date | null {
  if (!(v instanceof Date)) return null
  return new Date(v.getTime() + tzOffsetMinutes(v, tz) * 60000)
}

function dateArg (arg: any, doc: any, vars: Vars): { date: any, tz: any } {
  if (isPlainObject(arg) && 'date' in arg) return { date: evalExpr(arg.date, doc, vars), tz: evalExpr(arg.timezone, doc, vars) }
  return { date: evalExpr(Array.isArray(arg) ? arg[0] : arg, doc, vars), tz: undefined }
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0')

function dayOfYear (d: Date): number {
  return Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000) + 1
}

function formatDate (d: Date, format: string): string {
  return format.replace(/%([YmdHMSLjwuG V%])/g, (_m, c: string) => {
    switch (c) {
      case 'Y': return String(d.getUTCFullYear())
      case 'm': return pad(d.getUTCMonth() + 1)
      case 'd': return pad(d.getUTCDate())
      case 'H': return pad(d.getUTCHours())
      case 'M': return pad(d.getUTCMinutes())
      case 'S': return pad(d.getUTCSeconds())
      case 'L': return pad(d.getUTCMilliseconds(), 3)
      case 'j': return pad(dayOfYear(d), 3)
      case 'w': return String(d.getUTCDay() + 1)
      case 'u': return String(d.getUTCDay() === 0 ? 7 : d.getUTCDay())
      case '%': return '%'
      default: throw invalidParam(`$dateToString: unsupported format %${c}`)
    }
  })
}

function accumulateArray (op: string, values: any[]): any {
  switch (op) {
    case '$sum': return values.reduce((s, v) => (isNum(v) ? s + v : s), 0)
    case '$avg': {
      const nums = values.filter(isNum)
      return nums.length ? nums.reduce((s, v) => s + v, 0) / nums.length : null
    }
    case '$min': case '$max': {
      let best: any
      for (const v of values) {
        if (nullish(v)) continue
        if (best === undefined || (op === '$min' ? compareValues(v, best) < 0 : compareValues(v, best) > 0)) best = v
      }
      return best === undefined ? null : best
    }
    case '$first': return values.length ? values[0] : null
    default: return values.length ? values[values.length - 1] : null
  }
}

function evalExpr (e: any, doc: any, vars: Vars): any {
  if (typeof e === 'string') return e.charCodeAt(0) === 36 ? fieldRef(e, doc, vars) : e
  if (Array.isArray(e)) return e.map((x) => evalExpr(x, doc, vars))
  if (!isPlainObject(e)) return e
  const keys = Object.keys(e)
  if (keys.length === 1 && keys[0].charCodeAt(0) === 36) return evalOperator(keys[0], e[keys[0]], doc, vars)
  const out: Doc = {}
  for (const k of keys) {
    if (k.charCodeAt(0) === 36) throw invalidParam(`aggregation: unexpected operator ${k} inside an object with other fields`)
    const v = evalExpr(e[k], doc, vars)
    if (v !== undefined) out[k] = v
  }
  return out
}

function evalOperator (op: string, arg: any, doc: any, vars: Vars): any {
  const list = (): any[] => (Array.isArray(arg) ? arg : [arg]).map((a) => evalExpr(a, doc, vars))
  const two = (): [any, any] => {
    const a = list()
    if (a.length !== 2) throw invalidParam(`${op} needs 2 arguments`)
    return [a[0], a[1]]
  }
  const math1 = (f: (x: number) => number): any => {
    const x = list()[0]
    return isNum(x) ? f(x) : null
  }
  switch (op) {
    case '$literal': return arg
    case '$add': {
      let sum = 0
      let date = false
      for (const v of list()) {
        if (nullish(v)) return null
        if (v instanceof Date) { date = true; sum += v.getTime() } else if (isNum(v)) sum += v
        else throw invalidParam('$add only supports numbers and dates')
      }
      return date ? new Date(sum) : sum
    }
    case '$subtract': {
      const [a, b] = two()
      if (nullish(a) || nullish(b)) return null
      if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime()
      if (a instanceof Date && isNum(b)) return new Date(a.getTime() - b)
      if (isNum(a) && isNum(b)) return a - b
      throw invalidParam('$subtract only supports numbers and dates')
    }
    case '$multiply': {
      let p = 1
      for (const v of list()) { if (nullish(v)) return null; if (!isNum(v)) throw invalidParam('$multiply only supports numbers'); p *= v }
      return p
    }
    case '$divide': case '$mod': case '$pow': {
      const [a, b] = two()
      if (nullish(a) || nullish(b)) return null
      if (!isNum(a) || !isNum(b)) throw invalidParam(`${op} only supports numbers`)
      if (op !== '$pow' && b === 0) throw invalidParam(`${op} by zero`)
      return op === '$divide' ? a / b : op === '$mod' ? a % b : a ** b
    }
    case '$abs': return math1(Math.abs)
    case '$ceil': return math1(Math.ceil)
    case '$floor': return math1(Math.floor)
    case '$sqrt': return math1(Math.sqrt)
    case '$exp': return math1(Math.exp)
    case '$ln': return math1(Math.log)
    case '$log10': return math1(Math.log10)
    case '$trunc': case '$round': {
      const [x, place = 0] = list()
      if (!isNum(x)) return null
      const f = 10 ** place
      return op === '$trunc' ? Math.trunc(x * f) / f : Math.round(x * f) / f
    }
    case '$concat': {
      const parts = list()
      if (parts.some(nullish)) return null
      if (!parts.every((p) => typeof p === 'string')) throw invalidParam('$concat only supports strings')
      return parts.join('')
    }
    case '$toLower': case '$toUpper': {
      const s = list()[0]
      const str = nullish(s) ? '' : String(s)
      return op === '$toLower' ? str.toLowerCase() : str.toUpperCase()
    }
    case '$substr': case '$substrCP': case '$substrBytes': {
      const [s, start, len] = list()
      if (nullish(s)) return ''
      const chars = Array.from(String(s))
      return chars.slice(start, len < 0 ? undefined : start + len).join('')
    }
    case '$strLenCP': case '$strLenBytes': {
      const s = list()[0]
      if (typeof s !== 'string') throw invalidParam(`${op} needs a string`)
      return op === '$strLenCP' ? Array.from(s).length : Buffer.byteLength(s)
    }
    case '$split': {
      const [s, sep] = two()
      if (nullish(s)) return null
      return String(s).split(String(sep))
    }
    case '$trim': case '$ltrim': case '$rtrim': {
      const input = evalExpr(isPlainObject(arg) ? arg.input : arg, doc, vars)
      if (nullish(input)) return null
      const s = String(input)
      return op === '$trim' ? s.trim() : op === '$ltrim' ? s.trimStart() : s.trimEnd()
    }
    case '$toString': {
      const v = list()[0]
      if (nullish(v)) return null
      return v instanceof Date ? v.toISOString() : String(v)
    }
    case '$toInt': case '$toLong': case '$toDouble': case '$toDecimal': {
      const v = list()[0]
      if (nullish(v)) return null
      const n = v instanceof Date ? v.getTime() : typeof v === 'boolean' ? (v ? 1 : 0) : Number(v)
      if (Number.isNaN(n)) throw invalidParam(`${op}: cannot convert ${JSON.stringify(v)}`)
      return op === '$toInt' || op === '$toLong' ? Math.trunc(n) : n
    }
    case '$toBool': return !!list()[0]
    case '$toDate': {
      const v = list()[0]
      if (nullish(v)) return null
      return v instanceof Date ? v : new Date(v)
    }
    case '$size': {
      const a = list()[0]
      if (!Array.isArray(a)) throw invalidParam('$size needs an array')
      return a.length
    }
    case '$isArray': return Array.isArray(list()[0])
    case '$arrayElemAt': {
      const [a, i] = two()
      if (!Array.isArray(a)) return null
      const idx = i < 0 ? a.length + i : i
      return a[idx]
    }
    case '$concatArrays': {
      const arrays = list()
      if (arrays.some(nullish)) return null
      return ([] as any[]).concat(...arrays)
    }
    case '$in': {
      const [x, a] = two()
      if (!Array.isArray(a)) throw invalidParam('$in needs an array as second argument')
      return a.some((e) => valuesEqual(e, x))
    }
    case '$reverseArray': {
      const a = list()[0]
      return Array.isArray(a) ? [...a].reverse() : null
    }
    case '$slice': {
      const [a, p, n] = list()
      if (!Array.isArray(a)) return null
      if (n === undefined) return p >= 0 ? a.slice(0, p) : a.slice(Math.max(0, a.length + p))
      const start = p >= 0 ? p : Math.max(0, a.length + p)
      return a.slice(start, start + n)
    }
    case '$filter': case '$map': {
      if (!isPlainObject(arg)) throw invalidParam(`${op} needs {input, as, ${op === '$filter' ? 'cond' : 'in'}}`)
      const input = evalExpr(arg.input, doc, vars)
      if (nullish(input)) return null
      if (!Array.isArray(input)) throw invalidParam(`${op} input must be an array`)
      const name = arg.as ?? 'this'
      return op === '$filter'
        ? input.filter((e) => !!evalExpr(arg.cond, doc, { ...vars, [name]: e }))
        : input.map((e) => evalExpr(arg.in, doc, { ...vars, [name]: e }))
    }
    case '$mergeObjects': {
      const out: Doc = {}
      for (const o of list().flat()) if (isPlainObject(o)) Object.assign(out, o)
      return out
    }
    case '$eq': case '$ne': case '$gt': case '$gte': case '$lt': case '$lte': case '$cmp': {
      const [a, b] = two()
      const c = compareValues(a, b)
      switch (op) {
        case '$eq': return c === 0
        case '$ne': return c !== 0
        case '$gt': return c > 0
        case '$gte': return c >= 0
        case '$lt': return c < 0
        case '$lte': return c <= 0
        default: return c < 0 ? -1 : c > 0 ? 1 : 0
      }
    }
    case '$and': return list().every(truthy)
    case '$or': return list().some(truthy)
    case '$not': return !truthy(list()[0])
    case '$cond': {
      const [c, t, f] = Array.isArray(arg) ? arg : [arg.if, arg.then, arg.else]
      return truthy(evalExpr(c, doc, vars)) ? evalExpr(t, doc, vars) : evalExpr(f, doc, vars)
    }
    case '$ifNull': {
      const a = Array.isArray(arg) ? arg : [arg]
      for (let i = 0; i < a.length - 1; i++) {
        const v = evalExpr(a[i], doc, vars)
        if (!nullish(v)) return v
      }
      return evalExpr(a[a.length - 1], doc, vars)
    }
    case '$switch': {
      if (!isPlainObject(arg) || !Array.isArray(arg.branches)) throw invalidParam('$switch needs {branches, default}')
      for (const b of arg.branches) if (truthy(evalExpr(b.case, doc, vars))) return evalExpr(b.then, doc, vars)
      if (!('default' in arg)) throw invalidParam('$switch found no matching branch and has no default')
      return evalExpr(arg.default, doc, vars)
    }
    case '$sum': case '$avg': case '$min': case '$max': case '$first': case '$last': {
      const a = list()
      const values = a.length === 1 && Array.isArray(a[0]) ? a[0] : a
      return accumulateArray(op, values)
    }
    case '$year': case '$month': case '$dayOfMonth': case '$hour': case '$minute': case '$second': case '$millisecond':
    case '$dayOfWeek': case '$dayOfYear': case '$isoDayOfWeek': {
      const { date, tz } = dateArg(arg, doc, vars)
      const d = localDate(date, tz)
      if (!d) return null
      switch (op) {
        case '$year': return d.getUTCFullYear()
        case '$month': return d.getUTCMonth() + 1
        case '$dayOfMonth': return d.getUTCDate()
        case '$hour': return d.getUTCHours()
        case '$minute': return d.getUTCMinutes()
        case '$second': return d.getUTCSeconds()
        case '$millisecond': return d.getUTCMilliseconds()
        case '$dayOfWeek': return d.getUTCDay() + 1
        case '$isoDayOfWeek': return d.getUTCDay() === 0 ? 7 : d.getUTCDay()
        default: return dayOfYear(d)
      }
    }
    case '$dateToString': {
      if (!isPlainObject(arg)) throw invalidParam('$dateToString needs {date, format?, timezone?}')
      const date = evalExpr(arg.date, doc, vars)
      if (nullish(date)) return arg.onNull !== undefined ? evalExpr(arg.onNull, doc, vars) : null
      const d = localDate(date, evalExpr(arg.timezone, doc, vars))
      if (!d) throw invalidParam('$dateToString needs a date')
      return formatDate(d, arg.format ?? '%Y-%m-%dT%H:%M:%S.%LZ')
    }
    default:
      throw invalidParam(`aggregation operator ${op} is not supported by the local cloud`)
  }
}

function truthy (v: any): boolean {
  return !(v === false || v === null || v === undefined || v === 0)
}

// ---------- stage helpers ----------

function setPath (doc: Doc, path: string, v: any): void {
  const parts = splitPath(path)
  let cur: any = doc
  for (let i = 0; i < parts.length - 1; i++) {
    let next = cur[parts[i]]
    if (!isPlainObject(next)) {
      next = {}
      cur[parts[i]] = next
    }
    cur = next
  }
  if (v === undefined) delete cur[parts[parts.length - 1]]
  else cur[parts[parts.length - 1]] = v
}

function unsetPath (doc: Doc, path: string): void {
  const parts = splitPath(path)
  const parent = getPlain(doc, parts.slice(0, -1))
  if (isPlainObject(parent)) delete (parent as Doc)[parts[parts.length - 1]]
}

/** Flatten nested non-expression objects of a $project spec into dotted paths. */
function flattenSpec (spec: Doc, prefix: string, out: Array<[string, any]>): void {
  for (const k of Object.keys(spec)) {
    const v = spec[k]
    if (isPlainObject(v) && Object.keys(v).length > 0 && !Object.keys(v)[0].startsWith('$')) flattenSpec(v, `${prefix}${k}.`, out)
    else out.push([prefix + k, v])
  }
}

function projectStage (spec: any): (doc: Doc) => Doc {
  if (!isPlainObject(spec)) throw invalidParam('$project needs an object')
  const entries: Array<[string, any]> = []
  flattenSpec(spec, '', entries)
  const include: Doc = {}
  const exclude: string[] = []
  const computed: Array<[string, any]> = []
  let keepId = true
  for (const [path, v] of entries) {
    const flag = v === true || v === false || typeof v === 'number'
    if (path === '_id' && flag) {
      keepId = !!v
      continue
    }
    if (flag) {
      if (v) include[path] = 1
      else exclude.push(path)
    } else {
      computed.push([path, v])
    }
  }
  if (exclude.length) {
    if (Object.keys(include).length || computed.length) throw invalidParam('$project cannot mix exclusion with inclusion or computed fields')
    if (!keepId) exclude.push('_id')
    return (doc) => {
      const out = cloneValue(doc)
      for (const p of exclude) unsetPath(out, p)
      return out
    }
  }
  if (!keepId && !Object.keys(include).length && !computed.length) {
    return (doc) => {
      const out = cloneValue(doc)
      delete out._id
      return out
    }
  }
  const base = compileProjection({ ...include, _id: keepId ? 1 : 0 })
  return (doc) => {
    const out = base ? base(doc) : {}
    for (const [path, expr] of computed) setPath(out, path, evalExpr(expr, doc, { ROOT: doc }))
    return out
  }
}

function groupStage (spec: any): (docs: Doc[]) => Doc[] {
  if (!isPlainObject(spec) || !('_id' in spec)) throw invalidParam('$group needs an _id')
  const accs: Array<{ name: string, op: string, expr: any }> = []
  for (const name of Object.keys(spec)) {
    if (name === '_id') continue
    const a = spec[name]
    const ops = isPlainObject(a) ? Object.keys(a) : []
    if (ops.length !== 1 || !ops[0].startsWith('$')) throw invalidParam(`$group field '${name}' needs one accumulator like {$sum: 1}`)
    const op = ops[0]
    if (!['$sum', '$avg', '$min', '$max', '$push', '$addToSet', '$first', '$last', '$stdDevPop', '$stdDevSamp', '$mergeObjects'].includes(op)) {
      throw invalidParam(`$group accumulator ${op} is not supported by the local cloud`)
    }
    accs.push({ name, op, expr: a[op] })
  }
  return (docs) => {
    const groups = new Map<string, { id: any, values: any[][] }>()
    for (const doc of docs) {
      const vars = { ROOT: doc }
      let id = evalExpr(spec._id, doc, vars)
      if (id === undefined) id = null
      const key = encodeDoc(id)
      let g = groups.get(key)
      if (!g) {
        g = { id, values: accs.map(() => []) }
        groups.set(key, g)
      }
      for (let i = 0; i < accs.length; i++) g.values[i].push(evalExpr(accs[i].expr, doc, vars))
    }
    const out: Doc[] = []
    for (const g of groups.values()) {
      const row: Doc = { _id: g.id }
      accs.forEach((a, i) => {
        const vals = g.values[i]
        switch (a.op) {
          case '$push': row[a.name] = vals.filter((v) => v !== undefined); break
          case '$addToSet': {
            const set: any[] = []
            for (const v of vals) if (v !== undefined && !set.some((s) => valuesEqual(s, v))) set.push(v)
            row[a.name] = set
            break
          }
          case '$first': case '$last': {
            const v = a.op === '$first' ? vals[0] : vals[vals.length - 1]
            row[a.name] = v === undefined ? null : v
            break
          }
          case '$sum': row[a.name] = vals.reduce((s, v) => (isNum(v) ? s + v : Array.isArray(v) ? s + accumulateArray('$sum', v) : s), 0); break
          case '$stdDevPop': case '$stdDevSamp': {
            const nums = vals.filter(isNum)
            const n = nums.length
            if (n === 0 || (a.op === '$stdDevSamp' && n < 2)) { row[a.name] = null; break }
            const mean = nums.reduce((s, v) => s + v, 0) / n
            const ss = nums.reduce((s, v) => s + (v - mean) ** 2, 0)
            row[a.name] = Math.sqrt(ss / (a.op === '$stdDevPop' ? n : n - 1))
            break
          }
          case '$mergeObjects': row[a.name] = Object.assign({}, ...vals.filter(isPlainObject)); break
          default: row[a.name] = accumulateArray(a.op, vals)
        }
      })
      out.push(row)
    }
    return out
  }
}

function unwindStage (arg: any): (docs: Doc[]) => Doc[] {
  const opts = typeof arg === 'string' ? { path: arg } : arg
  if (!isPlainObject(opts) || typeof opts.path !== 'string' || !opts.path.startsWith('$')) throw invalidParam('$unwind needs a path like "$tags"')
  const path = opts.path.slice(1)
  const parts = splitPath(path)
  const indexField: string | undefined = opts.includeArrayIndex
  const preserve = !!opts.preserveNullAndEmptyArrays
  return (docs) => {
    const out: Doc[] = []
    for (const doc of docs) {
      const v = getPlain(doc, parts)
      if (Array.isArray(v) && v.length > 0) {
        v.forEach((e, i) => {
          const copy = cloneValue(doc)
          setPath(copy, path, cloneValue(e))
          if (indexField) setPath(copy, indexField, i)
          out.push(copy)
        })
      } else if (v === undefined || v === null || Array.isArray(v)) {
        if (!preserve) continue
        const copy = cloneValue(doc)
        if (Array.isArray(v)) unsetPath(copy, path)
        if (indexField) setPath(copy, indexField, null)
        out.push(copy)
      } else {
        const copy = cloneValue(doc)
        if (indexField) setPath(copy, indexField, null)
        out.push(copy)
      }
    }
    return out
  }
}

function lookupStage (arg: any, ctx: PipelineContext): (docs: Doc[]) => Doc[] {
  if (!isPlainObject(arg) || typeof arg.from !== 'string' || typeof arg.as !== 'string') throw invalidParam('$lookup needs {from, localField, foreignField, as}')
  if (arg.let !== undefined) throw invalidParam('$lookup with let is not supported by the local cloud; use localField/foreignField, or a pipeline without let')
  if (arg.pipeline !== undefined) {
    // An uncorrelated sub-query (CloudBase: let is optional): the same rows for every input document, run once.
    if (arg.localField !== undefined || arg.foreignField !== undefined) throw invalidParam('$lookup takes either localField/foreignField or pipeline, not both')
    if (!Array.isArray(arg.pipeline)) throw invalidParam('$lookup pipeline must be an array of stages')
    const stages = arg.pipeline.map((s: any, i: number): [string, any] => {
      const keys = isPlainObject(s) ? Object.keys(s) : []
      if (keys.length !== 1) throw invalidParam(`$lookup pipeline stage ${i} must have exactly one key`)
      if (['$lookup', '$out', '$merge'].includes(keys[0])) throw invalidParam(`${keys[0]} is not supported inside a $lookup pipeline by the local cloud`)
      return [keys[0], s[keys[0]]]
    })
    return (docs) => {
      if (docs.length === 0) return docs
      const found = ctx.subPipeline(arg.from, stages)
      return docs.map((doc) => {
        const copy = { ...doc }
        setPath(copy, arg.as, found.map(cloneValue))
        return copy
      })
    }
  }
  if (typeof arg.localField !== 'string' || typeof arg.foreignField !== 'string') throw invalidParam('$lookup needs localField and foreignField')
  const localParts = splitPath(arg.localField)
  return (docs) => {
    const cache = new Map<string, Doc[]>()
    return docs.map((doc) => {
      const values: any[] = []
      walkPath(doc, localParts, 0, (x) => {
        if (Array.isArray(x)) values.push(...x)
        else values.push(x === undefined ? null : x)
        return false
      })
      const key = encodeDoc(values)
      let found = cache.get(key)
      if (!found) {
        found = ctx.lookup(arg.from, arg.foreignField, values)
        cache.set(key, found)
      }
      const copy = { ...doc }
      setPath(copy, arg.as, found.map(cloneValue))
      return copy
    })
  }
}

function positiveInt (stage: string, v: any, allowZero: boolean): number {
  if (!Number.isInteger(v) || v < 0 || (!allowZero && v === 0)) throw invalidParam(`${stage} needs a ${allowZero ? 'non-negative' : 'positive'} integer`)
  return v
}

/** Run stages ([key, value] pairs, values already EJSON-decoded) over `docs`. */
export function runPipeline (docs: Doc[], stages: Array<[string, any]>, ctx: PipelineContext): Doc[] {
  // Compile every stage first so a bad stage fails before any work.
  const steps: Array<(docs: Doc[]) => Doc[]> = stages.map(([key, v]) => {
    switch (key) {
      case '$match': {
        const m = compileQuery(v)
        return (ds) => ds.filter(m)
      }
      case '$project': {
        const f = projectStage(v)
        return (ds) => ds.map(f)
      }
      case '$addFields': case '$set': {
        if (!isPlainObject(v)) throw invalidParam(`${key} needs an object`)
        const entries = Object.entries(v)
        return (ds) => ds.map((d) => {
          const out = cloneValue(d)
          for (const [path, expr] of entries) setPath(out, path, evalExpr(expr, d, { ROOT: d }))
          return out
        })
      }
      case '$unset': {
        const paths: string[] = typeof v === 'string' ? [v] : v
        if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string')) throw invalidParam('$unset needs a field name or an array of them')
        return (ds) => ds.map((d) => {
          const out = cloneValue(d)
          for (const p of paths) unsetPath(out, p)
          return out
        })
      }
      case '$group': return groupStage(v)
      case '$sort': {
        if (!isPlainObject(v) || Object.keys(v).length === 0) throw invalidParam('$sort needs {field: 1|-1}')
        return (ds) => sortBy(ds, v, (d) => d)
      }
      case '$skip': {
        const n = positiveInt('$skip', v, true)
        return (ds) => ds.slice(n)
      }
      case '$limit': {
        const n = positiveInt('$limit', v, false)
        return (ds) => ds.slice(0, n)
      }
      case '$count': {
        if (typeof v !== 'string' || v === '' || v.startsWith('$') || v.includes('.')) throw invalidParam('$count needs a field name')
        return (ds) => (ds.length ? [{ [v]: ds.length }] : [])
      }
      case '$unwind': return unwindStage(v)
      case '$lookup': return lookupStage(v, ctx)
      case '$replaceRoot': case '$replaceWith': {
        const expr = key === '$replaceRoot' ? v?.newRoot : v
        if (expr === undefined) throw invalidParam('$replaceRoot needs {newRoot}')
        return (ds) => ds.map((d) => {
          const r = evalExpr(expr, d, { ROOT: d })
          if (!isPlainObject(r)) throw invalidParam('$replaceRoot: newRoot must evaluate to an object')
          return r
        })
      }
      case '$sortByCount': {
        const group = groupStage({ _id: v, count: { $sum: 1 } })
        return (ds) => sortBy(group(ds), { count: -1 }, (d) => d)
      }
      case '$sample': {
        const n = positiveInt('$sample', v?.size, false)
        return (ds) => {
          const copy = [...ds]
          for (let i = copy.length - 1; i > 0; i--) {
            const j = Math.floor(Math.random() * (i + 1))
            ;[copy[i], copy[j]] = [copy[j], copy[i]]
          }
          return copy.slice(0, n)
        }
      }
      default:
        if (UNSUPPORTED_STAGES.has(key)) throw invalidParam(`aggregation stage ${key} is not supported by the local cloud`)
        throw invalidParam(`unknown aggregation stage ${key}`)
    }
  })
  let cur = docs
  for (const s of steps) cur = s(cur)
  return cur
}
