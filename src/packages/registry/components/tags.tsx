import { Tag } from '../../../components/nut'
import { CONSENT_STATE_LABELS, type ChildStatus } from '../../../domain'

type ConsentState = keyof typeof CONSENT_STATE_LABELS

const SHORT_CONSENT: Record<ConsentState, string> = { pending: '待监护人同意', granted: '监护人已同意', refused: '监护人不同意' }
const CONSENT_TYPE = { pending: 'warning', granted: 'success', refused: 'danger' } as const

export function ConsentTag ({ state }: { state: ConsentState }) {
  return <Tag type={CONSENT_TYPE[state]}>{SHORT_CONSENT[state]}</Tag>
}

export function StatusTag ({ status, label }: { status: ChildStatus, label: string }) {
  return <Tag type={status === 'leftBehind' ? 'info' : 'default'}>{label}</Tag>
}
