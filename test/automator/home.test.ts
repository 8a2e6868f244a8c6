/**
 * miniprogram-automator scripts: they drive the weapp build inside WeChat DevTools. DevTools exists only on a
 * developer's Windows or macOS machine; where it is absent (Linux CI) these tests are skipped and say so.
 * To run them: install DevTools, enable its service port (设置 → 安全设置 → 服务端口), then
 *   WECHAT_DEVTOOLS_CLI="/Applications/wechatwebdevtools.app/Contents/MacOS/cli" npx jest test/automator
 */
import fs from 'node:fs'
import { ROOT } from '../support/paths'

const candidates = [
  process.env.WECHAT_DEVTOOLS_CLI,
  '/Applications/wechatwebdevtools.app/Contents/MacOS/cli',
  'C:/Program Files (x86)/Tencent/微信web开发者工具/cli.bat'
].filter((p): p is string => Boolean(p))
const cli = candidates.find((p) => fs.existsSync(p))

if (!cli) {
  console.log('test/automator skipped: WeChat DevTools is not installed on this machine (set WECHAT_DEVTOOLS_CLI to run them)')
}

const withDevTools = cli ? describe : describe.skip

withDevTools('weapp in WeChat DevTools (miniprogram-automator)', () => {
  const automator = require('miniprogram-automator')
  let miniProgram: any

  beforeAll(async () => {
    miniProgram = await automator.launch({ cliPath: cli, projectPath: ROOT })
  }, 120000)

  afterAll(async () => { await miniProgram?.close() })

  it('opens on the home page with its tab bar', async () => {
    const page = await miniProgram.reLaunch('/pages/home/index')
    await page.waitFor(1000)
    expect(page.path).toBe('pages/home/index')
  })

  it('shows the help numbers with 110 first', async () => {
    const page = await miniProgram.switchTab('/pages/help/index')
    await page.waitFor(500)
    const text = await (await page.$('.page')).text()
    expect(text.indexOf('110')).toBeGreaterThanOrEqual(0)
    expect(text).toContain('12355')
  })

  it('opens the large-text setting from 我的', async () => {
    const page = await miniProgram.navigateTo('/packages/settings/pages/text-size/index')
    await page.waitFor(500)
    expect(page.path).toBe('packages/settings/pages/text-size/index')
  })
})
