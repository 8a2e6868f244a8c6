import { Pill, type Tone } from '../../../components/Notice'

export type ReportState = 'delivered' | 'acknowledged' | 'handled' | 'closed'
const STATE_TONE: Record<ReportState, Tone> = { delivered: 'red', acknowledged: 'orange', handled: 'blue', closed: 'green' }

/** Where a report stands, red until the police have received it. */
export function StatePill ({ state, label }: { state: ReportState, label: string }) {
  return <Pill tone={STATE_TONE[state]} testId='report-state'>{label}</Pill>
}
