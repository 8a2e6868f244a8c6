/** A legal-aid request as stored: what the legal-aid function writes and the scheduler's clocks read. */
import type { Exemption, LegalAidState, Matter } from '../../../src/domain'

export interface LegalAidDoc {
  _id: string
  childId: string
  childName: string
  countyId: string
  /** The child's township, so a township admin's oversight counts only its own (older records lack it). */
  townshipId?: string
  applicant: string
  applicantName: string
  matter: Matter
  people: string
  story: string
  deadline?: string
  deadlineWhat?: string
  evidenceUrgent: boolean
  files: string[]
  centreId: string
  centreName: string
  exemptions: Exemption[]
  priority: 0 | 1 | 2
  state: LegalAidState
  submittedAt: Date
  updatedAt: Date
  complex?: boolean
  complexReason?: string
  decidedAt?: Date
  assignedAt?: Date
  lawyerId?: string
  lawyerName?: string
  declinedBy?: string[]
  refusal?: { reason: string, howToObject: string }
  documentsAsked?: string
  timeline: Array<{ at: Date, text: string }>
  reportId?: string
}
