import { z } from 'zod'
import { SafeguardingRule } from '../matching/schema'
import { DateString } from '../registry/fields'
import { END_REASONS, VettingInput, VolunteerRegistration } from '../pairing/rules'
import { IdempotencyKey } from './registry'

/** 爱心结对: volunteers, vetting, matching, offers, the rhythm of talks and visits. */
const Rhythm = z.object({ month: z.string(), talkDone: z.boolean(), monthEndsAt: z.date(), quarter: z.string(), visitDone: z.boolean(), quarterEndsAt: z.date() })

/** What a volunteer is shown of a child: first name and age, village, school class, needs; nothing else. */
export const ChildForVolunteer = z.object({ name: z.string(), age: z.number().int(), gender: z.enum(['male', 'female']), villageName: z.string(), schoolName: z.string(), className: z.string(), needs: z.array(z.string()) })

export const OfferView = z.object({ id: z.string(), child: ChildForVolunteer, explanation: z.string(), offeredAt: z.date(), expiresAt: z.date() })
export const PairingView = z.object({
  id: z.string(),
  child: ChildForVolunteer,
  /** Where to visit, once the pairing is accepted: the village and the guardian at home (their number only by a logged tap). */
  visit: z.object({ villageName: z.string(), guardianName: z.string(), guardianRelation: z.string() }),
  volunteerName: z.string(),
  since: z.date(),
  status: z.enum(['active', 'review', 'ended']),
  rhythm: Rhythm,
  logs: z.array(z.object({ kind: z.enum(['talk', 'visit']), mode: z.string(), at: z.date(), note: z.string() }))
})

export const VolunteerRow = z.object({ id: z.string(), name: z.string(), kind: z.string(), kindLabel: z.string(), capacity: z.number().int(), active: z.number().int(), vettingState: z.string(), vettingLabel: z.string(), validUntil: z.string().optional() })
const ProposedPairView = z.object({ childId: z.string(), childName: z.string(), volunteerId: z.string(), volunteerName: z.string(), cost: z.number(), explanation: z.string() })
/** A pair the safeguarding rules keep apart, explained in words; `relaxable` pairs an admin may allow with a reason. */
const ExclusionView = z.object({ childId: z.string(), childName: z.string(), volunteerId: z.string(), volunteerName: z.string(), why: z.string(), relaxable: z.boolean() })
const RelaxationView = z.object({ childId: z.string(), childName: z.string(), volunteerId: z.string(), volunteerName: z.string(), reason: z.string(), byName: z.string(), at: z.date() })

/** What a family sees of the volunteer paired with their child, after the volunteer accepted. */
export const FamilyPairingView = z.object({
  id: z.string(),
  childName: z.string(),
  volunteerName: z.string(),
  kindLabel: z.string(),
  agencyLabel: z.string(),
  since: z.date(),
  status: z.enum(['active', 'review']),
  /** The volunteer registered a phone: the family can call through a logged tap. */
  canCall: z.boolean(),
  lastContactAt: z.date().optional()
})

export const pairingContract = {
  /** Counties and their townships, for a volunteer to say where they can visit (public places, no personal data). */
  areas: { input: z.object({}).strict(), output: z.object({ counties: z.array(z.object({ id: z.string(), name: z.string(), townships: z.array(z.object({ id: z.string(), name: z.string() })) })) }) },
  register: { input: VolunteerRegistration, output: z.object({ registered: z.literal(true), vettingLabel: z.string() }) },
  myProfile: { input: z.object({}).strict(), output: z.object({ name: z.string(), kindLabel: z.string(), capacity: z.number().int(), vettingState: z.string(), vettingLabel: z.string(), validUntil: z.string().optional(), code: z.array(z.string()) }) },
  offers: { input: z.object({}).strict(), output: z.object({ offers: z.array(OfferView) }) },
  respond: { input: z.object({ offerId: z.string().min(1), accept: z.boolean(), reason: z.string().trim().max(100).optional() }).strict(), output: z.object({ status: z.enum(['active', 'declined']) }) },
  myPairings: { input: z.object({}).strict(), output: z.object({ pairings: z.array(PairingView) }) },
  logContact: {
    input: z.object({
      pairingId: z.string().min(1),
      kind: z.enum(['talk', 'visit'], { message: '请选择谈心或上门看望' }),
      mode: z.enum(['call', 'video', 'inPerson'], { message: '请选择打电话、视频或当面' }),
      date: DateString,
      note: z.string().trim().min(2, '请简单记一句').max(300, '最多300字'),
      photo: z.string().optional(),
      idempotencyKey: IdempotencyKey
    }).strict().refine((c) => c.kind !== 'visit' || c.mode === 'inPerson', { path: ['mode'], message: '上门看望要当面去；打电话或视频请记为“谈心”' }),
    output: z.object({ rhythm: Rhythm })
  },
  raiseConcern: {
    input: z.object({ pairingId: z.string().min(1), text: z.string().trim().min(4, '请写下看到或听到了什么').max(500, '最多500字'), harm: z.boolean(), idempotencyKey: IdempotencyKey }).strict(),
    output: z.object({ reported: z.boolean(), reportId: z.string().optional() })
  },
  endPairing: { input: z.object({ pairingId: z.string().min(1), reason: z.enum(END_REASONS, { message: '请选择结束原因' }), note: z.string().trim().max(200).optional() }).strict(), output: z.object({ status: z.literal('ended') }) },

  volunteers: { input: z.object({}).strict(), output: z.object({ volunteers: z.array(VolunteerRow) }) },
  recordVetting: { input: VettingInput, output: z.object({ vettingState: z.string(), validUntil: z.string() }) },
  /** The always-on defaults in words, the rules an admin added, and the pairs an admin relaxed (with the reason). */
  safeguarding: {
    input: z.object({}).strict(),
    output: z.object({ defaults: z.array(z.object({ words: z.string(), relaxable: z.boolean() })), rules: z.array(SafeguardingRule), relaxations: z.array(RelaxationView) })
  },
  setSafeguarding: { input: z.object({ rules: z.array(SafeguardingRule).max(10) }).strict(), output: z.object({ rules: z.array(SafeguardingRule) }) },
  runMatching: {
    input: z.object({ townshipId: z.string().optional() }).strict(),
    output: z.object({
      runId: z.string(),
      pairs: z.array(ProposedPairView),
      unmatched: z.array(z.object({ childId: z.string(), childName: z.string(), explanation: z.string() })),
      totals: z.object({ children: z.number().int(), volunteers: z.number().int(), paired: z.number().int(), totalCost: z.number() }),
      /** Volunteers left out of the whole run and why (no valid check). */
      excludedVolunteers: z.array(z.object({ volunteerId: z.string(), volunteerName: z.string(), why: z.string() })),
      /** Pairs the rules kept apart, each explained (at most EXCLUSIONS_SHOWN; `exclusionsTotal` counts them all). */
      exclusions: z.array(ExclusionView),
      exclusionsTotal: z.number().int()
    })
  },
  /** Allows one child and one volunteer despite a relaxable default (the gender rule), with the reason on record. */
  relaxSafeguard: {
    input: z.object({
      childId: z.string().min(1),
      volunteerId: z.string().min(1),
      reason: z.string().trim().min(6, '请写明为什么可以放宽（至少6个字，会记录在案）').max(200, '最多200字')
    }).strict(),
    output: z.object({ relaxed: z.literal(true) })
  },
  sendOffers: { input: z.object({ runId: z.string().min(1), childIds: z.array(z.string().min(1)).min(1, '请至少选一对') }).strict(), output: z.object({ sent: z.number().int() }) },
  areaPairings: { input: z.object({}).strict(), output: z.object({ pairings: z.array(PairingView) }) },

  /** The family (the child's parents and guardians): the volunteer paired with their child, once accepted. */
  familyPairings: { input: z.object({}).strict(), output: z.object({ pairings: z.array(FamilyPairingView) }) },
  /**
   * The other side's number for one call: the family gets the volunteer's, the volunteer the guardian's. A logged
   * reveal (WeChat offers no relayed numbers): the page dials it at once and never shows it.
   */
  callNumber: { input: z.object({ pairingId: z.string().min(1) }).strict(), output: z.object({ name: z.string(), phone: z.string() }) }
} as const

/** The most exclusions a matching run lists (a county can have thousands): the total is given beside them. */
export const EXCLUSIONS_SHOWN = 200
