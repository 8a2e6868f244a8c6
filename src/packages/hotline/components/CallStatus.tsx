import { Text } from '@tarojs/components'
import type { BookingStatus } from '../../../domain'

const STATUS_CLASS: Record<BookingStatus, string> = {
  booked: 'hl-status--booked', cancelled: 'hl-status--off', held: 'hl-status--held', missedByParent: 'hl-status--missed', childAbsent: 'hl-status--off'
}

/** A call's status as a coloured label. */
export function StatusTag ({ status, label }: { status: BookingStatus, label: string }) {
  return <Text className={`hl-status ${STATUS_CLASS[status]}`} data-testid='status'>{label}</Text>
}

/** A call of the history: counted for its week (green), waiting (blue), or not counted (grey). */
export function HistoryTag ({ counted, waiting, label }: { counted: boolean, waiting: boolean, label: string }) {
  return <Text className={`hl-status ${counted ? 'hl-status--held' : waiting ? 'hl-status--booked' : 'hl-status--off'}`} data-testid='status'>{label}</Text>
}
