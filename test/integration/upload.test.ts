/** The h5 build's upload (the counterpart of wx.cloud.uploadFile): only into the caller's own folder. */
import type { LocalCloud } from '../../localcloud'
import { startTestCloud } from '../support/localcloud'

let cloud: LocalCloud
beforeAll(async () => { cloud = await startTestCloud({ seed: false }) }, 60000)
afterAll(async () => { await cloud?.close() })

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4280000000049454e44ae426082', 'hex')
const askUrl = (openid: string | null, cloudPath: string) => fetch(`${cloud.url}/api/storage/upload-url`, {
  method: 'POST', headers: { 'content-type': 'application/json', ...(openid ? { 'x-localcloud-openid': openid } : {}) }, body: JSON.stringify({ cloudPath })
})

it('gives a signed-in person a one-time URL in their own folder, and the file is then in storage', async () => {
  const res = await askUrl('o-granny', 'legalaid/o-granny/photo.png')
  const { data } = await res.json() as any
  expect(data.fileID).toMatch(/^cloud:\/\/.+\/legalaid\/o-granny\/photo\.png$/)
  const put = await fetch(data.uploadUrl, { method: 'PUT', body: PNG })
  expect(put.status).toBe(200)
  const sdk = require('wx-server-sdk')
  const back = await sdk.downloadFile({ fileID: data.fileID })
  expect(Buffer.compare(back.fileContent, PNG)).toBe(0)
  expect((await fetch(data.uploadUrl, { method: 'PUT', body: PNG })).status).toBe(403) // one use
})

it('refuses another person\'s folder, a path without a folder, and a caller who is not signed in', async () => {
  expect((await askUrl('o-granny', 'legalaid/o-someone-else/photo.png')).status).toBe(400)
  expect((await askUrl('o-granny', 'photo.png')).status).toBe(400)
  expect((await askUrl(null, 'legalaid/o-granny/photo.png')).status).toBe(401)
})

it('refuses a file whose content is not what its name says', async () => {
  const { data } = await (await askUrl('o-granny', 'legalaid/o-granny/fake.png')).json() as any
  const put = await fetch(data.uploadUrl, { method: 'PUT', body: Buffer.from('MZ this is an exe') })
  expect(put.status).toBe(400)
  expect(await put.text()).toContain('InvalidFileType')
})
