/** Where a legal-aid request stands: its state, priority, the aid-first badge and its running clocks. */
import { View, Text } from '@tarojs/components'
import type { LegalAidState } from '../../../domain'
import { dueWords } from '../../../services/format'
import { Pill, type Tone } from '../../../components/Notice'
import type { Clock } from '../nextSteps'

const STATE_TONE: Record<LegalAidState, Tone> = {
  submitted: 'orange', acknowledged: 'blue', approved: 'blue', lawyerAssigned: 'blue', inProgress: 'green', refused: 'red', closed: 'grey'
}

export function StateTag ({ state, label }: { state: LegalAidState, label: string }) {
  return <Pill tone={STATE_TONE[state]} testId='state'>{label}</Pill>
}

const PRIORITY_TONE: Record<number, Tone> = { 0: 'red', 1: 'orange', 2: 'grey' }

/** Priority 0 (abuse, violence, abandonment) is red. */
export function PriorityTag ({ priority, label }: { priority: number, label: string }) {
  return <Pill tone={PRIORITY_TONE[priority] ?? 'grey'} testId='priority'>{label}</Pill>
}

/** Aid given before the review is finished (Art. 44: docs/DOMAIN.md, "Legal Aid Law"). */
export function ProvideFirstTag () {
  return <Pill tone='dark' testId='provide-first'>先行援助</Pill>
}

/** A running clock as the centre reads it: what is due, by when, and whether it is on time (coloured). */
export function ClockLine ({ clock }: { clock: Clock }) {
  return (
    <View className={`la-clock la-clock--${clock.state}`} data-testid='clock'>
      <Text>{clock.label}：{dueWords(clock.due)} 前{clock.estimated ? '（按法定假日推算）' : ''}</Text>
      <Text className='la-clock__state' data-testid='clock-state'>{clock.stateLabel}</Text>
    </View>
  )
}
