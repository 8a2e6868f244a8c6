/**
 * Round trips per action: the most used actions run once each, as their pages call them, on a local cloud with the
 * demo county (its own process, a file store), and the database round trips each made, read from the local cloud's
 * count (docs/LOCALCLOUD.md, "Round trips"). In WeChat cloud each round trip from a function costs milliseconds to
 * tens of milliseconds; the budget is at most 6 for a booking and 8 for each of the others. The scenario is
 * bench/trips-scenario.ts, which test/integration/round-trips.test.ts holds to the budgets.
 */
import { sdkDatabase, spawnLocalCloud, tempDir, type Figures } from './common'
import { measureTrips, TRIP_BUDGETS } from './trips-scenario'

export async function runTripsBench (): Promise<Figures> {
  const server = await spawnLocalCloud({ dataDir: tempDir('trips'), seed: true })
  try {
    const trips = await measureTrips(server.url, sdkDatabase(server.adminUrl))
    const figures: Figures = {}
    // A row per action (`fn:action`), a column per figure.
    for (const t of trips) {
      const row = t.action.replace('.', ':')
      figures[`dbRoundTrips.${row}`] = t.dbRoundTrips
      figures[`budget.${row}`] = TRIP_BUDGETS[t.action]
      figures[`within.${row}`] = t.dbRoundTrips <= TRIP_BUDGETS[t.action]
      figures[`otherRequests.${row}`] = t.otherRequests
      figures[`oneAfterAnother.${row}`] = t.sequentialRequests ?? 'n/a'
      figures[`cpuMs.${row}`] = t.cpuMs ?? 'n/a'
      figures[`byKind.${row}`] = Object.entries(t.dbByAction).map(([k, n]) => `${k.replace('database.', '').replace('Document', '')}×${n}`).join(' ')
    }
    figures.actionsOverBudget = trips.filter((t) => t.dbRoundTrips > TRIP_BUDGETS[t.action]).map((t) => t.action).join(', ') || 'none'
    return figures
  } finally {
    await server.stop()
  }
}
