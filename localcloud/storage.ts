// Cloud storage in a folder: the admin actions behind cloud.uploadFile / getTempFileURL / downloadFile /
// deleteFile (docs/LOCALCLOUD.md, "Storage"), and the PUT/GET of the bytes, which the gateway routes
// here.
//
// uploadFile asks /admin for upload metadata, then PUTs the bytes to the URL it got: that PUT is where the limits
// are enforced (size, the app's file types, and content that matches a known type's name by its magic bytes),
// answered with COS's XML error so the SDK rejects with "[Code]: message". Download URLs are signed and expire,
// like COS temp URLs.
import crypto from 'node:crypto'
import fs from 'node:fs'
import type http from 'node:http'
import path from 'node:path'

const DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
const CONTENT_TYPES: Record<string, string> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', heic: 'image/heic', pdf: 'application/pdf',
  mp3: 'audio/mpeg', aac: 'audio/aac', m4a: 'audio/mp4', webm: 'audio/webm', ogg: 'audio/ogg', wav: 'audio/wav'
}
/** Real limit of getTempFileURL / deleteFile per call. */
const MAX_FILES_PER_CALL = 50
const UPLOAD_TOKEN_TTL_MS = 10 * 60_000
const DEFAULT_MAX_AGE_S = 24 * 3600

type Reply = Record<string, unknown>

interface StorageOptions {
  /** Folder the files live in. */
  root: string
  envId: string
  /** The gateway's base URL (http://127.0.0.1:PORT), for upload and download URLs. */
  baseUrl: () => string
  /** Signs download URLs; keep it stable across restarts if temp URLs should survive one. */
  secret: Buffer
  /** The cloud's clock (ms): upload and download URLs expire by it. */
  now: () => number
  uploads?: UploadRules
}

/** What an upload may be: the app's rules (WeChat's own storage takes any file). */
export interface UploadRules {
  /** Largest file, in bytes (default 10 MB). */
  maxBytes?: number
  /** File name extensions allowed, lower case without the dot (default: any). */
  extensions?: string[]
}

interface PendingUpload { cloudPath: string, expires: number }

export class LocalStorage {
  readonly bucket: string
  private readonly uploads = new Map<string, PendingUpload>()

  constructor (private readonly opts: StorageOptions) {
    // Shaped like a real bucket: <hex of the env's first 2 chars>-<env>-<appid>.
    this.bucket = `${Buffer.from(opts.envId.slice(0, 2)).toString('hex')}-${opts.envId}-1300000000`
    fs.mkdirSync(path.join(opts.root, '.tmp'), { recursive: true })
  }

  fileId (cloudPath: string): string {
    return `cloud://${this.opts.envId}.${this.bucket}/${cloudPath}`
  }

  /** storage.getUploadMetadata: every field a string, or Node throws on the PUT's headers. */
  getUploadMetadata (body: Reply): Reply {
    const cloudPath = body.path
    if (typeof cloudPath !== 'string' || cloudPath === '') return { code: 'INVALID_PARAM', message: 'path must be a non-empty string' }
    this.sweepUploads()
    // Path checks happen on the PUT: an error reply here would crash the SDK's uploadFile with a TypeError.
    const token = crypto.randomBytes(18).toString('base64url')
    this.uploads.set(token, { cloudPath, expires: this.opts.now() + UPLOAD_TOKEN_TTL_MS })
    return {
      requestId: crypto.randomUUID(),
      data: {
        url: `${this.opts.baseUrl()}/storage/upload/${token}`,
        token,
        authorization: `q-sign-algorithm=sha1&q-ak=localcloud&q-signature=${token}`,
        fileId: this.fileId(cloudPath),
        cosFileId: crypto.randomBytes(12).toString('hex')
      }
    }
  }

  /** storage.batchGetDownloadUrl */
  batchGetDownloadUrl (body: Reply): Reply {
    const list = body.file_list
    if (!Array.isArray(list) || list.length === 0) return { code: 'INVALID_PARAM', message: 'file_list must be a non-empty array' }
    if (list.length > MAX_FILES_PER_CALL) return { code: 'INVALID_PARAM', message: `at most ${MAX_FILES_PER_CALL} files per call` }
    const downloadList = list.map((item: unknown) => {
      const fileID = typeof item === 'object' && item !== null ? (item as Reply).fileid : undefined
      const maxAgeRaw = typeof item === 'object' && item !== null ? Number((item as Reply).max_age) : NaN
      const maxAge = Number.isFinite(maxAgeRaw) && maxAgeRaw > 0 ? Math.floor(maxAgeRaw) : DEFAULT_MAX_AGE_S
      const cloudPath = this.pathOf(fileID)
      if (cloudPath === undefined || !this.exists(cloudPath)) {
        return { fileID: String(fileID), code: 'STORAGE_FILE_NONEXIST', message: `file ${String(fileID)} does not exist` }
      }
      return { fileID, tempFileURL: this.tempUrl(cloudPath, maxAge), code: 'SUCCESS', maxAge }
    })
    return { requestId: crypto.randomUUID(), data: { download_list: downloadList } }
  }

  /** storage.batchDeleteFile */
  batchDeleteFile (body: Reply): Reply {
    const list = body.fileid_list
    if (!Array.isArray(list) || list.length === 0) return { code: 'INVALID_PARAM', message: 'fileid_list must be a non-empty array' }
    if (list.length > MAX_FILES_PER_CALL) return { code: 'INVALID_PARAM', message: `at most ${MAX_FILES_PER_CALL} files per call` }
    const deleteList = list.map((fileID: unknown) => {
      const cloudPath = this.pathOf(fileID)
      if (cloudPath === undefined || !this.exists(cloudPath)) {
        return { fileID: String(fileID), code: 'STORAGE_FILE_NONEXIST', message: `file ${String(fileID)} does not exist` }
      }
      fs.rmSync(this.diskPath(cloudPath), { force: true })
      return { fileID, code: 'SUCCESS' }
    })
    return { requestId: crypto.randomUUID(), data: { delete_list: deleteList } }
  }

  /** PUT /storage/upload/<token>: the bytes of an upload. Replies empty on success, COS XML on failure. */
  async handleUpload (req: http.IncomingMessage, res: http.ServerResponse, token: string): Promise<void> {
    const pending = this.uploads.get(token)
    this.uploads.delete(token) // single use
    if (!pending || pending.expires < this.opts.now()) {
      await drain(req)
      return sendXmlError(res, 403, 'AccessDenied', 'the upload URL is unknown or has expired')
    }
    const { cloudPath } = pending
    const pathError = checkCloudPath(cloudPath)
    if (pathError) {
      await drain(req)
      return sendXmlError(res, 400, 'InvalidObjectName', pathError)
    }
    const ext = extensionOf(cloudPath)
    const allowed = this.opts.uploads?.extensions
    if (allowed && (!ext || !allowed.includes(ext))) {
      await drain(req)
      return sendXmlError(res, 400, 'InvalidFileType', `only ${allowed.join(', ')} files may be uploaded (got ${ext ? '.' + ext : 'no extension'})`)
    }
    const maxBytes = this.opts.uploads?.maxBytes ?? DEFAULT_MAX_UPLOAD_BYTES
    const tmp = path.join(this.opts.root, '.tmp', crypto.randomBytes(12).toString('hex'))
    const received = await receiveTo(req, tmp, maxBytes)
    if (received.kind === 'too-large') {
      fs.rmSync(tmp, { force: true })
      return sendXmlError(res, 400, 'EntityTooLarge', `the file exceeds ${round(maxBytes / 1024 / 1024)} MB`)
    }
    if (received.kind === 'aborted') {
      fs.rmSync(tmp, { force: true })
      return sendXmlError(res, 400, 'IncompleteBody', 'the upload was interrupted')
    }
    const detected = sniff(received.head)
    const named = ext === undefined ? undefined : kindsOfExtension(ext)
    if (named !== undefined && (detected === undefined || !named.includes(detected))) {
      fs.rmSync(tmp, { force: true })
      return sendXmlError(res, 400, 'InvalidFileType', `the content is not a ${ext} file${detected ? ` (it looks like ${detected})` : ''}`)
    }
    const dest = this.diskPath(cloudPath)
    fs.mkdirSync(path.dirname(dest), { recursive: true })
    fs.renameSync(tmp, dest) // atomic: a reader never sees half a file
    res.writeHead(200, { 'content-length': 0, etag: `"${crypto.randomBytes(8).toString('hex')}"`, 'x-cos-request-id': crypto.randomUUID() })
    res.end()
  }

  /** GET/HEAD /storage/files/<cloudPath>?sign=&t=: a temp URL. */
  handleDownload (req: http.IncomingMessage, res: http.ServerResponse, rawPath: string, query: URLSearchParams): void {
    let cloudPath: string
    try {
      cloudPath = rawPath.split('/').map(decodeURIComponent).join('/')
    } catch {
      return sendXmlError(res, 400, 'InvalidURI', 'bad path')
    }
    const t = Number(query.get('t'))
    const sign = query.get('sign') ?? ''
    if (checkCloudPath(cloudPath) || !Number.isFinite(t) || !safeEqual(sign, this.sign(cloudPath, t))) {
      return sendXmlError(res, 403, 'AccessDenied', 'the signature of this URL is not valid')
    }
    if (t * 1000 < this.opts.now()) return sendXmlError(res, 403, 'AccessDenied', 'Request has expired')
    if (!this.exists(cloudPath)) return sendXmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.')
    const file = this.diskPath(cloudPath)
    const size = fs.statSync(file).size
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extensionOf(cloudPath) ?? ''] ?? 'application/octet-stream',
      'content-length': size,
      'cache-control': 'private, max-age=600'
    })
    if (req.method === 'HEAD') { res.end(); return }
    fs.createReadStream(file).on('error', () => res.destroy()).pipe(res)
  }

  private tempUrl (cloudPath: string, maxAge: number): string {
    const t = Math.floor(this.opts.now() / 1000) + maxAge
    // Not percent-encoded: the SDK encodeURI()s it before fetching (docs/LOCALCLOUD.md, "Storage").
    return `${this.opts.baseUrl()}/storage/files/${cloudPath}?sign=${this.sign(cloudPath, t)}&t=${t}`
  }

  private sign (cloudPath: string, t: number): string {
    return crypto.createHmac('sha256', this.opts.secret).update(`${cloudPath}\n${t}`).digest('base64url')
  }

  /** The cloud path inside one of our fileIDs, or undefined. */
  private pathOf (fileID: unknown): string | undefined {
    if (typeof fileID !== 'string') return undefined
    const prefix = `cloud://${this.opts.envId}.${this.bucket}/`
    if (!fileID.startsWith(prefix)) return undefined
    const cloudPath = fileID.slice(prefix.length)
    return checkCloudPath(cloudPath) ? undefined : cloudPath
  }

  private diskPath (cloudPath: string): string {
    return path.join(this.opts.root, ...cloudPath.split('/'))
  }

  private exists (cloudPath: string): boolean {
    try { return fs.statSync(this.diskPath(cloudPath)).isFile() } catch { return false }
  }

  private sweepUploads (): void {
    const now = this.opts.now()
    for (const [token, u] of this.uploads) if (u.expires < now) this.uploads.delete(token)
  }
}

/** Why a cloud path is refused, or undefined. Keeps paths inside the folder and safe in a URL. */
export function checkCloudPath (cloudPath: string): string | undefined {
  if (Buffer.byteLength(cloudPath) > 850) return 'the path is longer than 850 bytes'
  if (cloudPath.startsWith('/')) return 'the path must not start with /'
  // eslint-disable-next-line no-control-regex -- control characters are what the check refuses
  if (/[\\?#%\u0000-\u001f\u007f]/.test(cloudPath)) return 'the path must not contain \\ ? # % or control characters'
  for (const segment of cloudPath.split('/')) {
    if (segment === '' || segment.startsWith('.')) return 'the path has an empty segment or one starting with "."'
  }
  return undefined
}

function round (n: number): number {
  return Math.round(n * 10) / 10
}

function extensionOf (cloudPath: string): string | undefined {
  const m = /\.([A-Za-z0-9]+)$/.exec(cloudPath)
  return m ? m[1].toLowerCase() : undefined
}

type Kind = 'jpeg' | 'png' | 'webp' | 'heic' | 'pdf' | 'mp3' | 'aac' | 'mp4' | 'webm' | 'ogg' | 'wav'

/** The content kinds a name may hold (an .m4a is an mp4 container; an .aac may be raw ADTS or mp4). */
function kindsOfExtension (ext: string): Kind[] | undefined {
  return ({
    jpg: ['jpeg'], jpeg: ['jpeg'], png: ['png'], webp: ['webp'], heic: ['heic'], pdf: ['pdf'],
    mp3: ['mp3'], aac: ['aac', 'mp4'], m4a: ['mp4', 'aac'], webm: ['webm'], ogg: ['ogg'], wav: ['wav']
  } as Record<string, Kind[]>)[ext]
}

/** The file kind from its first bytes (magic numbers). */
function sniff (head: Buffer): Kind | undefined {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg'
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png'
  if (head.length >= 12 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') return 'webp'
  if (head.length >= 5 && head.toString('latin1', 0, 5) === '%PDF-') return 'pdf'
  if (head.length >= 12 && head.toString('latin1', 4, 8) === 'ftyp' &&
    ['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'].includes(head.toString('latin1', 8, 12))) return 'heic'
  if (head.length >= 12 && head.toString('latin1', 4, 8) === 'ftyp') return 'mp4'
  if (head.length >= 3 && head.toString('latin1', 0, 3) === 'ID3') return 'mp3'
  if (head.length >= 4 && head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return 'webm'
  if (head.length >= 4 && head.toString('latin1', 0, 4) === 'OggS') return 'ogg'
  if (head.length >= 12 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WAVE') return 'wav'
  // MPEG audio and ADTS frames share an 11-bit sync word; ADTS has layer bits 00.
  if (head.length >= 2 && head[0] === 0xff && (head[1] & 0xe0) === 0xe0) return (head[1] & 0x06) === 0 ? 'aac' : 'mp3'
  return undefined
}

type Received = { kind: 'ok', size: number, head: Buffer } | { kind: 'too-large' } | { kind: 'aborted' }

/** Streams the body to `file`, keeping its first bytes; past `limit` it stops writing and drains the rest. */
async function receiveTo (req: http.IncomingMessage, file: string, limit: number): Promise<Received> {
  return await new Promise((resolve) => {
    const out = fs.createWriteStream(file)
    let size = 0
    let head = Buffer.alloc(0)
    let tooLarge = false
    let done = false
    const finish = (r: Received): void => { if (!done) { done = true; out.end(() => resolve(r)) } }
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return
      size += chunk.length
      if (head.length < 16) head = Buffer.concat([head, chunk.subarray(0, 16 - head.length)])
      if (size > limit) { tooLarge = true; return }
      if (!out.write(chunk)) { req.pause(); out.once('drain', () => req.resume()) }
    })
    req.on('end', () => finish(tooLarge ? { kind: 'too-large' } : { kind: 'ok', size, head }))
    req.on('aborted', () => finish({ kind: 'aborted' }))
    req.on('error', () => finish({ kind: 'aborted' }))
    out.on('error', () => { req.resume(); finish({ kind: 'aborted' }) })
  })
}

async function drain (req: http.IncomingMessage): Promise<void> {
  if (req.readableEnded) return
  await new Promise<void>((resolve) => {
    req.on('end', resolve)
    req.on('error', () => resolve())
    req.resume()
  })
}

function sendXmlError (res: http.ServerResponse, status: number, code: string, message: string): void {
  const body = `<?xml version='1.0' encoding='utf-8' ?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message>` +
    `<RequestId>${crypto.randomUUID()}</RequestId><TraceId>${crypto.randomBytes(16).toString('hex')}</TraceId></Error>`
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) })
  res.end(body)
}

function escapeXml (s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string)
}

function safeEqual (a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && crypto.timingSafeEqual(x, y)
}
