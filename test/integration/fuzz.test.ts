/**
 * Generated inputs through the real functions, via the gateway, for every action of every function: wrong types,
 * deep nesting, huge strings, NUL and lone surrogates, impossible and far-off dates, operator-looking objects
 * ({"$gt": ""}, {"_id": {...}}), mixed into each contract's own fields. Whatever comes in, the answer is never
 * INTERNAL (nor a crashed cloud), and a refused input writes nothing. Seeded (FUZZ_SEED), so a failure reproduces;
 * FUZZ_RUNS sets the runs per action.
 */
import fc from 'fast-check'
import type { LocalCloud } from '../../localcloud'
import { CONTRACTS } from '../../src/domain'
import { startTestCloud } from '../support/localcloud'
import { changed, snapshot } from '../support/store'

const SEED = Number(process.env.FUZZ_SEED ?? 20261206)
const RUNS = Number(process.env.FUZZ_RUNS ?? 12)

let cloud: LocalCloud
beforeAll(async () => { cloud = await startTestCloud() }, 60000)
afterAll(async () => { await cloud?.close() })

/** People to call as: for each action, the first one its guard admits (a refused role never reaches the input). */
const CANDIDATES = ['demo-parent-wang', 'demo-guardian-zhang', 'demo-child-xiaoyu', 'demo-vol-sun', 'demo-teacher-chen', 'demo-counselor-liu',
  'demo-lawyer-zheng', 'demo-officer-wu', 'demo-police-zhou', 'demo-cwo-zhao', 'demo-admin-xu', 'o-fuzz-stranger']

async function post (openid: string, fn: string, body: string): Promise<{ status: number, json: any }> {
  const res = await fetch(`${cloud.url}/api/functions/${fn}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-localcloud-openid': openid }, body })
  const text = await res.text()
  let json: any
  try { json = JSON.parse(text) } catch { json = text }
  return { status: res.status, json }
}

const nested = (depth: number, leaf: unknown): unknown => { let v = leaf; for (let i = 0; i < depth; i++) v = { a: v }; return v }

/** Values that have broken things somewhere, or could. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '\ud800', 'x\udc00y', '\ud83d', '😀', '.*', '^$', '(', '\\', '\u202e', '<script>', 'child-01', 'demo-parent-wang'),
  fc.constantFrom('9999-12-31T10:00:00+08:00', '0000-00-00', '2026-02-30', '2026-13-01', '+275760-09-13T00:00:00.000Z', '1899-12-31', '2026-12-01T25:61:00Z', '2026-12-01T10:00:00+99:00', 'Infinity', 'NaN'),
  fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(-1, 0, 2 ** 53, -(2 ** 53), 1e308),
  fc.boolean(), fc.constant(null),
  fc.constantFrom({ $gt: '' }, { $ne: null }, { _id: { $ne: null } }, { $where: 'true' }, { $regex: '.*' }, { _id: { $gt: '' }, childId: { $exists: true } }, { __proto__: { admin: true } }, { constructor: { prototype: { x: 1 } } }),
  fc.constant('x'.repeat(120_000)),
  fc.constant(nested(20, 'x')), fc.constant(nested(70, 1)), fc.constant(Array.from({ length: 3000 }, (_x, i) => i)),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 4 })
)

/** The field names of an action's input, when its contract is an object (through refinements and pipes). */
function fieldsOf (schema: any): string[] {
  for (let s = schema, i = 0; s && i < 6; i++) {
    if (s.shape && typeof s.shape === 'object') return Object.keys(s.shape)
    const def = s._zod?.def ?? s.def
    s = def?.in ?? def?.schema ?? def?.innerType
  }
  return []
}

/** An input for an action: a hostile value outright, or its own fields each left out, hostile, or nested hostile. */
const inputFor = (fields: string[]): fc.Arbitrary<unknown> => fc.oneof(
  { weight: 1, arbitrary: hostile },
  {
    weight: 4,
    arbitrary: fc.tuple(...(fields.length > 0 ? fields : ['x']).map(() => fc.oneof(fc.constant(undefined), hostile, fc.array(hostile, { maxLength: 3 }), fc.dictionary(fc.constantFrom('childId', 'start', 'name', '$gt', '_id'), hostile, { maxKeys: 2 }))), hostile)
      .map(([...values]) => {
        const extra = values.pop()
        const obj: Record<string, unknown> = {}
        ;(fields.length > 0 ? fields : ['x']).forEach((f, i) => { if (values[i] !== undefined) obj[f] = values[i] })
        if (typeof extra === 'string' && extra.length < 10) obj[`${extra}_`] = extra
        return obj
      })
  }
)

const ACTIONS = Object.entries(CONTRACTS).flatMap(([fn, actions]) => Object.entries(actions as Record<string, { input: unknown }>).map(([action, c]) => ({ fn, action, fields: fieldsOf(c.input) })))

it(`answers every action's generated inputs without INTERNAL, and writes nothing when it refuses (${RUNS} runs each, seed ${SEED})`, async () => {
  const started = Date.now()
  let calls = 0
  const statuses = new Map<string, number>()
  for (const [index, { fn, action, fields }] of ACTIONS.entries()) {
    // Who the guard admits for this action (probed with a body the contracts all refuse or ignore).
    let caller = CANDIDATES[CANDIDATES.length - 1]
    for (const who of CANDIDATES) {
      const probe = await post(who, fn, JSON.stringify({ action, data: { '--probe--': true } }))
      if (!(probe.json?.error && ['FORBIDDEN', 'NOT_REGISTERED'].includes(probe.json.error.code))) { caller = who; break }
    }
    await fc.assert(fc.asyncProperty(inputFor(fields), async (data) => {
      const before = snapshot(cloud)
      const body = JSON.stringify({ action, data })
      const res = await post(caller, fn, body)
      calls++
      const code = res.json?.ok === true ? 'ok' : String(res.json?.error?.code ?? res.status)
      statuses.set(code, (statuses.get(code) ?? 0) + 1)
      expect(res.json?.error?.code).not.toBe('INTERNAL')
      expect(res.status).toBeLessThan(500)
      if (res.json?.ok !== true) {
        expect(res.json?.error?.message).toMatch(/[\u4e00-\u9fff]/)
        expect(changed(before, snapshot(cloud))).toEqual([])
      }
    }), { numRuns: RUNS, seed: SEED + index, endOnFailure: true })
  }
  // The cloud is still whole after all of it.
  expect((await fetch(`${cloud.url}/api/health`)).status).toBe(200)
  console.log(`fuzz: ${ACTIONS.length} actions × ${RUNS} runs = ${calls} calls in ${((Date.now() - started) / 1000).toFixed(1)} s; answers ${JSON.stringify(Object.fromEntries(statuses))}`)
}, 600000)
