// GET /*: the h5 build's files, by path; paths without an extension fall back to index.html for the h5 router.
import fs from 'node:fs'
import type http from 'node:http'
import path from 'node:path'
import { safeDecode } from '../http'

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
  const isHtml = file.endsWith('.html')
  res.writeHead(200, {
    'content-type': STATIC_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': stat.size,
    // index.html must be re-read after a rebuild; hashed assets could be cached, but a dev server keeps it simple.
    'cache-control': isHtml ? 'no-cache' : 'public, max-age=0'
  })
  if (req.method === 'HEAD') { res.end(); return }
  fs.createReadStream(file).on('error', () => res.destroy()).pipe(res)
}

function statFile (file: string): fs.Stats | undefined {
  try {
    const s = fs.statSync(file)
    return s.isFile() ? s : undefined
  } catch {
    return undefined
  }
}
