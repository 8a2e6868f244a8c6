import { Text } from '@tarojs/components'
import type { BookingStatus } from '../../../domain'

const STATUS_CLASS: Record<BookingStatus, string> = {
  booked: 'hl-status--booked', cancelled: 'hl-status--off', held: 'hl-status--held', missedByParent: 'hl-status--missed', childAbsent: 'hl-status--off'
}

/** A call's status as a coloured label. */
export function StatusTag ({ status, label }: { status: BookingStatus, label: string }) {
  return <Text className={`hl-status ${STATUS_CLASS[status]}`} data-testid='status'>{label}</Text>
}
