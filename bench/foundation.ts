/**
 * Foundation benchmark (issue 2): the local cloud through the real wx-server-sdk against raw better-sqlite3 on
 * the same machine, and the weapp main package against WeChat's 2 MB limit.
 *  - raw: single-row inserts (one autocommit transaction each) and primary-key point reads, same pragmas as the
 *    local cloud's store (WAL, synchronous=NORMAL), same documents.
 *  - SDK: 16 concurrent callers doing `add` and `doc(id).get()` through the SDK to a local cloud in its own process.
 * Targets: SDK ≥ 1/20 of raw for both; main package ≤ 600 KB.
 */
import path from 'node:path'
import Database from 'better-sqlite3'
import { MAIN_PACKAGE_LIMIT, weappPackageSizes } from '../config/package-size'
import { concurrently, round, ROOT, spawnLocalCloud, tempDir, type Figures } from './common'

const CALLERS = 16
const RAW_INSERTS = 50000
const RAW_READS = 200000
const SDK_INSERTS = 4000
const SDK_READS = 8000

function sampleDoc (i: number) {
  return { childId: `child-${i % 997}`, kind: 'call', note: '周日晚上视频通话，孩子很开心', minutes: 20 + (i % 7), createdAt: new Date(1764374400000 + i * 1000) }
}

function rawFigures (): Figures {
  const db = new Database(path.join(tempDir('raw'), 'raw.sqlite'))
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.exec('CREATE TABLE docs (id TEXT PRIMARY KEY, body TEXT NOT NULL)')
  const insert = db.prepare('INSERT INTO docs (id, body) VALUES (?, ?)')
  let t = process.hrtime.bigint()
  for (let i = 0; i < RAW_INSERTS; i++) insert.run(`doc-${i}`, JSON.stringify(sampleDoc(i)))
  const insertsPerSec = RAW_INSERTS / (Number(process.hrtime.bigint() - t) / 1e9)
  const read = db.prepare('SELECT body FROM docs WHERE id = ?')
  t = process.hrtime.bigint()
  let found = 0
  for (let i = 0; i < RAW_READS; i++) {
    const row = read.get(`doc-${(i * 7919) % RAW_INSERTS}`) as { body: string } | undefined
    if (row && JSON.parse(row.body)) found++
  }
  const readsPerSec = RAW_READS / (Number(process.hrtime.bigint() - t) / 1e9)
  db.close()
  if (found !== RAW_READS) throw new Error(`raw reads found ${found} of ${RAW_READS}`)
  return { rawInsertsPerSec: round(insertsPerSec), rawPointReadsPerSec: round(readsPerSec) }
}

async function sdkFigures (): Promise<Figures> {
  const server = await spawnLocalCloud({ dataDir: tempDir('sdk') })
  try {
    process.env.TENCENTCLOUD = 'true'
    process.env.SILENCE = 'true'
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const cloud = require('wx-server-sdk')
    cloud.init({ env: 'bench', serviceUrl: server.adminUrl, secretId: 'bench', secretKey: 'bench' })
    const db = cloud.database()
    await db.createCollection('bench')
    const ids: string[] = []
    const insertsPerSec = await concurrently(CALLERS, SDK_INSERTS, async (i) => {
      const res = await db.collection('bench').add({ data: sampleDoc(i) })
      ids[i] = res._id
    })
    let found = 0
    const readsPerSec = await concurrently(CALLERS, SDK_READS, async (i) => {
      const res = await db.collection('bench').doc(ids[(i * 7919) % SDK_INSERTS]).get()
      if (res.data?.createdAt instanceof Date) found++
    })
    if (found !== SDK_READS) throw new Error(`SDK reads found ${found} of ${SDK_READS}`)
    return { sdkCallers: CALLERS, sdkInsertsPerSec: round(insertsPerSec), sdkPointReadsPerSec: round(readsPerSec) }
  } finally {
    await server.stop()
  }
}

export async function runFoundationBench (): Promise<Figures> {
  const raw = rawFigures()
  const sdk = await sdkFigures()
  const sizes = weappPackageSizes(path.join(ROOT, 'dist', 'weapp'))
  const insertRatio = Number(sdk.sdkInsertsPerSec) / Number(raw.rawInsertsPerSec)
  const readRatio = Number(sdk.sdkPointReadsPerSec) / Number(raw.rawPointReadsPerSec)
  return {
    ...raw,
    ...sdk,
    insertRatio: round(insertRatio, 4),
    insertRatioAsOneIn: round(1 / insertRatio),
    pointReadRatio: round(readRatio, 4),
    pointReadRatioAsOneIn: round(1 / readRatio),
    insertTargetMet: insertRatio >= 1 / 20,
    pointReadTargetMet: readRatio >= 1 / 20,
    weappMainPackageKB: round(sizes.main / 1024),
    weappMainPackageShareOfLimit: round(sizes.main / MAIN_PACKAGE_LIMIT, 3),
    weappMainPackageTargetMet: sizes.main <= 600 * 1024,
    weappSubpackagesKB: Object.entries(sizes.subpackages).map(([k, v]) => `${k}=${round(v / 1024)}`).join(' ')
  }
}
