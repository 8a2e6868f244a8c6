import { cloudOffset, learnCloudTime, now } from '../../src/services/clock'

describe('a page\'s clock follows the cloud\'s', () => {
  const sent = Date.parse('2026-11-29T10:00:00.200Z')
  const received = sent + 300
  const header = (iso: string) => new Date(iso).toUTCString()

  it('keeps the phone\'s time when the cloud\'s Date header agrees with it to the second', () => {
    expect(cloudOffset(header('2026-11-29T10:00:00Z'), sent, received)).toBe(0)
  })

  it('learns a clock set a week ahead, to within the header\'s second', () => {
    const offset = cloudOffset(header('2026-12-06T10:00:00Z'), sent, received)!
    expect(Math.abs(offset - 7 * 86400000)).toBeLessThan(1000)
  })

  it('learns a clock set back', () => {
    const offset = cloudOffset(header('2026-11-01T08:30:00Z'), sent, received)!
    const expected = Date.parse('2026-11-01T08:30:00Z') - Date.parse('2026-11-29T10:00:00Z')
    expect(Math.abs(offset - expected)).toBeLessThan(1000)
  })

  it('keeps what it knew while a new answer does not contradict it (no jitter from the header\'s rounding)', () => {
    const week = 7 * 86400000
    const first = cloudOffset(header('2026-12-06T10:00:00Z'), sent, received)!
    // A second later the same clock, stamped a little differently within its second.
    expect(cloudOffset(header('2026-12-06T10:00:01Z'), sent + 1000, received + 1000, first)).toBe(first)
    expect(Math.abs(first - week)).toBeLessThan(1000)
  })

  it('ignores answers without a usable Date header', () => {
    expect(cloudOffset(null, sent, received)).toBeUndefined()
    expect(cloudOffset('not a date', sent, received)).toBeUndefined()
  })

  it('moves now() only in the h5 build', () => {
    const env = process.env.TARO_ENV
    try {
      process.env.TARO_ENV = 'weapp'
      learnCloudTime(new Date(Date.now() + 30 * 86400000).toUTCString(), Date.now(), Date.now())
      expect(Math.abs(now().getTime() - Date.now())).toBeLessThan(1000)
      process.env.TARO_ENV = 'h5'
      const t = Date.now()
      learnCloudTime(new Date(t + 30 * 86400000).toUTCString(), t, t + 5)
      expect(Math.abs(now().getTime() - (Date.now() + 30 * 86400000))).toBeLessThan(2000)
      learnCloudTime(new Date(Date.now()).toUTCString(), Date.now(), Date.now() + 5)
      expect(Math.abs(now().getTime() - Date.now())).toBeLessThan(2000)
    } finally {
      process.env.TARO_ENV = env
    }
  })
})
