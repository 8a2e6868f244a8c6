import { z } from 'zod'
import { Relation } from '../people'
import { Category, ChildFields, ChildStatus, Gender, Need, StatusChangeInput, childInput } from '../registry/child'
import { CreateBindingCodeInput, RedeemBindingCodeInput } from '../registry/binding'
import { DELETION_STATES } from '../registry/retention'

/** Every write a retry could repeat carries one. */
export const IdempotencyKey = z.string().min(8, '缺少请求编号').max(64)

const Place = z.object({ id: z.string(), name: z.string() })
const ConsentState = z.enum(['pending', 'granted', 'refused'])

/** A request to delete a child's information, and what became of it. */
export const DeletionView = z.object({
  id: z.string(),
  childId: z.string(),
  childName: z.string(),
  state: z.enum(DELETION_STATES),
  stateLabel: z.string(),
  requestedAt: z.date(),
  requestedByName: z.string(),
  requestedByRelation: z.string(),
  reason: z.string(),
  /** the close of the last working day the county has */
  dueAt: z.date(),
  overdue: z.boolean(),
  doneAt: z.date().optional(),
  doneByName: z.string().optional(),
  /** how many records were deleted, and how many the law keeps (counts, never content) */
  deleted: z.number().int().optional(),
  kept: z.number().int().optional()
})
export type DeletionView = z.infer<typeof DeletionView>

export const ChildFile = z.object({
  id: z.string(),
  view: z.enum(['staff', 'family', 'volunteer']),
  name: z.string(),
  gender: Gender,
  age: z.number().int(),
  /** staff and family only; a volunteer sees the age */
  birthDate: z.string().optional(),
  idNumberMasked: z.string().optional(),
  school: Place,
  className: z.string(),
  village: Place,
  township: Place,
  /** staff only: the grid (网格) is finer than a volunteer needs */
  grid: z.string().optional(),
  guardian: z.object({ name: z.string(), relation: Relation, relationLabel: z.string(), phoneMasked: z.string().optional() }).optional(),
  parents: z.array(z.object({ index: z.number().int(), name: z.string(), relation: z.enum(['father', 'mother']), relationLabel: z.string(), workCity: z.string(), phoneMasked: z.string().optional() })),
  categories: z.array(z.object({ code: Category, label: z.string() })).optional(),
  waivers: z.array(z.object({ code: z.string(), label: z.string(), basis: z.string() })).optional(),
  needs: z.array(z.object({ code: Need, label: z.string() })),
  status: ChildStatus,
  statusLabel: z.string(),
  statusHistory: z.array(z.object({ status: ChildStatus, statusLabel: z.string(), reason: z.string(), effectiveDate: z.string(), byName: z.string() })).optional(),
  /** the last decision, and who made it: either parent or the guardian at home (docs/DOMAIN.md, "Children's personal information") */
  consent: z.object({ state: ConsentState, stateLabel: z.string(), version: z.string().optional(), at: z.date().optional(), byName: z.string().optional(), byRelation: z.string().optional() }),
  /** a family member's request to delete the file, while open or once done */
  deletion: DeletionView.optional(),
  may: z.object({ edit: z.boolean(), revealId: z.boolean(), revealPhone: z.boolean(), makeBindingCode: z.boolean(), consent: z.boolean(), requestDeletion: z.boolean() }),
  /** child-welfare officers and admins of the area: what paired volunteers raised, whole, newest first */
  concerns: z.array(z.object({ at: z.date(), byName: z.string(), text: z.string(), harm: z.boolean() })).optional()
})
export type ChildFile = z.infer<typeof ChildFile>

export const ChildListItem = z.object({
  id: z.string(),
  name: z.string(),
  gender: Gender,
  age: z.number().int(),
  schoolName: z.string(),
  className: z.string(),
  villageName: z.string(),
  status: ChildStatus,
  statusLabel: z.string(),
  categories: z.array(Category),
  consentState: ConsentState,
  guardianName: z.string(),
  guardianPhoneMasked: z.string(),
  /** the last held family call, for "no contact this week" */
  lastHeldCallAt: z.date().optional()
})
export type ChildListItem = z.infer<typeof ChildListItem>

const ListChildrenInput = z.object({
  // A name is searched as text: control characters and broken surrogates are refused, not turned into a pattern.
  // eslint-disable-next-line no-control-regex -- the control characters are what the pattern refuses
  name: z.string().trim().max(20).regex(/^(?:[^\u0000-\u001f\u007f\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/, '名字里有不能识别的字符').optional(),
  schoolId: z.string().optional(),
  /** the township the child lives in: a township outside the caller's areas lists no child */
  townshipId: z.string().optional(),
  status: ChildStatus.optional(),
  category: Category.optional(),
  noContactThisWeek: z.boolean().optional(),
  /** files awaiting the guardian's consent, refused, or granted */
  consent: ConsentState.optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(50).default(20)
}).strict()

export const Duplicate = z.object({ id: z.string(), name: z.string(), birthDate: z.string(), schoolName: z.string(), villageName: z.string(), sameIdNumber: z.boolean() })

/**
 * The places of the caller's scope: what an officer or teacher picks from when registering a child (`mayRegister`),
 * and what any keeper of the registry filters the list by (townships, and the schools of each).
 */
const RegistryOptions = z.object({
  mayRegister: z.boolean(),
  schools: z.array(Place.extend({ townshipId: z.string().optional() })),
  villages: z.array(Place.extend({ townshipName: z.string() })),
  /** the townships whose every child is in the caller's areas (a county's or a township's keeper) */
  townships: z.array(Place)
})

const AccessLogEntry = z.object({
  at: z.date(),
  actorName: z.string(),
  roles: z.array(z.string()),
  action: z.string(),
  what: z.string(),
  childId: z.string().optional(),
  childName: z.string().optional()
})

const createChildInput = <C extends z.ZodTypeAny>(child: C) => z.object({
  child,
  confirmNotDuplicate: z.boolean().default(false),
  idempotencyKey: IdempotencyKey
}).strict()
const updateChildInput = <C extends z.ZodTypeAny>(child: C) => z.object({ childId: z.string().min(1), child }).strict()

/** The registry function's actions (一人一档). */
export const registryContract = {
  options: { input: z.object({}).strict(), output: RegistryOptions },
  createChild: {
    input: createChildInput(ChildFields),
    // "a minor today": the function checks the birth date against the day of the request
    inputAt: (now: Date) => createChildInput(childInput(now)),
    output: z.discriminatedUnion('created', [
      z.object({ created: z.literal(true), childId: z.string() }),
      z.object({ created: z.literal(false), duplicates: z.array(Duplicate) })
    ])
  },
  updateChild: {
    input: updateChildInput(ChildFields),
    inputAt: (now: Date) => updateChildInput(childInput(now)),
    output: z.object({ childId: z.string() })
  },
  changeStatus: { input: z.object({ childId: z.string().min(1), change: StatusChangeInput }).strict(), output: z.object({ status: ChildStatus }) },
  getChild: { input: z.object({ childId: z.string().min(1) }).strict(), output: ChildFile },
  reveal: {
    input: z.object({ childId: z.string().min(1), field: z.enum(['idNumber', 'guardianPhone', 'parentPhone']), parentIndex: z.number().int().min(0).max(1).optional() }).strict(),
    output: z.object({ value: z.string() })
  },
  listChildren: {
    input: ListChildrenInput,
    /** `awaitingConsent`: files of the caller's area still waiting for a guardian's answer, whatever the filters */
    output: z.object({ items: z.array(ChildListItem), total: z.number().int(), page: z.number().int(), pageSize: z.number().int(), awaitingConsent: z.number().int() })
  },
  exportChildren: { input: ListChildrenInput.omit({ page: true, pageSize: true }), output: z.object({ filename: z.string(), csv: z.string(), rows: z.number().int() }) },
  createBindingCode: { input: CreateBindingCodeInput.extend({ idempotencyKey: IdempotencyKey }), output: z.object({ code: z.string(), expiresAt: z.date(), childName: z.string() }) },
  redeemBindingCode: { input: RedeemBindingCodeInput, output: z.object({ childId: z.string(), childName: z.string(), role: z.enum(['parent', 'guardian', 'child']), needsConsent: z.boolean() }) },
  consentForm: {
    input: z.object({ childId: z.string().min(1) }).strict(),
    output: z.object({ childName: z.string(), state: ConsentState, version: z.string(), title: z.string(), sections: z.array(z.object({ heading: z.string(), body: z.string() })) })
  },
  giveConsent: {
    input: z.object({ childId: z.string().min(1), decision: z.enum(['granted', 'refused']), version: z.string().min(1) }).strict(),
    output: z.object({ state: ConsentState })
  },
  /** A parent or guardian asks for the child's information to be deleted; the county's 民政 admin carries it out. */
  requestDeletion: {
    input: z.object({ childId: z.string().min(1), reason: z.string().trim().max(200, '原因最多200字').optional(), idempotencyKey: IdempotencyKey }).strict(),
    output: DeletionView
  },
  /** For a county 民政 admin: the requests of the county, open ones first, and those done lately. */
  deletionRequests: { input: z.object({}).strict(), output: z.object({ requests: z.array(DeletionView), keptByLaw: z.array(z.string()) }) },
  carryOutDeletion: { input: z.object({ requestId: z.string().min(1) }).strict(), output: DeletionView },
  accessLog: {
    input: z.object({ childId: z.string().optional(), page: z.number().int().min(1).default(1), pageSize: z.number().int().min(1).max(50).default(20) }).strict(),
    output: z.object({ items: z.array(AccessLogEntry), page: z.number().int(), hasMore: z.boolean() })
  }
} as const
