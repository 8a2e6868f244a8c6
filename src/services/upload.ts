/**
 * Uploading evidence into cloud storage. weapp: Taro.cloud.uploadFile; h5: the local cloud's one-time upload URL
 * (process.env.TARO_ENV is a build-time constant).
 */
import Taro from '@tarojs/taro'
import { DEFAULT_MESSAGES, VOICE_NOTE_EXTENSIONS, type ErrorCode } from '../domain'
import { CloudError, callCloud, uniqueId } from './cloud'

/** Picking a PDF means picking a file from a WeChat chat (chooseMessageFile): the h5 build has no such picker. */
export const canChoosePdf = process.env.TARO_ENV === 'weapp'

/**
 * Uploads one piece of legal-aid evidence (a photo or PDF the person chose, or a voice note they recorded) into their own storage folder,
 * `legalaid/<my openid>/<random>.<ext>`, and returns its fileID for the request. weapp: Taro.cloud.uploadFile.
 * h5: the local cloud's one-time upload URL (same-origin, the signed-in cookie), then a PUT of the file's bytes
 * (the blob: URL Taro.chooseImage gives). Storage checks size (10 MB) and content; a refusal comes back as a
 * CloudError in plain words.
 */
export async function uploadEvidence (filePath: string, ext: string): Promise<string> {
  const type = ext.toLowerCase().replace(/^\./, '')
  const voice = (VOICE_NOTE_EXTENSIONS as readonly string[]).includes(type)
  if (!voice && !['jpg', 'jpeg', 'png', 'webp', 'heic', 'pdf'].includes(type)) throw new CloudError('INVALID_INPUT', '只能上传照片（jpg、png、webp、heic）或 PDF 文件')
  const me = await callCloud('account', 'whoami', {})
  if (!me.registered) throw new CloudError('NOT_REGISTERED', DEFAULT_MESSAGES.NOT_REGISTERED)
  const cloudPath = `legalaid/${me.openid}/${uniqueId()}.${type}`
  const failed = new CloudError('NETWORK', '文件没有传上去，请检查网络后再试')
  if (process.env.TARO_ENV === 'h5') {
    let bytes: Blob
    try {
      bytes = await (await fetch(filePath)).blob()
    } catch {
      throw new CloudError('INVALID_INPUT', '读不到这个文件，请重新选择')
    }
    if (bytes.size > 10 * 1024 * 1024) throw new CloudError('INVALID_INPUT', '文件太大了，每个文件不能超过10MB')
    let target: { uploadUrl: string, fileID: string }
    try {
      const res = await fetch('/api/storage/upload-url', {
        method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ cloudPath })
      })
      const body = await res.json() as { ok?: boolean, data?: { uploadUrl: string, fileID: string }, error?: { code?: ErrorCode, message?: string } }
      if (!body.ok || !body.data) throw new CloudError(body.error?.code ?? 'INTERNAL', body.error?.code === 'UNAUTHENTICATED' ? DEFAULT_MESSAGES.UNAUTHENTICATED : '文件没有传上去，请再试一次')
      target = body.data
    } catch (err) {
      throw err instanceof CloudError ? err : failed
    }
    let put: Response
    try {
      put = await fetch(target.uploadUrl, { method: 'PUT', body: bytes })
    } catch {
      throw failed
    }
    if (!put.ok) {
      const code = /<Code>([^<]+)<\/Code>/.exec(await put.text().catch(() => ''))?.[1]
      if (code === 'EntityTooLarge') throw new CloudError('INVALID_INPUT', '文件太大了，每个文件不能超过10MB')
      if (code === 'InvalidFileType') throw new CloudError('INVALID_INPUT', voice ? '录音的格式不对，请重新录一段' : '这个文件不是照片或 PDF，请换一个')
      throw failed
    }
    return target.fileID
  }
  try {
    const res = await Taro.cloud.uploadFile({ cloudPath, filePath })
    return res.fileID
  } catch (err: any) {
    const msg = String(err?.errMsg ?? err?.message ?? '')
    if (/size|large|exceed/i.test(msg)) throw new CloudError('INVALID_INPUT', '文件太大了，每个文件不能超过10MB')
    if (/type|format/i.test(msg)) throw new CloudError('INVALID_INPUT', voice ? '录音的格式不对，请重新录一段' : '这个文件不是照片或 PDF，请换一个')
    throw failed
  }
}
