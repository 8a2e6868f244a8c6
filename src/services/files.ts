/**
 * Files that leave or open on the phone. h5 and weapp differ here (process.env.TARO_ENV is a build-time constant):
 * a browser downloads and opens tabs; WeChat writes to the mini-program's user folder and shares into a chat.
 */
import Taro from '@tarojs/taro'
import { CloudError } from './cloud'

/**
 * Hands a text file (a CSV export) to the person. h5: the browser downloads it. weapp: it is written to the
 * mini-program's user folder and offered for sending in a WeChat chat (to oneself, or to 文件传输助手), which is
 * how a file leaves a phone in WeChat. CSV gets a UTF-8 BOM so that Excel shows the Chinese.
 */
export async function saveTextFile (filename: string, text: string): Promise<void> {
  const body = /\.csv$/i.test(filename) && !text.startsWith('\uFEFF') ? '\uFEFF' + text : text
  if (process.env.TARO_ENV === 'h5') {
    const blob = new Blob([body], { type: /\.csv$/i.test(filename) ? 'text/csv;charset=utf-8' : 'text/plain;charset=utf-8' })
    const url = URL.createObjectURL(blob)
    const a = document.createElement('a')
    a.href = url
    a.download = filename
    document.body.appendChild(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(url), 10000)
    return
  }
  if (process.env.TARO_ENV === 'weapp') {
    const filePath = `${Taro.env.USER_DATA_PATH}/${filename.replace(/[\\/:*?"<>|]/g, '_')}`
    try {
      Taro.getFileSystemManager().writeFileSync(filePath, body, 'utf8')
    } catch {
      throw new CloudError('INTERNAL', '手机存储空间不够，文件没有保存')
    }
    try {
      await Taro.shareFileMessage({ filePath, fileName: filename })
    } catch (err: any) {
      // Closing the chat picker is the person's choice, not a failure.
      if (/cancel/i.test(String(err?.errMsg ?? ''))) return
      throw new CloudError('INTERNAL', '文件没有发出去，请再试一次')
    }
  }
}

/** Opens a PDF (a temporary link to it): h5 in a new tab; weapp downloaded, then in the phone's reader. */
export async function openPdf (url: string): Promise<void> {
  if (process.env.TARO_ENV === 'h5') {
    window.open(url, '_blank')
    return
  }
  try {
    Taro.showLoading({ title: '正在打开' })
    const { tempFilePath } = await Taro.downloadFile({ url })
    await Taro.openDocument({ filePath: tempFilePath, fileType: 'pdf' })
  } catch {
    throw new CloudError('NETWORK', '打不开这个文件，请稍后再试')
  } finally {
    Taro.hideLoading()
  }
}
