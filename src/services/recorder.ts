/**
 * Recording a voice note and playing one. weapp: WeChat's RecorderManager (mp3) and InnerAudioContext; h5: the
 * browser's MediaRecorder (webm/ogg/mp4 audio, whichever it makes) and an Audio element. process.env.TARO_ENV is a
 * build-time constant. Limits: src/domain/legalaid/voice.ts.
 */
import Taro from '@tarojs/taro'
import { VOICE_NOTE_MAX_SECONDS, type VoiceNoteExtension } from '../domain'
import { CloudError } from './cloud'

export interface Recording { path: string, seconds: number, size: number, ext: VoiceNoteExtension }

export interface Recorder {
  /** Stops the recording (it also stops by itself at the longest a note may be) and gives what was recorded. */
  stop: () => Promise<Recording>
  /** Throws the recording away. */
  cancel: () => void
}

const denied = () => new CloudError('FORBIDDEN', '没有打开话筒：请允许雏燕使用话筒后再录')
const failed = () => new CloudError('INTERNAL', '没有录上，请再试一次')

/** Starts recording at once; `onStopped` hears of a stop the person did not ask for (the time limit). */
export async function startRecording (onStopped: (r: Recording) => void): Promise<Recorder> {
  if (process.env.TARO_ENV === 'h5') return await startInBrowser(onStopped)
  return await startInWeChat(onStopped)
}

async function startInWeChat (onStopped: (r: Recording) => void): Promise<Recorder> {
  const rm = Taro.getRecorderManager()
  let wanted: ((r: Recording) => void) | undefined
  let refused: ((e: Error) => void) | undefined
  let cancelled = false
  rm.onStop((res) => {
    if (cancelled) return
    const r: Recording = { path: res.tempFilePath, seconds: Math.max(1, Math.round(res.duration / 1000)), size: res.fileSize, ext: 'mp3' }
    if (wanted) wanted(r)
    else onStopped(r)
  })
  await new Promise<void>((resolve, reject) => {
    rm.onStart(() => resolve())
    rm.onError((e) => {
      const err = /auth|permission|deny/i.test(e.errMsg) ? denied() : failed()
      if (refused) refused(err)
      else reject(err)
    })
    // mono speech at 16 kHz: three minutes stay well under the size limit
    rm.start({ duration: VOICE_NOTE_MAX_SECONDS * 1000, format: 'mp3', sampleRate: 16000, numberOfChannels: 1, encodeBitRate: 48000 })
  })
  return {
    stop: () => new Promise<Recording>((resolve, reject) => { wanted = resolve; refused = reject; rm.stop() }),
    cancel: () => { cancelled = true; rm.stop() }
  }
}

const BROWSER_TYPES: Array<[string, VoiceNoteExtension]> = [['audio/webm', 'webm'], ['audio/ogg', 'ogg'], ['audio/mp4', 'm4a']]

async function startInBrowser (onStopped: (r: Recording) => void): Promise<Recorder> {
  if (typeof MediaRecorder === 'undefined' || !navigator.mediaDevices?.getUserMedia) throw new CloudError('INTERNAL', '这个浏览器不能录音，请用微信打开，或者写下来')
  let stream: MediaStream
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true })
  } catch {
    throw denied()
  }
  const [mimeType, ext] = BROWSER_TYPES.find(([t]) => MediaRecorder.isTypeSupported(t)) ?? ['', 'webm' as const]
  const rec = new MediaRecorder(stream, { ...(mimeType ? { mimeType } : {}), audioBitsPerSecond: 32000 })
  const chunks: Blob[] = []
  const started = performance.now()
  let wanted: ((r: Recording) => void) | undefined
  let cancelled = false
  rec.ondataavailable = (e) => { if (e.data.size > 0) chunks.push(e.data) }
  rec.onstop = () => {
    stream.getTracks().forEach((t) => t.stop())
    if (cancelled) return
    const blob = new Blob(chunks, { type: rec.mimeType || mimeType })
    const r: Recording = { path: URL.createObjectURL(blob), seconds: Math.max(1, Math.round((performance.now() - started) / 1000)), size: blob.size, ext }
    if (wanted) wanted(r)
    else onStopped(r)
  }
  rec.start()
  const limit = setTimeout(() => { if (rec.state === 'recording') rec.stop() }, VOICE_NOTE_MAX_SECONDS * 1000)
  return {
    stop: () => new Promise<Recording>((resolve) => { clearTimeout(limit); wanted = resolve; if (rec.state === 'recording') rec.stop() }),
    cancel: () => { clearTimeout(limit); cancelled = true; if (rec.state === 'recording') rec.stop() }
  }
}

/** Plays a recording (a phone path, a blob: URL or a temporary link); the returned function stops it. */
export function play (src: string, onEnded: () => void): () => void {
  const audio = Taro.createInnerAudioContext()
  audio.src = src
  audio.onEnded(onEnded)
  audio.onError(() => { onEnded(); Taro.showToast({ title: '放不出来，请稍后再试', icon: 'none' }) })
  audio.play()
  return () => { audio.stop(); audio.destroy() }
}
