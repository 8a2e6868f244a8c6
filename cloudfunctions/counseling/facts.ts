/** What a request says, in words, and the numbers that may reach its child: read by the asking and the counsellor's sides. */
import { ROLE_LABELS, answersInWords, homeConcern, type ChildRecord, type Contact, type Role } from '../../src/domain'
import { findById } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import { contactsOf, whereabouts, type Whereabouts } from '../_server/childContacts'
import type { HelpRequest } from '../_server/counseling/records'

/** The lines a report or a counsellor reads of a request: who answered, what, and anything told later. */
export function requestInWords (req: Pick<HelpRequest, 'answers' | 'told' | 'requesterRole' | 'requesterName'>): string[] {
  const who = req.requesterRole === 'child' ? '（孩子自己回答）' : `（${req.requesterName}（${ROLE_LABELS[req.requesterRole as Role] ?? ''}）替孩子回答）`
  return [who, ...answersInWords(req.answers, req.told ?? {})]
}

/** The number the asker left, as the call-back list and the report read it. */
export function chosenOf (req: Pick<HelpRequest, 'callBack' | 'requesterRole' | 'requesterName'>) {
  return req.callBack ? { phone: req.callBack.phone, whose: req.callBack.whose, byChild: req.requesterRole === 'child', askerName: req.requesterName } : undefined
}

/** The child of a request, where she is, and every number that may reach her (the caller logs the read). */
export async function contactsOfRequest (req: HelpRequest, known?: ChildRecord): Promise<{ child: ChildRecord, where: Whereabouts, contacts: Contact[] }> {
  const child = known ?? (await findById<ChildRecord>(COLLECTIONS.children, req.childId))!
  const where = await whereabouts(child)
  return { child, where, contacts: contactsOf(child, where, { chosen: chosenOf(req), concern: homeConcern(req.answers, req.told ?? {}) }) }
}
