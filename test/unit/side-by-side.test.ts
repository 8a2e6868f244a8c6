/** A timer's people told a few at a time: every one of them, never more at once than the lanes, a failure not hiding the rest. */
import { sideBySide } from '../../cloudfunctions/_server/sideBySide'

const tick = async (): Promise<void> => { await new Promise((resolve) => setImmediate(resolve)) }

it('does every item once, with never more than `limit` under way at a time', async () => {
  let running = 0
  let most = 0
  const done: number[] = []
  await sideBySide(Array.from({ length: 30 }, (_x, i) => i), 4, async (n) => {
    running++
    most = Math.max(most, running)
    await tick()
    if (n % 3 === 0) await tick()
    done.push(n)
    running--
  })
  expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_x, i) => i))
  expect(most).toBe(4)
})

it('throws the first failure once the items already under way have ended, and starts no new one after it', async () => {
  const ended: number[] = []
  const attempt = sideBySide([1, 2, 3, 4, 5, 6], 2, async (n) => {
    await tick()
    if (n === 2) throw new Error('two failed')
    await tick()
    ended.push(n)
  })
  await expect(attempt).rejects.toThrow('two failed')
  expect(ended).toEqual([1]) // under way beside the failure, it finished; 3 to 6 never started
})

it('does nothing for no items', async () => {
  const work = jest.fn(async () => {})
  await sideBySide([], 8, work)
  expect(work).not.toHaveBeenCalled()
})
