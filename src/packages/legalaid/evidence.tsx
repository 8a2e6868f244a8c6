/**
 * Evidence for a legal-aid request: photos (camera or album) and PDFs (on WeChat, from a chat: that is where a
 * phone's documents are), checked here for type, size and number before they are uploaded with uploadEvidence
 * (services/upload.ts); storage checks size and content again. Thumbnails while choosing; links to open once filed.
 */
import { useRef, type Dispatch, type SetStateAction } from 'react'
import Taro from '@tarojs/taro'
import { View, Text, Image } from '@tarojs/components'
import { Button } from '../../components/nut'
import { canChoosePdf, uploadEvidence } from '../../services/upload'
import { openPdf } from '../../services/files'
import { messageOf } from '../../components/States'

const MAX_FILES = 9
const MAX_BYTES = 10 * 1024 * 1024
const IMAGE_EXTS = ['jpg', 'jpeg', 'png', 'webp', 'heic']
const MIME_EXTS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/heic': 'heic', 'application/pdf': 'pdf' }

const LIMITS_TEXT = `可以拍照或从相册选照片${canChoosePdf ? '，也可以从微信聊天里选 PDF 文件' : ''}。最多${MAX_FILES}个，每个不超过10MB。请把纸上的字拍清楚。`

export interface EvidenceItem {
  key: string
  /** cloud fileID once uploaded */
  fileId?: string
  /** the phone's own copy, for the thumbnail (absent for files of a resumed draft) */
  localPath?: string
  ext: string
  status: 'uploading' | 'done' | 'failed'
  error?: string
}

const isPdfId = (fileId: string) => /\.pdf$/i.test(fileId)
export const uploadedIds = (items: readonly EvidenceItem[]) => items.filter((i) => i.status === 'done' && i.fileId).map((i) => i.fileId!)
export const fromFileIds = (ids: readonly string[]): EvidenceItem[] =>
  ids.map((id) => ({ key: id, fileId: id, ext: (/\.(\w+)$/.exec(id)?.[1] ?? '').toLowerCase(), status: 'done' as const }))

function extOf (name: string | undefined, type: string | undefined): string {
  const byName = name ? /\.([a-z0-9]+)$/i.exec(name.split('?')[0])?.[1]?.toLowerCase() : undefined
  if (byName && (byName === 'pdf' || IMAGE_EXTS.includes(byName))) return byName
  return (type && MIME_EXTS[type.toLowerCase()]) || byName || ''
}

interface Picked { path: string, size: number, ext: string }

async function choosePhotos (count: number): Promise<Picked[]> {
  const res = await Taro.chooseImage({ count, sizeType: ['compressed'], sourceType: ['album', 'camera'] })
  return res.tempFiles.map((f: any) => ({ path: f.path, size: f.size ?? 0, ext: extOf(f.originalFileObj?.name ?? f.path, f.type ?? f.originalFileObj?.type) }))
}

async function choosePdfs (count: number): Promise<Picked[]> {
  const res = await Taro.chooseMessageFile({ count, type: 'file', extension: ['pdf'] })
  return res.tempFiles.map((f) => ({ path: f.path, size: f.size, ext: extOf(f.name ?? f.path, undefined) }))
}

const cancelled = (err: any) => /cancel|abort/i.test(String(err?.errMsg ?? err?.message ?? ''))

/**
 * The evidence part of a form: buttons to add photos (and PDFs on WeChat), each file uploaded at once and shown
 * as a thumbnail (a failed one can be tapped to try again), each removable.
 */
export function EvidencePicker ({ items, setItems, testId = 'evidence' }: {
  items: EvidenceItem[], setItems: Dispatch<SetStateAction<EvidenceItem[]>>, testId?: string
}) {
  const seq = useRef(0)
  const room = MAX_FILES - items.length

  async function upload (item: EvidenceItem): Promise<void> {
    setItems((list) => list.map((x) => x.key === item.key ? { ...x, status: 'uploading', error: undefined } : x))
    try {
      const fileId = await uploadEvidence(item.localPath!, item.ext)
      setItems((list) => list.map((x) => x.key === item.key ? { ...x, status: 'done', fileId } : x))
    } catch (err) {
      setItems((list) => list.map((x) => x.key === item.key ? { ...x, status: 'failed', error: messageOf(err) } : x))
    }
  }

  async function add (pick: (n: number) => Promise<Picked[]>) {
    if (room <= 0) { Taro.showToast({ title: `最多${MAX_FILES}个文件`, icon: 'none' }); return }
    let picked: Picked[]
    try {
      picked = await pick(room)
    } catch (err) {
      if (!cancelled(err)) Taro.showToast({ title: '没有选上，请再试一次', icon: 'none' })
      return
    }
    const refused: string[] = []
    const fresh: EvidenceItem[] = []
    for (const p of picked.slice(0, room)) {
      if (!(p.ext === 'pdf' || IMAGE_EXTS.includes(p.ext))) { refused.push('只能上传照片或 PDF 文件'); continue }
      if (p.size > MAX_BYTES) { refused.push('有的文件太大了，每个不能超过10MB'); continue }
      fresh.push({ key: `f${Date.now()}-${seq.current++}`, localPath: p.path, ext: p.ext, status: 'uploading' })
    }
    if (refused.length > 0) {
      Taro.showModal({ title: '有文件没有加上', content: [...new Set(refused)].join('；'), showCancel: false, confirmText: '知道了' }).catch(() => undefined)
    }
    if (fresh.length === 0) return
    setItems((list) => [...list, ...fresh])
    for (const item of fresh) await upload(item) // one at a time: a slow village connection copes better
  }

  const remove = (key: string) => setItems((list) => list.filter((x) => x.key !== key))

  return (
    <View data-testid={testId}>
      {items.length > 0 && (
        <View className='la-files'>
          {items.map((it, i) => (
            <View key={it.key} className='la-file' data-testid='evidence-item' data-status={it.status}>
              <View className='la-file__thumb'>
                {it.localPath && it.ext !== 'pdf'
                  ? <Image className='la-file__img' src={it.localPath} mode='aspectFill' />
                  : <Text>{it.ext === 'pdf' ? 'PDF' : '照片'}</Text>}
              </View>
              {it.status !== 'done' && (
                <View className={it.status === 'failed' ? 'la-file__status la-file__status--failed' : 'la-file__status'}
                  onClick={() => { if (it.status === 'failed') upload(it) }}>
                  {it.status === 'uploading' ? <View>正在上传…</View> : <View>{it.error ?? '没有传上去'}</View>}
                  {it.status === 'failed' && <View className='la-strong'>点这里再试</View>}
                </View>
              )}
              <View className='la-file__name'>{it.ext === 'pdf' ? `PDF ${i + 1}` : `照片 ${i + 1}`}{it.status === 'done' ? ' ✓' : ''}</View>
              <View className='la-file__remove' data-testid='evidence-remove' onClick={() => remove(it.key)}>×</View>
            </View>
          ))}
        </View>
      )}
      <View className='la-limits'>{LIMITS_TEXT}</View>
      <Button block size='large' type='primary' fill='outline' disabled={room <= 0} data-testid='add-photo' onClick={() => add(choosePhotos)}>
        {items.length === 0 ? '拍照或选照片' : '再加照片'}
      </Button>
      {canChoosePdf && (
        <View className='la-gap'>
          <Button block size='large' fill='outline' disabled={room <= 0} onClick={() => add(choosePdfs)}>从微信聊天里选 PDF</Button>
        </View>
      )}
    </View>
  )
}

/** Opens one piece of evidence: photos in the viewer (swipe through all), a PDF in the phone's reader. */
async function openEvidence (files: ReadonlyArray<{ fileId: string, url: string }>, index: number): Promise<void> {
  const f = files[index]
  if (!isPdfId(f.fileId)) {
    const urls = files.filter((x) => !isPdfId(x.fileId)).map((x) => x.url)
    await Taro.previewImage({ current: f.url, urls }).catch(() => undefined)
    return
  }
  await openPdf(f.url).catch((err) => { Taro.showToast({ title: messageOf(err), icon: 'none' }) })
}

/** The evidence of a filed request: thumbnails of photos, tiles of PDFs; tap to open. Links last 10 minutes. */
export function EvidenceList ({ files }: { files: ReadonlyArray<{ fileId: string, url: string }> }) {
  if (files.length === 0) return <View className='la-small'>还没有交材料。</View>
  return (
    <View className='la-files' data-testid='evidence-list'>
      {files.map((f, i) => (
        <View key={f.fileId} className='la-file' data-testid='evidence-file' onClick={() => openEvidence(files, i)}>
          <View className='la-file__thumb'>
            {isPdfId(f.fileId) ? <Text>PDF</Text> : <Image className='la-file__img' src={f.url} mode='aspectFill' />}
          </View>
          <View className='la-file__name la-open'>{isPdfId(f.fileId) ? `PDF ${i + 1}` : `照片 ${i + 1}`}（点开看）</View>
        </View>
      ))}
    </View>
  )
}
