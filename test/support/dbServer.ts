// A minimal stand-in for the local cloud's gateway, for the document store's contract tests: it answers
// POST <url>/admin?env=… with createDatabaseService(store).handle(body.action, body), HTTP 200, JSON.
// The full gateway (localcloud/gateway.ts) can replace it later.

import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createDatabaseService, DocumentStore } from '../../localcloud/db'

export interface DbServer {
  /** http://127.0.0.1:PORT */
  url: string
  /** The SDK's serviceUrl: `${url}/admin`. */
  adminUrl: string
  store: DocumentStore
  /** Every request body received, for tests that check what the SDK sent. */
  requests: Array<Record<string, any>>
  close: () => Promise<void>
}

export async function startDbServer (opts: { file?: string, store?: DocumentStore, txTimeoutMs?: number } = {}): Promise<DbServer> {
  const store = opts.store ?? new DocumentStore({ file: opts.file ?? ':memory:', txTimeoutMs: opts.txTimeoutMs })
  const service = createDatabaseService(store)
  const requests: Array<Record<string, any>> = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      let reply: Record<string, any>
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
        requests.push(body)
        reply = typeof body?.action === 'string' && body.action.startsWith('database.')
          ? service.handle(body.action, body)
          : { code: 'INVALID_PARAM', message: `unknown action ${body?.action}` }
      } catch (e: any) {
        reply = { code: 'INVALID_PARAM', message: `malformed JSON body: ${e?.message}` }
      }
      const text = JSON.stringify(reply)
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) })
      res.end(text)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    adminUrl: `${url}/admin`,
    store,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections?.()
      server.close(() => {
        if (!opts.store) store.close()
        resolve()
      })
    })
  }
}

/** The real wx-server-sdk pointed at `adminUrl`. It keeps global state: call once per test file. */
export function connectSdk (adminUrl: string): any {
  process.env.TENCENTCLOUD = 'true' // no per-request metadata DNS probe

  const cloud = require('wx-server-sdk')
  cloud.init({ env: 'test', serviceUrl: adminUrl, secretId: 'x', secretKey: 'x' })
  return cloud
}
