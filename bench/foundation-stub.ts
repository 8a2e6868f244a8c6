/**
 * The foundation benchmark's stand-in server: it answers the SDK's /admin calls with canned replies of the exact
 * shape the local cloud sends (insertDocument → a fresh id; getDocument → one stored-looking document), without a
 * store, a parse of the body, or any check. Running the real wx-server-sdk against it measures what the SDK client
 * alone costs on this machine, and so the most point reads per second any server could be reached at through the
 * unchanged SDK here. It answers only on 127.0.0.1, and prints `stub: <url>` once listening.
 */
import { randomBytes } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { sampleDoc } from './foundation-client'
import { encodeDoc } from '../localcloud/db/ejson'

const HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }

function reply (res: http.ServerResponse, body: string): void {
  res.writeHead(200, { ...HEADERS, 'content-length': Buffer.byteLength(body) })
  res.end(body)
}

if (require.main === module) {
  const doc = encodeDoc({ _id: randomBytes(16).toString('hex'), ...sampleDoc(1) })
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      // The action is all a stand-in needs; a substring test instead of JSON.parse keeps the server's cost small.
      const body = Buffer.concat(chunks).toString('utf8')
      const id = randomBytes(16).toString('hex')
      if (body.includes('"database.insertDocument"')) reply(res, JSON.stringify({ data: { insertedIds: [id] }, requestId: id }))
      else if (body.includes('"database.getDocument"')) reply(res, JSON.stringify({ data: { list: [doc] }, requestId: id }))
      else reply(res, JSON.stringify({ requestId: id })) // addCollection and the like: accepted
    })
  })
  server.listen(0, '127.0.0.1', () => {
    console.log(`stub: http://127.0.0.1:${(server.address() as AddressInfo).port}/admin`)
  })
  process.on('SIGTERM', () => server.close(() => process.exit(0)))
}
