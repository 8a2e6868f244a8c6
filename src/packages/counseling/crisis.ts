/** The numbers a crisis page shows, and what the ask page hands it so they show in the very first frame. */
import { HELP_NUMBERS } from '../../domain'

/** The numbers a crisis shows before anything has loaded: they never wait for the cloud (docs/DOMAIN.md, "Help numbers"). */
export const FIRST_NUMBERS = ['110', '12355'].map((n) => {
  const h = HELP_NUMBERS.find((x) => x.number === n)!
  return { number: h.number, name: h.name }
})

interface CrisisNumbers { numbers: Array<{ number: string, name: string }> }

/**
 * The ask page hands the crisis page what `ask` returned, so the numbers (with the station's duty line) show in
 * the very first frame. Kept in memory for this run of the app only: nothing about a child's crisis is written
 * to the phone.
 */
const crisisSeen = new Map<string, CrisisNumbers>()
export function rememberCrisis (requestId: string, crisis: CrisisNumbers): void { crisisSeen.set(requestId, crisis) }
export function recalledCrisis (requestId: string): CrisisNumbers | undefined { return crisisSeen.get(requestId) }

/** The station's duty line among a crisis's numbers (not 110, not 12355). */
export function dutyLineOf (numbers: ReadonlyArray<{ number: string }>): string | undefined {
  return numbers.find((n) => n.number !== '110' && n.number !== '12355')?.number
}
