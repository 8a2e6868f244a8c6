/**
 * A voice note of the legal-aid story, for an applicant who cannot type well: recorded on the phone (WeChat's
 * recorder gives mp3 or aac; a browser's gives webm, ogg or mp4 audio), uploaded into the applicant's own storage
 * folder like other evidence, and heard only by the centre's officers and the lawyer (docs/DOMAIN.md, "Legal Aid Law").
 */

/** Longest voice note: three minutes is enough to tell what happened; longer stories go in several notes or writing. */
export const VOICE_NOTE_MAX_SECONDS = 180
/** Largest voice note file: three minutes at WeChat's default recorder rates is under 2 MB. */
export const VOICE_NOTE_MAX_BYTES = 4 * 1024 * 1024
/** File name extensions of voice notes, as the recorders name them. */
export const VOICE_NOTE_EXTENSIONS = ['mp3', 'aac', 'm4a', 'webm', 'ogg', 'wav'] as const
export type VoiceNoteExtension = typeof VOICE_NOTE_EXTENSIONS[number]

/** The extension of a file id or path, lower case, if it is a voice note's. */
export function voiceNoteExtension (fileId: string): VoiceNoteExtension | undefined {
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileId)?.[1]?.toLowerCase()
  return (VOICE_NOTE_EXTENSIONS as readonly string[]).includes(ext ?? '') ? ext as VoiceNoteExtension : undefined
}

type AudioKind = 'mp3' | 'aac' | 'mp4' | 'webm' | 'ogg' | 'wav'

/** What kind of audio the first bytes of a file are (their magic numbers), or undefined for anything else. */
export function audioKind (head: Uint8Array): AudioKind | undefined {
  const ascii = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to))
  if (head.length >= 3 && ascii(0, 3) === 'ID3') return 'mp3'
  if (head.length >= 12 && ascii(4, 8) === 'ftyp') return 'mp4'
  if (head.length >= 4 && head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return 'webm'
  if (head.length >= 4 && ascii(0, 4) === 'OggS') return 'ogg'
  if (head.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return 'wav'
  // ADTS (aac) and MPEG audio frames both begin with an 11-bit sync word; the layer bits tell them apart.
  if (head.length >= 2 && head[0] === 0xff && (head[1] & 0xe0) === 0xe0) return (head[1] & 0x06) === 0 ? 'aac' : 'mp3'
  return undefined
}

/** The kinds of content each extension may hold (a browser's .m4a is mp4; some recorders write mp3 with no ID3 tag). */
const CONTENT_OF: Record<VoiceNoteExtension, readonly AudioKind[]> = {
  mp3: ['mp3'], aac: ['aac', 'mp4'], m4a: ['mp4', 'aac'], webm: ['webm'], ogg: ['ogg'], wav: ['wav']
}

/**
 * Why a stored voice note is refused, in the applicant's words, or undefined when it is fine: its size, and whether
 * its bytes are the audio its name says.
 */
export function voiceNoteProblem (ext: VoiceNoteExtension, size: number, head: Uint8Array): string | undefined {
  if (size === 0) return '录音是空的，请重新录一段'
  if (size > VOICE_NOTE_MAX_BYTES) return `录音文件太大了（最多${VOICE_NOTE_MAX_BYTES / 1024 / 1024}MB），请录短一点`
  const kind = audioKind(head)
  if (!kind || !CONTENT_OF[ext].includes(kind)) return '这不是录音文件，请重新录一段'
  return undefined
}

/** A duration in words: 「45秒」, 「2分05秒」. */
export function secondsWords (seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  return s < 60 ? `${s}秒` : `${Math.floor(s / 60)}分${String(s % 60).padStart(2, '0')}秒`
}
