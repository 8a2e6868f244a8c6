// Update operators as the SDK sends them (docs/LOCALCLOUD.md, "Values"): `data` is an object of Mongo
// operators with dotted paths ({$set:{'a.b':1}, $inc:{n:1}, $push:{arr:{$each:[…]}}}). Top-level keys without '$'
// are treated as $set (raw callers); `{}` is a valid no-op (the SDK drops empty objects).
// An update compiles once and is applied in place to each matched document; whether a document changed is
// decided by the store comparing encodings, which is what `updated` counts (MongoDB's nModified).

import { cloneValue, isPlainObject, prepareStoredValue, resolveServerDates } from './ejson'
import { badOperator, invalidParam, requestFailed } from './errors'
import { compileElementPredicate } from './query'
import { compareValues, isIndexSegment, sortBy, splitPath, valuesEqual } from './values'

interface UpdateContext {
  /** true when the update builds a document being upserted ($setOnInsert applies). */
  isInsert?: boolean
}

export interface CompiledUpdate {
  /** Mutate `doc` in place. Throws DbError (DATABASE_REQUEST_FAILED) when an operator cannot apply. */
  apply: (doc: Record<string, any>, ctx?: UpdateContext) => void
  /** True if the update has no operators at all. */
  empty: boolean
}

type Step = (doc: Record<string, any>, ctx: UpdateContext) => void

const typeName = (v: any): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : v instanceof Date ? 'date' : typeof v)
const idOf = (doc: any): string => JSON.stringify(doc?._id)

function getChild (cur: any, seg: string): any {
  if (Array.isArray(cur)) return isIndexSegment(seg) ? cur[+seg] : undefined
  return cur[seg]
}

function setChild (cur: any, seg: string, v: any, path: string): void {
  if (Array.isArray(cur)) {
    if (!isIndexSegment(seg)) throw requestFailed(`Cannot create field '${seg}' in element of array at '${path}' (positional updates are not supported)`)
    const idx = +seg
    while (cur.length < idx) cur.push(null)
    cur[idx] = v
  } else {
    cur[seg] = v
  }
}

/** Walk to the object/array that holds the last segment. With `create`, missing intermediates become {} and a
 * scalar in the way is an error (as MongoDB); without, a missing path gives undefined. */
function parentOf (doc: any, parts: string[], create: boolean, path: string): any {
  let cur = doc
  for (let i = 0; i < parts.length - 1; i++) {
    const seg = parts[i]
    let next = getChild(cur, seg)
    if (next === undefined) {
      if (!create) return undefined
      if (Array.isArray(cur) && !isIndexSegment(seg)) throw requestFailed(`Cannot create field '${seg}' in an array at '${path}'`)
      next = {}
      setChild(cur, seg, next, path)
    } else if (next === null || typeof next !== 'object' || (!Array.isArray(next) && !isPlainObject(next))) {
      if (!create) return undefined
      throw requestFailed(`Cannot create field '${parts[i + 1]}' in element {${seg}: ${JSON.stringify(next)}} (update path '${path}')`)
    }
    cur = next
  }
  return cur
}

function checkPath (path: string, op: string): string[] {
  if (typeof path !== 'string' || path === '') throw invalidParam(`${op}: empty field path`)
  const parts = splitPath(path)
  for (const seg of parts) {
    if (seg === '') throw invalidParam(`${op}: invalid field path '${path}'`)
    if (seg.charCodeAt(0) === 36) throw invalidParam(`${op}: positional operator in '${path}' is not supported by the local cloud`)
  }
  if (parts[0] === '_id') throw invalidParam(`${op}: the field '_id' is immutable`)
  return parts
}

function numberArg (op: string, path: string, v: any): number {
  if (typeof v !== 'number') throw requestFailed(`Cannot ${op === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${JSON.stringify(v)}}`)
  return v
}

function arrayAt (doc: any, parent: any, key: string, op: string, path: string, create: boolean): any[] | undefined {
  const cur = parent === undefined ? undefined : getChild(parent, key)
  if (cur === undefined) {
    if (!create) return undefined
    const arr: any[] = []
    setChild(parent, key, arr, path)
    return arr
  }
  if (!Array.isArray(cur)) throw requestFailed(`The field '${path}' must be an array but is of type ${typeName(cur)} in document {_id: ${idOf(doc)}} (${op})`)
  return cur
}

function compileStep (op: string, path: string, rawArg: any, now: number): Step {
  const parts = checkPath(path, op)
  const key = parts[parts.length - 1]
  switch (op) {
    case '$set': case '$setOnInsert': {
      const arg = prepareStoredValue(rawArg, now, `${path}.`)
      const onInsertOnly = op === '$setOnInsert'
      return (doc, ctx) => {
        if (onInsertOnly && !ctx.isInsert) return
        setChild(parentOf(doc, parts, true, path), key, cloneValue(arg), path)
      }
    }
    case '$unset':
      return (doc) => {
        const parent = parentOf(doc, parts, false, path)
        if (parent === undefined) return
        if (Array.isArray(parent)) {
          if (isIndexSegment(key) && +key < parent.length) parent[+key] = null
        } else {
          delete parent[key]
        }
      }
    case '$inc': case '$mul': {
      const arg = numberArg(op, path, rawArg)
      return (doc) => {
        const parent = parentOf(doc, parts, true, path)
        const cur = getChild(parent, key)
        if (cur === undefined) {
          setChild(parent, key, op === '$inc' ? arg : 0, path)
          return
        }
        if (typeof cur !== 'number') {
          throw requestFailed(`Cannot apply ${op} to a value of non-numeric type. {_id: ${idOf(doc)}} has the field '${path}' of non-numeric type ${typeName(cur)}`)
        }
        setChild(parent, key, op === '$inc' ? cur + arg : cur * arg, path)
      }
    }
    case '$min': case '$max': {
      const arg = prepareStoredValue(rawArg, now, `${path}.`)
      return (doc) => {
        const parent = parentOf(doc, parts, true, path)
        const cur = getChild(parent, key)
        const c = cur === undefined ? 0 : compareValues(arg, cur)
        if (cur === undefined || (op === '$min' ? c < 0 : c > 0)) setChild(parent, key, cloneValue(arg), path)
      }
    }
    case '$currentDate':
      return (doc) => { setChild(parentOf(doc, parts, true, path), key, new Date(now), path) }
    case '$rename': {
      if (typeof rawArg !== 'string') throw invalidParam(`$rename of '${path}' needs a string target`)
      const to = checkPath(rawArg, op)
      const toKey = to[to.length - 1]
      return (doc) => {
        const parent = parentOf(doc, parts, false, path)
        if (parent === undefined || Array.isArray(parent)) return
        if (!(key in parent)) return
        const v = parent[key]
        delete parent[key]
        const target = parentOf(doc, to, true, rawArg)
        if (Array.isArray(target)) throw requestFailed(`$rename target '${rawArg}' cannot be an array element`)
        target[toKey] = v
      }
    }
    case '$push': {
      let each: any[]
      let position: number | undefined
      let slice: number | undefined
      let sort: any
      if (isPlainObject(rawArg) && '$each' in rawArg) {
        if (!Array.isArray(rawArg.$each)) throw invalidParam(`$push $each of '${path}' needs an array`)
        each = rawArg.$each.map((v: any) => prepareStoredValue(v, now, `${path}.`))
        position = rawArg.$position
        slice = rawArg.$slice
        sort = rawArg.$sort
        if (position !== undefined && !Number.isInteger(position)) throw invalidParam(`$push $position of '${path}' must be an integer`)
        if (slice !== undefined && !Number.isInteger(slice)) throw invalidParam(`$push $slice of '${path}' must be an integer`)
      } else {
        each = [prepareStoredValue(rawArg, now, `${path}.`)]
      }
      return (doc) => {
        const arr = arrayAt(doc, parentOf(doc, parts, true, path), key, op, path, true)!
        const items = each.map(cloneValue)
        if (position === undefined) arr.push(...items)
        else arr.splice(position < 0 ? Math.max(0, arr.length + position) : position, 0, ...items)
        if (sort !== undefined) {
          const sorted = isPlainObject(sort)
            ? sortBy(arr, sort, (e) => e)
            : [...arr].sort((a, b) => compareValues(a, b) * (sort < 0 ? -1 : 1))
          arr.splice(0, arr.length, ...sorted)
        }
        if (slice !== undefined) {
          const kept = slice >= 0 ? arr.slice(0, slice) : arr.slice(Math.max(0, arr.length + slice))
          arr.splice(0, arr.length, ...kept)
        }
      }
    }
    case '$addToSet': {
      let each: any[]
      if (isPlainObject(rawArg) && '$each' in rawArg) {
        if (!Array.isArray(rawArg.$each)) throw invalidParam(`$addToSet $each of '${path}' needs an array`)
        each = rawArg.$each.map((v: any) => prepareStoredValue(v, now, `${path}.`))
      } else {
        each = [prepareStoredValue(rawArg, now, `${path}.`)]
      }
      return (doc) => {
        const arr = arrayAt(doc, parentOf(doc, parts, true, path), key, op, path, true)!
        for (const v of each) if (!arr.some((e) => valuesEqual(e, v))) arr.push(cloneValue(v))
      }
    }
    case '$pop': {
      if (rawArg !== 1 && rawArg !== -1) throw invalidParam(`$pop of '${path}' needs 1 or -1`)
      return (doc) => {
        const arr = arrayAt(doc, parentOf(doc, parts, false, path), key, op, path, false)
        if (!arr) return
        if (rawArg === 1) arr.pop()
        else arr.shift()
      }
    }
    case '$pull': case '$pullAll': {
      let pred: (e: any) => boolean
      if (op === '$pull') {
        pred = compileElementPredicate(resolveServerDates(rawArg, now))
      } else {
        if (!Array.isArray(rawArg)) throw invalidParam(`$pullAll of '${path}' needs an array`)
        pred = (e) => rawArg.some((v: any) => valuesEqual(e, v))
      }
      return (doc) => {
        const arr = arrayAt(doc, parentOf(doc, parts, false, path), key, op, path, false)
        if (!arr) return
        const kept = arr.filter((e) => !pred(e))
        if (kept.length !== arr.length) arr.splice(0, arr.length, ...kept)
      }
    }
    case '$bit': {
      if (!isPlainObject(rawArg)) throw invalidParam(`$bit of '${path}' needs {and|or|xor: int}`)
      const ops = Object.entries(rawArg)
      for (const [k, v] of ops) {
        if (!['and', 'or', 'xor'].includes(k) || !Number.isInteger(v)) throw invalidParam(`$bit of '${path}' needs {and|or|xor: int}`)
      }
      return (doc) => {
        const parent = parentOf(doc, parts, true, path)
        let cur = getChild(parent, key)
        if (cur === undefined) cur = 0
        if (!Number.isInteger(cur)) throw requestFailed(`Cannot apply $bit to a value of non-integral type in document {_id: ${idOf(doc)}}`)
        for (const [k, v] of ops) cur = k === 'and' ? cur & (v as number) : k === 'or' ? cur | (v as number) : cur ^ (v as number)
        setChild(parent, key, cur, path)
      }
    }
    default:
      throw badOperator(`unknown update operator ${op}`)
  }
}

/** Compile an update document. `now` is the request time (db.serverDate() and $currentDate). */
export function compileUpdate (update: any, now: number): CompiledUpdate {
  if (update === undefined || update === null) update = {}
  if (!isPlainObject(update)) throw invalidParam('update data must be an object')
  const steps: Step[] = []
  const paths: string[] = []
  for (const op of Object.keys(update)) {
    const arg = update[op]
    if (op.charCodeAt(0) !== 36) {
      // A bare field: treat as {$set: {field: value}}.
      paths.push(op)
      steps.push(compileStep('$set', op, arg, now))
      continue
    }
    if (!isPlainObject(arg)) throw invalidParam(`${op} needs an object of field paths`)
    for (const path of Object.keys(arg)) {
      paths.push(path)
      if (op === '$rename' && typeof arg[path] === 'string') paths.push(arg[path])
      steps.push(compileStep(op, path, arg[path], now))
    }
  }
  // MongoDB refuses two operators on overlapping paths in one update ('a' and 'a.b').
  for (let i = 0; i < paths.length; i++) {
    for (let j = i + 1; j < paths.length; j++) {
      const [a, b] = paths[i].length <= paths[j].length ? [paths[i], paths[j]] : [paths[j], paths[i]]
      if (a === b || b.startsWith(a + '.')) throw requestFailed(`Updating the path '${b}' would create a conflict at '${a}'`)
    }
  }
  return {
    empty: steps.length === 0,
    apply (doc, ctx = {}) {
      for (const s of steps) s(doc, ctx)
    }
  }
}
