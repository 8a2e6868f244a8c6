// GET /*: the h5 build's files, by path; paths without an extension fall back to index.html for the h5 router.
// Compressed and cached as a CDN serves them (see serveStatic).
import fs from 'node:fs'
import type http from 'node:http'
import path from 'node:path'
import { promisify } from 'node:util'
import zlib from 'node:zlib'
import { safeDecode } from '../http'

const gzip = promisify(zlib.gzip)
const brotli = promisify(zlib.brotliCompress)

const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm'
}

/** Types worth compressing (text); images and fonts are compressed already. */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.txt', '.svg', '.ico', '.wasm'])
/** Below this a compressed answer saves less than its headers cost. */
const MIN_COMPRESS_BYTES = 1024
/** A build's file names carry their content's hash (js/app.3f2a91c0.js): such a file never changes under its name. */
const HASHED_NAME = /[.-][0-9a-f]{8,}\.[a-z0-9]+$/i
const IMMUTABLE = 'public, max-age=31536000, immutable'

type Encoding = 'br' | 'gzip'
/** Compressed copies by file, its size and mtime, and encoding: each is compressed once per build. */
const compressedCache = new Map<string, Promise<Buffer>>()
const MAX_CACHED = 400

/**
 * Serves the h5 build as a CDN would, so a slow line loads it as it would in the field (docs/LOCALCLOUD.md):
 * text compressed (brotli or gzip, as the browser's Accept-Encoding allows; a `.br`/`.gz` copy next to the file is
 * used as it is, otherwise the file is compressed once and kept), hashed files cached for a year (their name
 * changes with their content), index.html and other unhashed files revalidated on every load (ETag, 304).
 */
export function serveStatic (req: http.IncomingMessage, res: http.ServerResponse, h5Dir: string | undefined, pathname: string): void {
  const notFound = (msg: string): void => {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
    res.end(msg)
  }
  if (!h5Dir || !fs.existsSync(path.join(h5Dir, 'index.html'))) return notFound('h5 build not found: run `npm run build:h5`\n')
  const decoded = safeDecode(pathname)
  if (decoded === undefined || decoded.includes('\0')) return notFound('not found\n')
  const root = path.resolve(h5Dir)
  let file = path.resolve(root, '.' + path.posix.normalize(decoded))
  if (file !== root && !file.startsWith(root + path.sep)) return notFound('not found\n')
  let stat = statFile(file)
  if (!stat) {
    if (path.extname(decoded) !== '') return notFound('not found\n')
    file = path.join(root, 'index.html')
    stat = statFile(file)
    if (!stat) return notFound('not found\n')
  }
  const ext = path.extname(file).toLowerCase()
  const etag = `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`
  const headers: http.OutgoingHttpHeaders = {
    'content-type': STATIC_TYPES[ext] ?? 'application/octet-stream',
    'cache-control': HASHED_NAME.test(path.basename(file)) ? IMMUTABLE : 'no-cache',
    etag
  }
  const compressible = COMPRESSIBLE.has(ext) && stat.size >= MIN_COMPRESS_BYTES
  if (compressible) headers.vary = 'Accept-Encoding'
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers)
    res.end()
    return
  }
  const encoding = compressible ? pickEncoding(req.headers['accept-encoding']) : undefined
  if (!encoding) {
    res.writeHead(200, { ...headers, 'content-length': stat.size })
    if (req.method === 'HEAD') { res.end(); return }
    fs.createReadStream(file).on('error', () => res.destroy()).pipe(res)
    return
  }
  compressed(file, stat, encoding).then((body) => {
    res.writeHead(200, { ...headers, 'content-encoding': encoding, 'content-length': body.length })
    res.end(req.method === 'HEAD' ? undefined : body)
  }, () => {
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
    res.end('could not read the file\n')
  })
}

/** Brotli when the browser takes it, else gzip, else none; `q=0` refuses one. */
export function pickEncoding (accept: string | string[] | undefined): Encoding | undefined {
  const offered = new Map<string, number>()
  for (const part of (Array.isArray(accept) ? accept.join(',') : accept ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';')
    if (!name) continue
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    offered.set(name, q ? Number(q.slice(2)) || 0 : 1)
  }
  const takes = (e: string): boolean => (offered.get(e) ?? (offered.has('*') ? offered.get('*')! : 0)) > 0
  if (takes('br')) return 'br'
  if (takes('gzip')) return 'gzip'
  return undefined
}

function compressed (file: string, stat: fs.Stats, encoding: Encoding): Promise<Buffer> {
  const key = `${file}|${stat.size}|${stat.mtimeMs}|${encoding}`
  let body = compressedCache.get(key)
  if (!body) {
    body = compress(file, stat, encoding)
    body.catch(() => compressedCache.delete(key))
    if (compressedCache.size >= MAX_CACHED) compressedCache.delete(compressedCache.keys().next().value!)
    compressedCache.set(key, body)
  }
  return body
}

async function compress (file: string, stat: fs.Stats, encoding: Encoding): Promise<Buffer> {
  // A copy the build compressed ahead (file.js.br, file.js.gz), if it is not older than the file.
  const ahead = statFile(`${file}.${encoding === 'br' ? 'br' : 'gz'}`)
  if (ahead && ahead.mtimeMs >= stat.mtimeMs) return await fs.promises.readFile(`${file}.${encoding === 'br' ? 'br' : 'gz'}`)
  const raw = await fs.promises.readFile(file)
  if (encoding === 'gzip') return await gzip(raw, { level: 9 })
  return await brotli(raw, {
    params: {
      [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length
    }
  })
}

function statFile (file: string): fs.Stats | undefined {
  try {
    const s = fs.statSync(file)
    return s.isFile() ? s : undefined
  } catch {
    return undefined
  }
}
