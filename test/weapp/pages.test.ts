/**
 * Every page of app.json, opened in the weapp build (test/weapp-runtime) by a person whose role opens it, with
 * the query its links give it: it loads its subpackage and code, talks to the cloud as that person, and shows
 * its content; no runtime error, no console.error, no unimplemented wx API, no failure shown on the page.
 */
import fs from 'node:fs'
import path from 'node:path'
import { requireBuilt } from '../support/paths'
import { VISITS, makePageRecords, routesOf } from '../support/pages'
import { weappSession } from '../weapp-runtime'

const appJson = JSON.parse(fs.readFileSync(path.join(requireBuilt('weapp'), 'app.json'), 'utf8')) as { pages: string[], subPackages: Array<{ root: string, pages: string[] }> }
const PAGES = routesOf(appJson)

describe('every page of the weapp build (headless)', () => {
  const session = weappSession()

  beforeAll(async () => { await makePageRecords(session.cloud) }, 60000)

  it('names who opens every page of app.json, and only those pages', () => {
    expect(Object.keys(VISITS).sort()).toEqual([...PAGES].sort())
  })

  it.each(PAGES)('%s loads for a person who may open it', async (route) => {
    const visit = VISITS[route]
    expect(visit).toBeDefined()
    const phone = await session.sharedPhone(visit.who)
    await phone.open(`/${route}${visit.query?.() ?? ''}`)
    expect(phone.page.route).toBe(visit.landsOn ?? route)
    // It shows its content: not the wait, not a failure.
    expect(await phone.byTestId('loading').count()).toBe(0)
    const failure = phone.byTestId('error')
    if (await failure.count() > 0) throw new Error(`${route} shows a failure to ${visit.who}: ${await failure.first().text()}\n${phone.screen()}`)
    expect(phone.screen().split('\n').length).toBeGreaterThan(2)
  }, 60000)
})
