/** The functions' one clock: real time unless the local cloud passes its own through the invocation's environment. */
import { now } from '../../cloudfunctions/_server/clock'

const REAL = new Date('2031-05-06T07:08:09.000Z')

describe('now()', () => {
  const saved = { ...process.env }
  beforeEach(() => {
    jest.useFakeTimers({ now: REAL })
    delete process.env.LOCALCLOUD_NOW
    delete process.env.LOCALCLOUD_CLOCK_OFFSET_MS
  })
  afterEach(() => {
    jest.useRealTimers()
    process.env = { ...saved }
  })

  it('is the real time when the local cloud passes no clock', () => {
    expect(now().toISOString()).toBe(REAL.toISOString())
  })

  it('stands at LOCALCLOUD_NOW, whatever the real time does', () => {
    process.env.LOCALCLOUD_NOW = '2026-11-26T10:00:00+08:00'
    expect(now().toISOString()).toBe('2026-11-26T02:00:00.000Z')
    jest.advanceTimersByTime(5 * 60000)
    expect(now().toISOString()).toBe('2026-11-26T02:00:00.000Z')
  })

  it('runs LOCALCLOUD_CLOCK_OFFSET_MS ahead of (or behind) the real time', () => {
    process.env.LOCALCLOUD_CLOCK_OFFSET_MS = String(7 * 86400000)
    expect(now().toISOString()).toBe('2031-05-13T07:08:09.000Z')
    jest.advanceTimersByTime(60000)
    expect(now().toISOString()).toBe('2031-05-13T07:09:09.000Z')
    process.env.LOCALCLOUD_CLOCK_OFFSET_MS = '-3600000'
    expect(now().toISOString()).toBe('2031-05-06T06:09:09.000Z')
  })

  it('reads the environment at each call, so a warm instance follows a moved clock', () => {
    process.env.LOCALCLOUD_NOW = '2026-01-01T00:00:00.000Z'
    expect(now().toISOString()).toBe('2026-01-01T00:00:00.000Z')
    process.env.LOCALCLOUD_NOW = '2026-01-08T00:00:00.000Z'
    expect(now().toISOString()).toBe('2026-01-08T00:00:00.000Z')
    delete process.env.LOCALCLOUD_NOW
    expect(now().toISOString()).toBe(REAL.toISOString())
  })

  it('prefers the frozen time when both are set', () => {
    process.env.LOCALCLOUD_NOW = '2026-03-01T12:00:00Z'
    process.env.LOCALCLOUD_CLOCK_OFFSET_MS = '60000'
    expect(now().toISOString()).toBe('2026-03-01T12:00:00.000Z')
  })

  it.each([
    ['LOCALCLOUD_NOW', 'tuesday'],
    ['LOCALCLOUD_NOW', '2026-13-45T99:00:00Z'],
    ['LOCALCLOUD_NOW', '2026-03-01 12:00'],
    // without a zone the host's zone would decide: not an ISO time the local cloud sends
    ['LOCALCLOUD_NOW', '2026-03-01T12:00:00'],
    ['LOCALCLOUD_CLOCK_OFFSET_MS', 'soon'],
    ['LOCALCLOUD_CLOCK_OFFSET_MS', '1.5e3'],
    ['LOCALCLOUD_CLOCK_OFFSET_MS', '']
  ])('takes the real time when %s is %j', (name, value) => {
    process.env[name] = value
    expect(now().toISOString()).toBe(REAL.toISOString())
  })
})
