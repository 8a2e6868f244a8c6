/**
 * `wx.cloud` against the local cloud. In WeChat the client SDK reaches CloudBase through WeChat's own channel,
 * which vouches for the user's OPENID; here the local cloud's local-mode routes stand in for that channel:
 *   callFunction   POST /api/functions/<name> with the x-localcloud-openid header (the persona's OPENID)
 *   uploadFile     POST /api/storage/upload-url {cloudPath} as that OPENID (the same cloudPath rules as the h5
 *                  build's uploads: `<area>/<own openid>/<file>`), then PUT the bytes to the URL it returns
 *   getTempFileURL POST /admin storage.batchGetDownloadUrl (the admin API: the local cloud has no client route
 *                  for it, so storage read rules are not applied here)
 * The environment id is checked as WeChat checks it: a call to an environment other than the local cloud's fails.
 */

export interface CloudLink {
  /** http://127.0.0.1:PORT */
  url: string
  /** The local cloud's environment id (its /api/health `env`). */
  envId: string
  /** The person using the phone: the OPENID WeChat would vouch for. */
  openid: string
}

/** A failure shaped like wx.cloud's: an Error with errCode and errMsg ("<api>:fail ..."). */
export class CloudFailure extends Error {
  constructor (readonly errCode: number, readonly errMsg: string) { super(errMsg) }
}

export interface TempFile { path: string, name: string, bytes: Buffer }

export class WxCloud {
  /** The env the app passed to wx.cloud.init; undefined until it calls it. */
  env: string | undefined
  initCalls = 0
  /** Requests sent and not yet answered (the runtime waits for these to settle). */
  inflight = 0

  constructor (private readonly link: CloudLink) {}

  init (options: { env?: unknown } = {}): void {
    this.initCalls++
    if (typeof options.env === 'string' && options.env !== '') this.env = options.env
    else if (options.env !== undefined && typeof options.env !== 'string') {
      // An env object ({database, functions, storage}) is legal in WeChat; this app never uses one.
      throw new Error('wx.cloud.init: the weapp runtime supports a string env id only')
    } else this.env = undefined
  }

  private checkEnv (api: string, override?: unknown): string {
    if (this.initCalls === 0) throw new CloudFailure(-601034, `${api}:fail 没有权限，请先调用 wx.cloud.init 初始化云开发环境 (wx.cloud.init was never called)`)
    const env = typeof override === 'string' && override !== '' ? override : this.env
    if (env === undefined) throw new CloudFailure(-501000, `${api}:fail errCode: -501000 | errMsg: [InvalidParameter] no env id: wx.cloud.init({env}) was called without one`)
    if (env !== this.link.envId) {
      throw new CloudFailure(-501000, `${api}:fail errCode: -501000 | errMsg: [ResourceNotFound] env "${env}" not found (the local cloud is "${this.link.envId}")`)
    }
    return env
  }

  private async request (input: string, init: RequestInit): Promise<Response> {
    this.inflight++
    try {
      return await fetch(input, init)
    } finally {
      this.inflight--
    }
  }

  async callFunction (options: { name?: unknown, data?: unknown, config?: { env?: unknown } }): Promise<{ result: unknown, requestID: string }> {
    const api = 'cloud.callFunction'
    this.checkEnv(api, options.config?.env)
    if (typeof options.name !== 'string' || options.name === '') throw new CloudFailure(-1, `${api}:fail parameter.name should be String instead of ${typeof options.name}`)
    let res: Response
    try {
      res = await this.request(`${this.link.url}/api/functions/${encodeURIComponent(options.name)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-localcloud-openid': this.link.openid },
        body: JSON.stringify(options.data ?? {})
      })
    } catch (err) {
      throw new CloudFailure(-1, `${api}:fail request:fail ${(err as Error).message}`)
    }
    const text = await res.text()
    if (res.status === 404) throw new CloudFailure(-501000, `${api}:fail errCode: -501000 | errMsg: [ResourceNotFound] FunctionName ${options.name} not found`)
    if (res.status !== 200) throw new CloudFailure(-504002, `${api}:fail errCode: -504002 functions execute fail | errMsg: ${text}`)
    return { result: text === '' ? undefined : JSON.parse(text), requestID: res.headers.get('x-request-id') ?? '' }
  }

  async uploadFile (options: { cloudPath?: unknown, filePath?: unknown }, file: (path: string) => TempFile | undefined): Promise<{ fileID: string, statusCode: number }> {
    const api = 'cloud.uploadFile'
    this.checkEnv(api)
    if (typeof options.cloudPath !== 'string' || options.cloudPath === '') throw new CloudFailure(-1, `${api}:fail parameter.cloudPath should be String`)
    if (typeof options.filePath !== 'string') throw new CloudFailure(-1, `${api}:fail parameter.filePath should be String`)
    const temp = file(options.filePath)
    if (!temp) throw new CloudFailure(-1, `${api}:fail file not found: ${options.filePath}`)
    const target = await this.request(`${this.link.url}/api/storage/upload-url`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-localcloud-openid': this.link.openid },
      body: JSON.stringify({ cloudPath: options.cloudPath })
    })
    const body = await target.json() as { ok?: boolean, data?: { uploadUrl: string, fileID: string }, error?: { message?: string } }
    if (!body.ok || !body.data) throw new CloudFailure(-1, `${api}:fail ${body.error?.message ?? `HTTP ${target.status}`} (cloudPath ${options.cloudPath})`)
    const put = await this.request(body.data.uploadUrl, { method: 'PUT', body: new Uint8Array(temp.bytes) })
    if (!put.ok) {
      const xml = await put.text()
      const code = /<Code>([^<]+)<\/Code>/.exec(xml)?.[1] ?? `HTTP ${put.status}`
      const message = /<Message>([^<]+)<\/Message>/.exec(xml)?.[1] ?? ''
      throw new CloudFailure(-1, `${api}:fail ${code}: ${message}`)
    }
    return { fileID: body.data.fileID, statusCode: 200 }
  }

  async getTempFileURL (options: { fileList?: unknown }): Promise<{ fileList: Array<{ fileID: string, tempFileURL: string, maxAge: number, status: number, errMsg: string }> }> {
    const api = 'cloud.getTempFileURL'
    this.checkEnv(api)
    if (!Array.isArray(options.fileList) || options.fileList.length === 0) throw new CloudFailure(-1, `${api}:fail parameter.fileList should be a non-empty Array`)
    const list = options.fileList.map((f: unknown) => typeof f === 'string' ? { fileid: f, max_age: 7200 } : { fileid: (f as any)?.fileID, max_age: (f as any)?.maxAge ?? 7200 })
    const res = await this.request(`${this.link.url}/admin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'storage.batchGetDownloadUrl', file_list: list })
    })
    const body = await res.json() as { code?: string, message?: string, data?: { download_list: Array<{ fileID: string, tempFileURL?: string, code: string, message?: string, maxAge?: number }> } }
    if (body.code || !body.data) throw new CloudFailure(-1, `${api}:fail ${body.code ?? ''} ${body.message ?? ''}`)
    return {
      fileList: body.data.download_list.map((d) => ({
        fileID: d.fileID,
        tempFileURL: d.tempFileURL ?? '',
        maxAge: d.maxAge ?? 0,
        status: d.code === 'SUCCESS' ? 0 : -1,
        errMsg: d.code === 'SUCCESS' ? 'ok' : `${d.code}: ${d.message ?? ''}`
      }))
    }
  }
}
