/** Storage through the real wx-server-sdk: upload, temp URLs, download, delete, and the limits. */
import type { LocalCloud } from '../../localcloud'
import { request, sdk, startFixtureCloud } from './localcloud-support'

let cloud: LocalCloud
let wx: any

beforeAll(async () => {
  cloud = await startFixtureCloud({ uploads: { extensions: ['jpg', 'jpeg', 'png', 'webp', 'heic', 'pdf'] } }) // an app's rules
  wx = sdk(cloud)
})
afterAll(async () => { await cloud?.close() })

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('rest of a png')])
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100, 7)])
const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n')
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(20)])
const HEIC = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.alloc(20)])

const upload = async (cloudPath: string, fileContent: Buffer) => await wx.uploadFile({ cloudPath, fileContent })
const failure = async (p: Promise<unknown>): Promise<string> => await p.then(() => 'resolved', (e: any) => String(e.errMsg ?? e.message))

it('uploads, hands out a temp URL serving the bytes, downloads and deletes', async () => {
  const { fileID } = await upload('evidence/case-1/photo.png', PNG)
  expect(fileID).toMatch(/^cloud:\/\/local\.[0-9a-f]+-local-\d+\/evidence\/case-1\/photo\.png$/)

  const { fileList } = await wx.getTempFileURL({ fileList: [fileID] })
  expect(fileList[0]).toMatchObject({ fileID, status: 0 })
  const served = await fetch(fileList[0].tempFileURL)
  expect(served.status).toBe(200)
  expect(served.headers.get('content-type')).toBe('image/png')
  expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true)

  const { fileContent } = await wx.downloadFile({ fileID })
  expect(Buffer.isBuffer(fileContent) && fileContent.equals(PNG)).toBe(true)

  const del = await wx.deleteFile({ fileList: [fileID] })
  expect(del.fileList[0]).toMatchObject({ fileID, status: 0 })
  expect((await wx.getTempFileURL({ fileList: [fileID] })).fileList[0]).toMatchObject({ status: -503003, tempFileURL: '' })
  expect(await failure(wx.downloadFile({ fileID }))).toMatch(/does not exist/)
  expect((await fetch(fileList[0].tempFileURL)).status).toBe(404)
})

it('accepts every allowed type, and Chinese paths', async () => {
  for (const [name, bytes] of [['a.jpg', JPEG], ['b.jpeg', JPEG], ['c.pdf', PDF], ['d.webp', WEBP], ['e.heic', HEIC], ['f.PNG', PNG]] as const) {
    const { fileID } = await upload(`types/${name}`, bytes)
    expect((await wx.downloadFile({ fileID })).fileContent.equals(bytes)).toBe(true)
  }
  const { fileID } = await upload('证据/王小雨 的照片.jpg', JPEG)
  expect(fileID.endsWith('/证据/王小雨 的照片.jpg')).toBe(true)
  expect((await wx.downloadFile({ fileID })).fileContent.equals(JPEG)).toBe(true)
  const { fileList } = await wx.getTempFileURL({ fileList: [fileID] })
  expect((await fetch(encodeURI(fileList[0].tempFileURL))).status).toBe(200)
})

it('refuses a file over 10 MB, a type not allowed, and content that is not what its name says, storing nothing', async () => {
  const big = Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)])
  expect(await failure(upload('limits/big.png', big))).toMatch(/\[EntityTooLarge\]: the file exceeds 10 MB/)
  expect(await failure(upload('limits/tool.exe', Buffer.from('MZ....')))).toMatch(/\[InvalidFileType\]: only jpg, jpeg, png, webp, heic, pdf/)
  expect(await failure(upload('limits/noext', PNG))).toMatch(/\[InvalidFileType\]/)
  expect(await failure(upload('limits/fake.png', PDF))).toMatch(/\[InvalidFileType\]: the content is not a png file \(it looks like pdf\)/)
  expect(await failure(upload('limits/fake.pdf', Buffer.from('<html>')))).toMatch(/\[InvalidFileType\]/)
  expect(await failure(upload('../escape.png', PNG))).toMatch(/\[InvalidObjectName\]/)
  const ids = ['limits/big.png', 'limits/tool.exe', 'limits/fake.png', 'limits/fake.pdf'].map((p) => `cloud://local.6c6f-local-1300000000/${p}`)
  const { fileList } = await wx.getTempFileURL({ fileList: ids })
  for (const f of fileList) expect(f.status).toBe(-503003)
  // Exactly 10 MB is allowed.
  const edge = Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024 - PNG.length)])
  const { fileID } = await upload('limits/edge.png', edge)
  expect((await wx.downloadFile({ fileID })).fileContent.length).toBe(10 * 1024 * 1024)
})

it('refuses temp URLs that were tampered with or have expired', async () => {
  const { fileID } = await upload('urls/x.pdf', PDF)
  const { fileList } = await wx.getTempFileURL({ fileList: [{ fileID, maxAge: 1 }] })
  const url = new URL(fileList[0].tempFileURL)
  expect((await fetch(url)).status).toBe(200)
  const tampered = new URL(url)
  tampered.pathname = tampered.pathname.replace('x.pdf', 'y.pdf')
  expect((await fetch(tampered)).status).toBe(403)
  const badSign = new URL(url)
  // One character of the signature changed (to one it is not), so the link no longer matches its signature.
  const sign = url.searchParams.get('sign') ?? ''
  badSign.searchParams.set('sign', (sign[0] === 'x' ? 'y' : 'x') + sign.slice(1))
  expect((await fetch(badSign)).status).toBe(403)
  await cloud.clock.advance('PT3S') // links expire by the cloud's clock
  const expired = await fetch(url)
  expect(expired.status).toBe(403)
  expect(await expired.text()).toMatch(/expired/)
  await cloud.clock.real()
})

it('takes any type of file when the app sets no rules, but still not one that lies about its type', async () => {
  const bare = await startFixtureCloud()
  try {
    const put = async (p: string, body: Buffer) => {
      const meta = await request(bare, 'POST', '/admin', JSON.stringify({ action: 'storage.getUploadMetadata', path: p, method: 'put' }), { 'content-type': 'application/json' })
      return await fetch(meta.body.data.url, { method: 'PUT', body: new Uint8Array(body) })
    }
    expect((await put('notes/a.txt', Buffer.from('你好'))).status).toBe(200)
    expect((await put('notes/noext', PNG)).status).toBe(200)
    const fake = await put('notes/fake.png', PDF)
    expect(fake.status).toBe(400)
    expect(await fake.text()).toMatch(/InvalidFileType/)
  } finally {
    await bare.close()
  }
})

it('uses an upload URL once only', async () => {
  const meta = await request(cloud, 'POST', '/admin', JSON.stringify({ action: 'storage.getUploadMetadata', path: 'once/a.png', method: 'put' }), { 'content-type': 'application/json' })
  const { url, fileId } = meta.body.data
  for (const v of Object.values(meta.body.data)) expect(typeof v).toBe('string')
  expect((await fetch(url, { method: 'PUT', body: PNG })).status).toBe(200)
  const again = await fetch(url, { method: 'PUT', body: PNG })
  expect(again.status).toBe(403)
  expect(await again.text()).toMatch(/<Code>AccessDenied<\/Code>/)
  expect((await wx.downloadFile({ fileID: fileId })).fileContent.equals(PNG)).toBe(true)
})

it('answers bad storage requests with the SDK error shape', async () => {
  const r = await request(cloud, 'POST', '/admin', JSON.stringify({ action: 'storage.batchGetDownloadUrl', file_list: 'nope' }), { 'content-type': 'application/json' })
  expect(r.body.code).toBe('INVALID_PARAM')
  const foreign = await wx.getTempFileURL({ fileList: ['cloud://other-env.1234-other-env-1/x.png', 'not a file id'] })
  for (const f of foreign.fileList) expect(f.status).toBe(-503003)
  const del = await wx.deleteFile({ fileList: ['cloud://local.6c6f-local-1300000000/never/was.png'] })
  expect(del.fileList[0].status).toBe(-503003)
})
