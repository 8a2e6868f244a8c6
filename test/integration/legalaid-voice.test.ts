/**
 * The legal-aid story told by voice: a guardian attaches a recorded voice note to her request; the centre's officer
 * and the assigned lawyer can play it, she sees that it is attached, nobody else reads the case at all; a note that
 * is too long, too big, not audio, another person's or never uploaded is refused with the field named, and nothing
 * is written.
 */
import type { LocalCloud } from '../../localcloud'
import { VOICE_NOTE_MAX_BYTES } from '../../src/domain'
import { callAs, startTestCloud } from '../support/localcloud'
import { key } from '../support/children'

let cloud: LocalCloud
const GRANNY = 'demo-guardian-zhang' // guardian of child-01
const OFFICER = 'demo-officer-wu' // 青山县法律援助中心
const OTHER_OFFICER = 'demo-officer-sz' // 厦门 centre
const [ZHENG, LIN] = ['demo-lawyer-zheng', 'demo-lawyer-lin']
const OTHER_PARENT = 'demo-parent-li'
const sdk = () => require('wx-server-sdk')
const count = async (coll: string, where: object = {}) => (await sdk().database().collection(coll).where(where).count()).total

/** The start of an mp3 as WeChat's recorder writes it (an ID3 tag, then frames), padded to `size` bytes. */
const mp3 = (size = 2048) => Buffer.concat([Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00', 'latin1'), Buffer.alloc(size - 10, 0x55)])
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4280000000049454e44ae426082', 'hex')

async function upload (openid: string, name: string, bytes: Buffer): Promise<string> {
  return (await sdk().uploadFile({ cloudPath: `legalaid/${openid}/${name}`, fileContent: bytes })).fileID
}

const draft = (over: object = {}) => ({ childId: 'child-01', matter: 'maintenance', people: '', story: '', files: [] as string[], ...over })
const submit = async (who: string, d: object) => (await callAs(cloud, who, 'legalaid', 'submit', { draft: d, idempotencyKey: key() })).body
const detail = async (who: string, requestId: string) => (await callAs(cloud, who, 'legalaid', 'detail', { requestId })).body

beforeAll(async () => { cloud = await startTestCloud() }, 60000)
afterAll(async () => { await cloud?.close() })

describe('a request told by voice', () => {
  let requestId: string
  const bytes = mp3()

  it('takes a voice note in place of a written story', async () => {
    const note = await upload(GRANNY, 'story.mp3', bytes)
    const res = await submit(GRANNY, draft({ voiceNote: { fileId: note, seconds: 95 } }))
    expect(res.ok).toBe(true)
    requestId = res.data.requestId
  })

  it('tells the applicant it is attached, without a link to it', async () => {
    const mine = await detail(GRANNY, requestId)
    expect(mine.data.voiceNote).toEqual({ seconds: 95 })
  })

  it('lets the centre\'s officer play it', async () => {
    const seen = await detail(OFFICER, requestId)
    expect(seen.data.voiceNote.seconds).toBe(95)
    const played = await fetch(seen.data.voiceNote.url)
    expect(played.status).toBe(200)
    expect(Buffer.compare(Buffer.from(await played.arrayBuffer()), bytes)).toBe(0)
  })

  it('lets the assigned lawyer play it, and not another lawyer of the centre', async () => {
    expect((await callAs(cloud, OFFICER, 'legalaid', 'decide', { requestId, decision: 'approved' })).body.ok).toBe(true)
    expect((await callAs(cloud, OFFICER, 'legalaid', 'assignLawyer', { requestId, lawyerId: ZHENG })).body.ok).toBe(true)
    const lawyer = await detail(ZHENG, requestId)
    expect(lawyer.data.voiceNote.url).toMatch(/^http/)
    expect((await detail(LIN, requestId)).error.code).toBe('FORBIDDEN')
  })

  it('shows the case to nobody else: another centre\'s officer, another parent', async () => {
    expect((await detail(OTHER_OFFICER, requestId)).error.code).toBe('FORBIDDEN')
    expect((await detail(OTHER_PARENT, requestId)).error.code).toBe('FORBIDDEN')
  })
})

describe('a voice note that cannot be used', () => {
  const refused = async (d: object) => {
    const before = await count('legalAidRequests')
    const res = await submit(GRANNY, d)
    expect(await count('legalAidRequests')).toBe(before)
    expect(res.ok).toBe(false)
    expect(res.error.code).toBe('INVALID_INPUT')
    return res.error
  }

  it('refuses one longer than three minutes, naming its length', async () => {
    const note = await upload(GRANNY, 'long.mp3', mp3())
    const e = await refused(draft({ voiceNote: { fileId: note, seconds: 181 } }))
    expect(e.fields['draft.voiceNote.seconds']).toBe('录音最长3分钟，请录短一点，或者分开写下来')
  })

  it('refuses a file that is not a recording by its name, naming the file', async () => {
    const photo = await upload(GRANNY, 'photo.png', PNG)
    const e = await refused(draft({ voiceNote: { fileId: photo, seconds: 20 } }))
    expect(e.fields['draft.voiceNote.fileId']).toMatch(/^录音的格式不对/)
  })

  it('refuses a recording bigger than the limit, looking at the stored file', async () => {
    const big = await upload(GRANNY, 'big.mp3', mp3(VOICE_NOTE_MAX_BYTES + 1024))
    const e = await refused(draft({ voiceNote: { fileId: big, seconds: 170 } }))
    expect(e.fields['draft.voiceNote.fileId']).toMatch(/^录音文件太大了/)
  })

  it('refuses another person\'s recording and one never uploaded', async () => {
    const theirs = await upload(OTHER_PARENT, 'story.mp3', mp3())
    expect((await refused(draft({ voiceNote: { fileId: theirs, seconds: 20 } }))).fields['draft.voiceNote.fileId']).toBe('只能附上自己录的语音')
    const mine = await upload(GRANNY, 'real.mp3', mp3())
    const missing = mine.replace('real.mp3', 'never.mp3')
    expect((await refused(draft({ voiceNote: { fileId: missing, seconds: 20 } }))).fields['draft.voiceNote.fileId']).toBe('录音没有传上去，请重新录一段')
  })

  it('still asks for a few written words when there is no voice note', async () => {
    const e = await refused(draft({ story: '没给' }))
    expect(e.fields['draft.story']).toBe('请简单说说发生了什么（至少5个字）')
  })
})
