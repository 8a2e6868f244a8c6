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
  /** The story told by voice: heard only by the centre's officers and the lawyer. */
  voiceNote?: { fileId: string, seconds: number }
  /** 申请编号 (2026-0007); older requests have none and show their id. */
  reference?: string
  centreId: string
  centreName: string
  centrePhone?: string
  /** Where the request went and why, as the applicant was told. */
  routedWhy?: string
  exemptions: Exemption[]
  priority: 0 | 1 | 2
  state: LegalAidState
  submittedAt: Date
  updatedAt: Date
  complex?: boolean
  complexReason?: string
  acknowledgedAt?: Date
  decidedAt?: Date
  /** A lawyer was assigned before the review (Art. 44, provide first); the approval has not followed yet. */
  approvalPending?: boolean
  assignedAt?: Date
  lawyerId?: string
  lawyerName?: string
  declinedBy?: string[]
  refusal?: { reason: string, howToObject: string }
  documentsAsked?: string
  timeline: Array<{ at: Date, text: string }>
  reportId?: string
  /** false until the centre's officers have been told of the new request (the legal-aid timer, within the minute);
   * absent on older requests, which were told as they came */
  officersTold?: boolean
}
