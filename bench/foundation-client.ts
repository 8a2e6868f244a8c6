/**
 * A client worker of the foundation benchmark. foundation.ts forks several of these, each standing for a share of
 * the 16 concurrent callers: in production every caller is its own function instance, so the callers' client-side
 * cost (signing, HTTP, EJSON) is spread over processes rather than piled onto one event loop.
 *
 * A worker talks to the local cloud on 127.0.0.1 in one of two ways:
 *   gateway  plain http.request with a keep-alive agent, POSTing to /admin the JSON bodies the SDK sends (same
 *            fields, same EJSON), without signing or the SDK's client machinery
 *   sdk      the real wx-server-sdk 4.x: `add({data})` and `doc(id).get()`
 *
 * IPC: the parent sends {type:'prepare'}; the worker builds what the phase needs (bodies, id lists) and answers
 * 'prepared'; the parent sends 'go' to every worker at once and times until the last 'done'.
 */
import http from 'node:http'
import { EJSON } from 'bson'
import { concurrently } from './common'

export const BENCH_ENV = 'bench'

/** The benchmark's document: a short record with a string, a number and a Date, as the functions write. */
export function sampleDoc (i: number): { childId: string, kind: string, note: string, minutes: number, createdAt: Date } {
  return { childId: `child-${i % 997}`, kind: 'call', note: '周日晚上视频通话，孩子很开心', minutes: 20 + (i % 7), createdAt: new Date(1764374400000 + i * 1000) }
}

// The fields wx-server-sdk 4.0.2 adds to every /admin body (captured from the SDK; docs/LOCALCLOUD.md, "The wire protocol").
const SDK_FIELDS = { envName: BENCH_ENV, wxCloudApiToken: '', wxCloudbaseAccesstoken: '', tcb_sessionToken: '', crossAuthorizationToken: '' }

/** The body of `collection(c).add({data: sampleDoc(i)})` exactly as the SDK sends it: data as canonical EJSON. */
export function insertBody (collection: string, i: number): Record<string, unknown> {
  return { collectionName: collection, data: [EJSON.stringify(sampleDoc(i), { relaxed: false })], action: 'database.insertDocument', ...SDK_FIELDS }
}

/** The body of `collection(c).doc(id).get()` exactly as the SDK sends it. */
export function getBody (collection: string, id: string): Record<string, unknown> {
  return { collectionName: collection, query: JSON.stringify({ _id: id }), queryType: 'DOC', multi: false, action: 'database.getDocument', ...SDK_FIELDS }
}

/** Spreads point reads over the ids written (a stride prime to any count we use, so every id gets read). */
export function readId (ids: string[], i: number): string {
  return ids[(i * 7919) % ids.length]
}

export type Layer = 'gateway' | 'sdk'
export type Phase = 'insert' | 'read'
export type ToWorker =
  | { type: 'prepare', layer: Layer, phase: Phase, collection: string, ops: number, callers: number, firstDoc: number }
  | { type: 'go' }
export type FromWorker =
  | { type: 'ready' }
  | { type: 'prepared' }
  | { type: 'done', ops: number, cpuMs: number }
  | { type: 'error', message: string }

const PHASE_TIMEOUT_MS = 120_000
const REQUEST_TIMEOUT_MS = 15_000

function post (agent: http.Agent, url: URL, body: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port: url.port,
      path: url.pathname,
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
    }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        try { resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))) } catch (err) { reject(err) }
      })
      res.on('error', reject)
    })
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no reply within ${REQUEST_TIMEOUT_MS} ms`)))
    req.on('error', reject)
    req.end(body)
  })
}

function worker (adminUrl: string): void {
  const url = new URL(adminUrl)
  if (url.hostname !== '127.0.0.1') throw new Error(`the benchmark only talks to 127.0.0.1, not ${url.hostname}`)
  const send = (m: FromWorker): void => { process.send!(m) }
  const ids = new Map<string, string[]>() // per collection: the _ids this worker wrote
  let agent: http.Agent | undefined
  let sdkDb: any
  let run: (() => Promise<{ ops: number, cpuMs: number }>) | undefined

  const prepare = (m: Extract<ToWorker, { type: 'prepare' }>): void => {
    const written = ids.get(m.collection) ?? []
    ids.set(m.collection, written)
    if (m.phase === 'read' && written.length === 0) throw new Error(`nothing written to ${m.collection} to read back`)
    let op: (i: number) => Promise<void>
    if (m.layer === 'gateway') {
      agent ??= new http.Agent({ keepAlive: true, maxSockets: m.callers })
      const a = agent
      // Bodies are built before the clock starts: this layer measures the gateway and the store, not the client.
      if (m.phase === 'insert') {
        const bodies = Array.from({ length: m.ops }, (_, i) => JSON.stringify(insertBody(m.collection, m.firstDoc + i)))
        op = async (i) => {
          const reply = await post(a, url, bodies[i])
          const id = reply?.data?.insertedIds?.[0]
          if (typeof id !== 'string') throw new Error(`insert failed: ${JSON.stringify(reply)}`)
          written.push(id)
        }
      } else {
        const bodies = Array.from({ length: m.ops }, (_, i) => JSON.stringify(getBody(m.collection, readId(written, i))))
        op = async (i) => {
          const reply = await post(a, url, bodies[i])
          const text = reply?.data?.list?.[0]
          // The document text is parsed, as the raw baseline parses its row.
          if (typeof text !== 'string' || typeof JSON.parse(text)._id !== 'string') throw new Error(`read failed: ${JSON.stringify(reply)}`)
        }
      }
    } else {
      if (!sdkDb) {
        const cloud = require('wx-server-sdk')
        cloud.init({ env: BENCH_ENV, serviceUrl: adminUrl, secretId: 'bench', secretKey: 'bench' })
        sdkDb = cloud.database()
      }
      const coll = sdkDb.collection(m.collection)
      if (m.phase === 'insert') {
        op = async (i) => {
          const res = await coll.add({ data: sampleDoc(m.firstDoc + i) })
          written.push(res._id)
        }
      } else {
        const readIds = Array.from({ length: m.ops }, (_, i) => readId(written, i))
        op = async (i) => {
          const res = await coll.doc(readIds[i]).get()
          if (!(res.data?.createdAt instanceof Date)) throw new Error(`read of ${readIds[i]} gave ${JSON.stringify(res)}`)
        }
      }
    }
    run = async () => {
      const cpu = process.cpuUsage()
      await concurrently(m.callers, m.ops, op, PHASE_TIMEOUT_MS)
      const used = process.cpuUsage(cpu)
      return { ops: m.ops, cpuMs: (used.user + used.system) / 1000 }
    }
  }

  process.on('message', (m: ToWorker) => {
    if (m.type === 'prepare') {
      try {
        prepare(m)
        send({ type: 'prepared' })
      } catch (err) {
        send({ type: 'error', message: (err as Error).stack ?? String(err) })
      }
    } else if (m.type === 'go') {
      const r = run
      run = undefined
      if (!r) { send({ type: 'error', message: 'go before prepare' }); return }
      r().then(({ ops, cpuMs }) => send({ type: 'done', ops, cpuMs }), (err: Error) => send({ type: 'error', message: err.stack ?? String(err) }))
    }
  })
  // Leave with the parent, whatever happens to it.
  process.on('disconnect', () => process.exit(0))
  send({ type: 'ready' })
}

if (require.main === module) {
  if (!process.send) throw new Error('foundation-client.ts runs as a worker forked by foundation.ts')
  worker(process.argv[2])
}
