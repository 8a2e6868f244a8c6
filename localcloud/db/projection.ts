// Field projection of `field()` / `get({projection})`: the SDK sends {a: 1, 'b.c': 1} (inclusion) or {a: 0}
// (exclusion), plus db.command.project.slice / elemMatch as {$slice} / {$elemMatch}. `_id` is kept unless
// excluded explicitly. Mixing inclusion and exclusion (other than of _id) is refused, as in MongoDB.

import { isPlainObject } from './ejson'
import { invalidParam } from './errors'
import { compileQuery, type Matcher } from './query'
import { splitPath } from './values'

type Leaf = true | ((v: any) => any)
interface Tree { [key: string]: Leaf | Tree }

function sliceOp (arg: any): (v: any) => any {
  if (typeof arg === 'number') return (v) => (Array.isArray(v) ? (arg >= 0 ? v.slice(0, arg) : v.slice(Math.max(0, v.length + arg))) : v)
  if (Array.isArray(arg) && arg.length === 2 && typeof arg[0] === 'number' && typeof arg[1] === 'number' && arg[1] > 0) {
    const [skip, n] = arg
    return (v) => {
      if (!Array.isArray(v)) return v
      const start = skip >= 0 ? skip : Math.max(0, v.length + skip)
      return v.slice(start, start + n)
    }
  }
  throw invalidParam('projection $slice needs n or [skip, n]')
}

function elemMatchOp (arg: any): (v: any) => any {
  if (!isPlainObject(arg)) throw invalidParam('projection $elemMatch needs a query object')
  const m: Matcher = compileQuery(arg)
  return (v) => {
    if (!Array.isArray(v)) return undefined
    const hit = v.find((e) => isPlainObject(e) && m(e))
    return hit === undefined ? undefined : [hit]
  }
}

function insert (tree: Tree, parts: string[], leaf: Leaf, path: string): void {
  let node = tree
  for (let i = 0; i < parts.length - 1; i++) {
    const cur = node[parts[i]]
    if (cur === undefined) node = node[parts[i]] = {}
    else if (cur === true || typeof cur === 'function') throw invalidParam(`projection path collision at '${path}'`)
    else node = cur
  }
  if (node[parts[parts.length - 1]] !== undefined) throw invalidParam(`projection path collision at '${path}'`)
  node[parts[parts.length - 1]] = leaf
}

function include (src: any, tree: Tree): any {
  const out: Record<string, any> = {}
  for (const key of Object.keys(src)) {
    const t = tree[key]
    if (t === undefined) continue
    const v = src[key]
    if (t === true) out[key] = v
    else if (typeof t === 'function') {
      const r = t(v)
      if (r !== undefined) out[key] = r
    } else if (Array.isArray(v)) out[key] = v.filter(isPlainObject).map((e) => include(e, t))
    else if (isPlainObject(v)) out[key] = include(v, t)
  }
  return out
}

function exclude (src: any, tree: Tree): any {
  const out: Record<string, any> = {}
  for (const key of Object.keys(src)) {
    const t = tree[key]
    const v = src[key]
    if (t === undefined) out[key] = v
    else if (t === true) continue
    else if (typeof t === 'function') {
      const r = t(v)
      if (r !== undefined) out[key] = r
    } else if (Array.isArray(v)) out[key] = v.map((e) => (isPlainObject(e) ? exclude(e, t) : e))
    else if (isPlainObject(v)) out[key] = exclude(v, t)
    else out[key] = v
  }
  return out
}

/** Compile a projection; returns null when it keeps everything. */
export function compileProjection (spec: any): ((doc: any) => any) | null {
  if (spec === undefined || spec === null) return null
  if (!isPlainObject(spec)) throw invalidParam('projection must be an object')
  const keys = Object.keys(spec)
  if (keys.length === 0) return null
  let mode: 'include' | 'exclude' | undefined
  let keepId = true
  const tree: Tree = {}
  for (const k of keys) {
    const v = spec[k]
    if (isPlainObject(v)) {
      const op = Object.keys(v)[0]
      if (op === '$slice') insert(tree, splitPath(k), sliceOp(v.$slice), k)
      else if (op === '$elemMatch') insert(tree, splitPath(k), elemMatchOp(v.$elemMatch), k)
      else throw invalidParam(`unsupported projection for '${k}': ${JSON.stringify(v)}`)
      continue
    }
    const on = v === true || (typeof v === 'number' && v !== 0)
    if (k === '_id') {
      keepId = on
      continue
    }
    const m = on ? 'include' : 'exclude'
    if (mode && mode !== m) throw invalidParam('projection cannot mix inclusion and exclusion')
    mode = m
    insert(tree, splitPath(k), true, k)
  }
  // {_id: 1} alone keeps only _id, as in MongoDB.
  if (mode === undefined && keepId && '_id' in spec && Object.keys(tree).length === 0) mode = 'include'
  if (mode === 'include') {
    if (keepId && tree._id === undefined) tree._id = true
    return (doc) => include(doc, tree)
  }
  if (!keepId) tree._id = true
  if (Object.keys(tree).length === 0) return null
  return (doc) => exclude(doc, tree)
}
