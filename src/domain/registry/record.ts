import type { Relation } from '../people'
import type { Category, ChildStatus, Gender, Need } from './child'
import { CATEGORY_LABELS, NEED_LABELS, STATUS_LABELS, effectiveStatus, waiversFor } from './child'
import { CONSENT_STATE_LABELS } from './consent'
import { maskIdNumber, maskPhone } from './fields'
import { RELATION_LABELS } from '../people'
import { ageOn } from '../time'
import { toDateKey } from '../calendar/dates'
import type { ChildView } from './access'
import type { ChildFile, ChildListItem } from '../contracts/registry'

/** A child's file as stored in `children` (一人一档). */
export interface ChildRecord {
  _id: string
  name: string
  gender: Gender
  birthDate: string
  idNumber?: string
  schoolId: string
  className: string
  villageId: string
  townshipId: string
  countyId: string
  cityId?: string
  grid?: string
  /** The child's own phone (a phone watch, an old phone), when the family gave one: a counsellor calls it first in a crisis. */
  phone?: string
  guardian?: { name: string, relation: Relation, phone?: string }
  parents?: Array<{ name: string, relation: 'father' | 'mother', workCity: string, phone?: string }>
  categories?: Category[]
  needs?: Need[]
  status: ChildStatus
  statusHistory?: Array<{ status: ChildStatus, reason: string, effectiveDate: string, byName: string, at?: Date }>
  consent?: { state: 'pending' | 'granted' | 'refused', version?: string, at?: Date, by?: string, byName?: string, byRelation?: Relation }
  lastHeldCallAt?: Date
  /** when the file was made: weeks before it never count against anyone (docs/DOMAIN.md, "Contact rhythm") */
  createdAt?: Date
}

interface ViewContext {
  now: Date
  placeName: (id: string | undefined) => string
  may: ChildFile['may']
}

/**
 * What each view shows of a file (PIPL: only what the duty needs). ID and phone numbers are always masked here;
 * whole numbers come only through the logged "reveal". A volunteer gets no ID number, no birth date, no grid, no
 * categories or waivers (poverty is not theirs to know), no status history.
 */
export function childFileView (c: ChildRecord, view: ChildView, ctx: ViewContext): ChildFile {
  const status = effectiveStatus(c.status, c.birthDate, ctx.now)
  const full = view !== 'volunteer'
  const consentState = c.consent?.state ?? 'pending'
  return {
    id: c._id,
    view,
    name: c.name,
    gender: c.gender,
    age: ageOn(c.birthDate, ctx.now),
    birthDate: full ? c.birthDate : undefined,
    idNumberMasked: full && c.idNumber ? maskIdNumber(c.idNumber) : undefined,
    school: { id: c.schoolId, name: ctx.placeName(c.schoolId) },
    className: c.className,
    village: { id: c.villageId, name: ctx.placeName(c.villageId) },
    township: { id: c.townshipId, name: ctx.placeName(c.townshipId) },
    grid: view === 'staff' ? c.grid : undefined,
    guardian: c.guardian ? { name: c.guardian.name, relation: c.guardian.relation, relationLabel: RELATION_LABELS[c.guardian.relation], phoneMasked: c.guardian.phone ? maskPhone(c.guardian.phone) : undefined } : undefined,
    parents: (c.parents ?? []).map((p, index) => ({ index, name: p.name, relation: p.relation, relationLabel: RELATION_LABELS[p.relation], workCity: p.workCity, phoneMasked: p.phone ? maskPhone(p.phone) : undefined })),
    categories: full ? (c.categories ?? []).map((code) => ({ code, label: CATEGORY_LABELS[code] })) : undefined,
    waivers: full ? waiversFor(c.categories ?? []).map((w) => ({ ...w })) : undefined,
    needs: (c.needs ?? []).map((code) => ({ code, label: NEED_LABELS[code] })),
    status,
    statusLabel: STATUS_LABELS[status],
    statusHistory: full ? (c.statusHistory ?? []).map((h) => ({ status: h.status, statusLabel: STATUS_LABELS[h.status], reason: h.reason, effectiveDate: h.effectiveDate, byName: h.byName })) : undefined,
    consent: {
      state: consentState, stateLabel: CONSENT_STATE_LABELS[consentState], version: c.consent?.version, at: c.consent?.at,
      byName: c.consent?.byName, byRelation: c.consent?.byRelation ? RELATION_LABELS[c.consent.byRelation] : undefined
    },
    may: ctx.may
  }
}

export function childListItem (c: ChildRecord, now: Date, placeName: (id: string | undefined) => string): ChildListItem {
  const status = effectiveStatus(c.status, c.birthDate, now)
  return {
    id: c._id,
    name: c.name,
    gender: c.gender,
    age: ageOn(c.birthDate, now),
    schoolName: placeName(c.schoolId),
    className: c.className,
    villageName: placeName(c.villageId),
    status,
    statusLabel: STATUS_LABELS[status],
    categories: c.categories ?? [],
    consentState: c.consent?.state ?? 'pending',
    guardianName: c.guardian?.name ?? '',
    guardianPhoneMasked: c.guardian?.phone ? maskPhone(c.guardian.phone) : '',
    lastHeldCallAt: c.lastHeldCallAt
  }
}

/**
 * The registry list as CSV (UTF-8 with BOM so Excel shows Chinese). Masked: an export leaves the system. A file without
 * the guardian's consent leaves only as the minimum record the law requires (the left-behind register and the
 * categories for fee waivers): no guardian, no phone, no call record (docs/DOMAIN.md, "Children's personal information").
 */
export function childrenCsv (items: readonly ChildListItem[]): string {
  const header = ['姓名', '性别', '年龄', '学校', '班级', '村', '留守状态', '困难类别', '监护人同意', '监护人', '监护人电话', '最近通话']
  const cell = (v: string | number) => {
    const s = String(v)
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
  }
  const lines = items.map((i) => {
    const full = i.consentState === 'granted'
    return [
      i.name, i.gender === 'male' ? '男' : '女', i.age, i.schoolName, i.className, i.villageName, i.statusLabel,
      i.categories.map((c) => CATEGORY_LABELS[c]).join('、'), CONSENT_STATE_LABELS[i.consentState],
      full ? i.guardianName : '', full ? i.guardianPhoneMasked : '',
      full && i.lastHeldCallAt ? toDateKey(i.lastHeldCallAt) : ''
    ].map(cell).join(',')
  })
  return '\ufeff' + [header.join(','), ...lines].join('\r\n') + '\r\n'
}
