/** The pure parts of large text (who is offered it, when WeChat's font turns it on), of voice notes and of field messages. */
import { VOICE_NOTE_MAX_BYTES, audioKind, secondsWords, voiceNoteExtension, voiceNoteProblem } from '../../src/domain'

// services/textSize reads WeChat and storage through Taro; its pure rules need none of it.
jest.mock('@tarojs/taro', () => ({}))

const { largeFrom, offersLargeText, shouldOffer } = require('../../src/services/textSize') as typeof import('../../src/services/textSize')

describe('large text', () => {
  it('follows the person\'s own choice, else a large WeChat font', () => {
    expect(largeFrom(undefined, undefined)).toBe(false)
    expect(largeFrom(undefined, 17)).toBe(false) // WeChat's standard size on iOS
    expect(largeFrom(undefined, 20)).toBe(true)
    expect(largeFrom(undefined, 26)).toBe(true)
    expect(largeFrom(false, 26)).toBe(false) // she turned it off herself
    expect(largeFrom(true, 16)).toBe(true)
  })

  it('is offered to guardians and 五老 volunteers, not to other volunteers, parents or staff', () => {
    expect(offersLargeText([{ role: 'guardian' }])).toBe(true)
    expect(offersLargeText([{ role: 'volunteer', volunteerKind: 'elder' }])).toBe(true)
    expect(offersLargeText([{ role: 'volunteer', volunteerKind: 'youth' }])).toBe(false)
    expect(offersLargeText([{ role: 'parent' }, { role: 'teacher' }])).toBe(false)
    expect(offersLargeText([{ role: 'teacher' }, { role: 'volunteer', volunteerKind: 'elder' }])).toBe(true)
  })

  it('is offered once, and not to someone who chose already or whose WeChat font is large', () => {
    const granny = [{ role: 'guardian' }]
    expect(shouldOffer(granny, { offered: false, choice: undefined, systemFontSize: 17 })).toBe(true)
    expect(shouldOffer(granny, { offered: true, choice: undefined, systemFontSize: 17 })).toBe(false)
    expect(shouldOffer(granny, { offered: false, choice: false, systemFontSize: 17 })).toBe(false)
    expect(shouldOffer(granny, { offered: false, choice: undefined, systemFontSize: 22 })).toBe(false)
    expect(shouldOffer([{ role: 'parent' }], { offered: false, choice: undefined, systemFontSize: 17 })).toBe(false)
  })
})

describe('voice notes', () => {
  const bytes = (...b: Array<number | string>) => Uint8Array.from(b.flatMap((x) => typeof x === 'string' ? [...x].map((c) => c.charCodeAt(0)) : [x]))

  it('knows a recording by its name', () => {
    expect(voiceNoteExtension('cloud://env.b/legalaid/o/a.MP3')).toBe('mp3')
    expect(voiceNoteExtension('cloud://env.b/legalaid/o/a.webm')).toBe('webm')
    expect(voiceNoteExtension('cloud://env.b/legalaid/o/a.png')).toBeUndefined()
    expect(voiceNoteExtension('cloud://env.b/legalaid/o/mp3')).toBeUndefined()
  })

  it('knows audio by its first bytes', () => {
    expect(audioKind(bytes('ID3', 4, 0))).toBe('mp3')
    expect(audioKind(bytes(0xff, 0xfb, 0x90))).toBe('mp3') // an MPEG frame without a tag
    expect(audioKind(bytes(0xff, 0xf1, 0x50))).toBe('aac') // ADTS
    expect(audioKind(bytes(0, 0, 0, 0x20, 'ftypM4A '))).toBe('mp4')
    expect(audioKind(bytes(0x1a, 0x45, 0xdf, 0xa3))).toBe('webm')
    expect(audioKind(bytes('OggS', 0))).toBe('ogg')
    expect(audioKind(bytes('RIFF', 0, 0, 0, 0, 'WAVE'))).toBe('wav')
    expect(audioKind(bytes(0x89, 'PNG'))).toBeUndefined()
    expect(audioKind(bytes('%PDF-'))).toBeUndefined()
  })

  it('says what is wrong with a stored recording, in words', () => {
    const mp3 = bytes('ID3', 4, 0)
    expect(voiceNoteProblem('mp3', 2048, mp3)).toBeUndefined()
    expect(voiceNoteProblem('m4a', 2048, bytes(0, 0, 0, 0x20, 'ftypM4A '))).toBeUndefined()
    expect(voiceNoteProblem('mp3', 0, mp3)).toBe('录音是空的，请重新录一段')
    expect(voiceNoteProblem('mp3', VOICE_NOTE_MAX_BYTES + 1, mp3)).toBe('录音文件太大了（最多4MB），请录短一点')
    expect(voiceNoteProblem('webm', 2048, mp3)).toBe('这不是录音文件，请重新录一段')
    expect(voiceNoteProblem('mp3', 2048, bytes(0x89, 'PNG'))).toBe('这不是录音文件，请重新录一段')
  })

  it('reads a length as a person says it', () => {
    expect(secondsWords(45)).toBe('45秒')
    expect(secondsWords(125)).toBe('2分05秒')
    expect(secondsWords(180)).toBe('3分00秒')
  })
})

describe('a field\'s error names what is wrong with its value', () => {
  const { WeekdaySchema, TimeOfDay, ChosenTimeOfDay, DateKeySchema, fieldErrors } = require('../../src/domain') as typeof import('../../src/domain')
  const message = (schema: { safeParse: (v: unknown) => { success: boolean, error?: any } }, v: unknown) => {
    const r = schema.safeParse(v)
    return r.success ? undefined : Object.values(fieldErrors(r.error!))[0]
  }
  it('asks to fill in only what is missing', () => {
    expect(message(WeekdaySchema, undefined)).toBe('请选择星期')
    expect(message(TimeOfDay, undefined)).toBe('请填写时间')
    // A time picked from the free times shown is chosen, not typed.
    expect(message(ChosenTimeOfDay, undefined)).toBe('请选择几点')
    expect(message(ChosenTimeOfDay, '25:00')).toBe('时间格式须为 时:分，如 16:30')
    expect(message(DateKeySchema, undefined)).toBe('请填写日期')
  })
  it('says what is wrong with a value that was given', () => {
    expect(message(WeekdaySchema, 8)).toBe('星期只能是周一到周日')
    expect(message(WeekdaySchema, '周一')).toBe('星期只能是周一到周日')
    expect(message(TimeOfDay, 1630)).toBe('时间格式须为 时:分，如 16:30')
    expect(message(TimeOfDay, '25:00')).toBe('时间格式须为 时:分，如 16:30')
    expect(message(DateKeySchema, 20270206)).toBe('日期格式应为 年-月-日，如 2027-02-06')
    expect(message(DateKeySchema, '2027-02-30')).toBe('没有这一天，请核对日期')
  })
})
