/**
 * The story told by voice, for a guardian who cannot type well: record (up to 3 minutes), hear it back, record again
 * or remove it. The recording is uploaded at once into the applicant's own storage folder (uploadEvidence) and sent
 * with the request; the server checks it again (src/domain/legalaid/voice.ts). Once filed, the officers and the
 * lawyer can play it; the applicant sees that it is attached.
 */
import { useEffect, useRef, useState } from 'react'
import { View } from '@tarojs/components'
import { VOICE_NOTE_MAX_BYTES, VOICE_NOTE_MAX_SECONDS, secondsWords } from '../../domain'
import { Button } from '../../components/nut'
import { messageOf } from '../../components/States'
import { play, startRecording, type Recorder, type Recording } from '../../services/recorder'
import { uploadEvidence } from '../../services/upload'

export interface VoiceNoteValue { fileId: string, seconds: number, localPath?: string }

type State =
  | { kind: 'idle' }
  | { kind: 'recording', since: number }
  | { kind: 'uploading', seconds: number }
  | { kind: 'failed', message: string, recording?: Recording }

/** Records, uploads and plays back the applicant's voice note; `value` is the uploaded note. */
export function VoiceNoteRecorder ({ value, onChange, testId = 'voice-note' }: {
  value: VoiceNoteValue | undefined, onChange: (v: VoiceNoteValue | undefined) => void, testId?: string
}) {
  const [state, setState] = useState<State>({ kind: 'idle' })
  const [elapsed, setElapsed] = useState(0)
  const [playing, setPlaying] = useState<() => void>()
  const recorder = useRef<Recorder>()

  // The seconds counter while recording (a display only: the length sent is the recorder's own).
  useEffect(() => {
    if (state.kind !== 'recording') return
    const t = setInterval(() => setElapsed((s) => s + 1), 1000)
    return () => clearInterval(t)
  }, [state.kind])
  // Leaving the page stops what records or plays: the latest stopper, kept in a ref (the state at mount has none).
  const stopPlaying = useRef<() => void>()
  stopPlaying.current = playing
  useEffect(() => () => { recorder.current?.cancel(); stopPlaying.current?.() }, [])

  async function keep (r: Recording) {
    recorder.current = undefined
    if (r.size > VOICE_NOTE_MAX_BYTES) { setState({ kind: 'failed', message: '录音太大了，请录短一点' }); return }
    setState({ kind: 'uploading', seconds: r.seconds })
    try {
      const fileId = await uploadEvidence(r.path, r.ext)
      onChange({ fileId, seconds: Math.min(r.seconds, VOICE_NOTE_MAX_SECONDS), localPath: r.path })
      setState({ kind: 'idle' })
    } catch (err) {
      setState({ kind: 'failed', message: messageOf(err), recording: r })
    }
  }

  async function record () {
    playing?.()
    setPlaying(undefined)
    setElapsed(0)
    try {
      recorder.current = await startRecording((r) => { keep(r).catch(() => undefined) }) // stopped by the time limit
      setState({ kind: 'recording', since: 0 })
    } catch (err) {
      setState({ kind: 'failed', message: messageOf(err) })
    }
  }

  async function stop () {
    const r = recorder.current
    if (!r) return
    try {
      await keep(await r.stop())
    } catch (err) {
      setState({ kind: 'failed', message: messageOf(err) })
    }
  }

  function listen () {
    if (!value) return
    if (playing) { playing(); setPlaying(undefined); return }
    const stopIt = play(value.localPath ?? value.fileId, () => setPlaying(undefined))
    setPlaying(() => stopIt)
  }

  return (
    <View className='la-voice' data-testid={testId} data-state={state.kind === 'idle' && value ? 'done' : state.kind}>
      {state.kind === 'recording' && (
        <View className='la-voice__live' data-testid='voice-recording'>
          <View className='la-voice__dot' />正在录音 {secondsWords(elapsed)}（最长{VOICE_NOTE_MAX_SECONDS / 60}分钟）
        </View>
      )}
      {state.kind === 'uploading' && <View className='la-voice__live'>正在保存录音…</View>}
      {state.kind === 'failed' && (
        <View className='la-voice__failed' data-testid='voice-failed'>
          <View>{state.message}</View>
          {state.recording && <Button size='small' fill='outline' onClick={() => keep(state.recording!)}>再传一次</Button>}
        </View>
      )}
      {state.kind !== 'recording' && state.kind !== 'uploading' && value && (
        <View className='la-voice__done' data-testid='voice-done'>
          <View className='la-voice__len'>✓ 已录好 {secondsWords(value.seconds)}</View>
          <View className='la-bar__row'>
            {value.localPath && <Button size='large' fill='outline' onClick={listen}>{playing ? '停止' : '听一遍'}</Button>}
            <Button size='large' fill='outline' data-testid='voice-remove' onClick={() => { playing?.(); setPlaying(undefined); onChange(undefined) }}>删掉</Button>
          </View>
        </View>
      )}
      {state.kind === 'recording'
        ? <Button block size='large' type='danger' data-testid='voice-stop' onClick={stop}>说完了，停止录音</Button>
        : <Button block size='large' type='primary' fill='outline' disabled={state.kind === 'uploading'} data-testid='voice-record' onClick={record}>
          {value ? '重新录一段' : '按这里开始录音'}
        </Button>}
    </View>
  )
}

/** A filed request's voice note: a play button for the officers and the lawyer, a line for the applicant. */
export function VoiceNotePlayer ({ note }: { note: { seconds: number, url?: string } | undefined }) {
  const [playing, setPlaying] = useState<() => void>()
  const stopPlaying = useRef<() => void>()
  stopPlaying.current = playing
  useEffect(() => () => stopPlaying.current?.(), [])
  if (!note) return null
  if (!note.url) return <View className='la-small' data-testid='voice-attached'>已附一段录音（{secondsWords(note.seconds)}），只有法律援助中心和律师能听。</View>
  return (
    <View className='la-voice' data-testid='voice-player'>
      <Button block size='large' fill='outline' onClick={() => {
        if (playing) { playing(); setPlaying(undefined); return }
        const stopIt = play(note.url!, () => setPlaying(undefined))
        setPlaying(() => stopIt)
      }}>{playing ? '停止' : `▶ 听申请人的录音（${secondsWords(note.seconds)}）`}</Button>
    </View>
  )
}
