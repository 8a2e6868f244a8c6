/**
 * 法律援助绿色通道 in the weapp build (test/weapp-runtime): the grandmother 张桂兰 applies for her granddaughter
 * with a photo (wx.chooseImage) and a PDF from a chat (wx.chooseMessageFile, which only WeChat has), both uploaded
 * with wx.cloud.uploadFile into her own storage folder; she sees her request waiting for the centre, the centre's
 * officer acknowledges it on his phone, and she sees the new state on hers.
 */
import { callAs } from '../support/localcloud'
import { configuredCloudEnv, weappSession } from '../weapp-runtime'

const ZHANG = 'demo-guardian-zhang' // grandmother and guardian of 王小雨 (child-01)
const WU = 'demo-officer-wu' // 吴敏, 青山县法律援助中心
/** A real 1×1 PNG and a minimal PDF: storage checks the bytes against the name. */
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4280000000049454e44ae426082', 'hex')
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n')
const STORY = '孩子爸妈离婚两年了，爸爸一直没给抚养费。'

describe('legal-aid green channel (weapp build, headless)', () => {
  const session = weappSession()
  let requestId = ''

  it('lets the grandmother apply with a photo and a PDF from a chat, and shows her the request waiting for the centre', async () => {
    const phone = await session.phone(ZHANG)
    await phone.byTestId('entry-legalaid').tap()
    await phone.byTestId('step-child').waitFor()
    expect(phone.page.route).toBe('packages/legalaid/pages/apply/index')

    await phone.byTestId('child').filter({ hasText: '王小雨' }).tap()
    await phone.byTestId('matter-maintenance').tap()
    await phone.byTestId('step-story').waitFor()
    // Too short a story is refused beside the field, in the shared schema's words.
    await phone.byTestId('f-story').fill('没给')
    await phone.byTestId('next').tap()
    expect(await phone.byTestId('f-story-error').text()).toBe('请简单说说发生了什么（至少5个字）')
    await phone.byTestId('f-story').fill(STORY)
    await phone.byTestId('f-people').fill('孩子的爸爸王建军')
    await phone.byTestId('deadline-known-no').tap()
    await phone.byTestId('urgent-no').tap()
    await phone.byTestId('next').tap()

    // A photo from the album, then a PDF from a chat: each uploaded at once.
    await phone.byTestId('step-files').waitFor()
    phone.willChoose([{ name: 'receipt.png', bytes: PNG }])
    await phone.byTestId('add-photo').tap()
    await phone.byTestId('evidence-item').filter({ hasText: '照片 1 ✓' }).waitFor()
    phone.willChoose([{ name: '离婚协议.pdf', bytes: PDF }])
    await phone.button('从微信聊天里选 PDF').tap()
    await phone.byTestId('evidence-item').filter({ hasText: 'PDF 2 ✓' }).waitFor()
    // WeChat asked her once, before the first picker, to agree to the privacy guide; she agreed.
    expect(phone.privacyPrompts).toEqual(['chooseImage'])

    await phone.byTestId('submit').tap()
    await phone.byText('✓ 申请已提交').waitFor()
    const steps = await phone.byTestId('next-step').allTexts()
    // First the reference and where it went, then when the centre will acknowledge it.
    expect(steps[0]).toMatch(/申请编号 \d{4}-\d{4}。由孩子所在县的青山县法律援助中心办理。/)
    expect(steps.some((s) => /青山县法律援助中心会在 \d+月\d+日 \d\d:\d\d 前确认收到。/.test(s))).toBe(true)

    await phone.byTestId('see-request').tap()
    await phone.byTestId('state-label').waitFor()
    expect(phone.page.route).toBe('packages/legalaid/pages/request/index')
    requestId = decodeURIComponent(phone.page.query.id ?? '')
    expect(requestId).not.toBe('')
    expect(await phone.byTestId('state-label').text()).toBe('已提交，等待法律援助中心确认')
    await phone.byTestId('evidence-file').first().waitFor()
    expect(await phone.byTestId('evidence-file').count()).toBe(2)

    // Both files went to the build's cloud env, into her own folder of the legal-aid area, and the request holds them.
    const detail = (await callAs(session.cloud, ZHANG, 'legalaid', 'detail', { requestId })).body.data
    const ids = detail.files.map((f: { fileId: string }) => f.fileId)
    expect(ids).toHaveLength(2)
    for (const id of ids) expect(id).toMatch(new RegExp(`^cloud://${configuredCloudEnv()}\\.[^/]+/legalaid/${ZHANG}/[^/]+\\.(png|pdf)$`))
    expect(ids.map((id: string) => id.slice(-4)).sort()).toEqual(['.pdf', '.png'])
    // Each opens: a temp link to the photo, and the PDF downloaded into the phone's reader.
    const photo = await fetch(detail.files.find((f: { fileId: string }) => f.fileId.endsWith('.png')).url)
    expect(Buffer.from(await photo.arrayBuffer())).toEqual(PNG)
    await phone.byTestId('evidence-file').filter({ hasText: 'PDF' }).tap()
    await phone.waitUntil(() => phone.documents.length === 1, 'the PDF to open')
    expect(phone.documents[0]).toMatchObject({ fileType: 'pdf' })
    expect(phone.files.get(phone.documents[0].path)?.bytes).toEqual(PDF)
  }, 120000)

  it('shows her the centre\'s acknowledgement once the officer has given it on his phone', async () => {
    expect(requestId).not.toBe('')
    const officer = await session.phone(WU)
    await officer.byTestId('entry-la-queue').tap()
    const item = officer.byTestId('queue-item').filter({ hasText: '王小雨 · 抚养费' })
    await item.waitFor()
    expect(await item.byTestId('priority').text()).toBe('绿色通道')
    await item.tap()
    await officer.byTestId('story').filter({ hasText: STORY }).waitFor()
    expect(await officer.byTestId('evidence-file').count()).toBe(2)
    await officer.byTestId('acknowledge').tap()
    await officer.byText('中心已收到，正在审查').waitFor()

    const phone = await session.phone(ZHANG)
    await phone.byTestId('entry-la-mine').tap()
    const mine = phone.byTestId('my-request').filter({ hasText: '王小雨' })
    await mine.waitFor()
    await mine.tap()
    await phone.byTestId('state-label').waitFor()
    expect(await phone.byTestId('state-label').text()).toBe('中心已收到，正在审查')
  }, 120000)
})
