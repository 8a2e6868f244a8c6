// 法律援助绿色通道: requests routed to the right centre and lawyer, held to their deadlines (docs/DOMAIN.md, "Legal Aid Law").
import { createRouter } from '../_server/router'
import { addFiles, children, detail, drafts, mine, saveDraft, submit } from './applicant'
import { acknowledge, askDocuments, assignLawyer, decide, extendReview, myCases, proposeLawyersAction, queue, respond, update } from './staff'
import { reassign, stuck } from './oversee'
import { centreLawyers, lawyerProfile, saveLawyerProfile } from './lawyers'

export const main = createRouter({
  children, saveDraft, drafts, submit, mine, detail, addFiles,
  queue, acknowledge, decide, extendReview, proposeLawyers: proposeLawyersAction, assignLawyer,
  myCases, respond, update, askDocuments,
  stuck, reassign,
  lawyerProfile, saveLawyerProfile, centreLawyers
})
