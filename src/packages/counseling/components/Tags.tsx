import type { PropsWithChildren } from 'react'
import type { Urgency } from '../../../domain'
import { Tag } from '../../../components/nut'

const URGENCY_TAG: Record<Urgency, 'danger' | 'warning' | undefined> = { crisis: 'danger', soon: 'warning', routine: undefined }

/** How urgent a request for help is: a crisis red, soon orange, routine grey. */
export function UrgencyTag ({ urgency, label }: { urgency: Urgency, label: string }) {
  const type = URGENCY_TAG[urgency]
  return type ? <Tag type={type} data-testid='urgency'>{label}</Tag> : <SoftTag testId='urgency'>{label}</SoftTag>
}

/** A quiet grey tag (NutUI's default one is black). */
export function SoftTag ({ children, testId }: PropsWithChildren<{ testId?: string }>) {
  return <Tag background='#eee6e0' color='#4a3b33' data-testid={testId}>{children}</Tag>
}
