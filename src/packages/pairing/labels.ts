/** The pairing pages' own words: how a contact was made, what it was, a child's gender, and a vetting state's colour. */
import type { Tone } from '../../components/Notice'

export const CONTACT_MODE_LABELS: Record<string, string> = { call: '打电话', video: '视频', inPerson: '当面' }
export const CONTACT_KIND_LABELS: Record<'talk' | 'visit', string> = { talk: '谈心', visit: '上门看望' }
export const GENDER_LABELS: Record<'male' | 'female', string> = { male: '男', female: '女' }

/** The colour of a vetting state: green valid, orange soon due, red expired or failed (docs/DOMAIN.md, "Minors Protection Law"). */
export function vettingTone (state: string): Tone {
  if (state === 'valid') return 'green'
  if (state === 'expiringSoon') return 'orange'
  if (state === 'expired' || state === 'failed') return 'red'
  return 'grey'
}
