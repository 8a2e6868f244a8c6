import { z } from 'zod'
import { DateString } from '../registry/fields'

/**
 * 强制报告 (金盾护航; 未成年人保护法 第十一条; 最高检等《关于建立侵害未成年人案件强制报告制度的意见（试行）》, 2020).
 * Anyone in close contact with a child reports suspected harm at once to the police, with copies to civil affairs
 * and education. A report cannot be edited or deleted, only added to; every entry carries the hash of the one
 * before, so a changed entry shows.
 */
export const HARM_KINDS = ['sexualAbuse', 'physicalAbuse', 'neglect', 'abandonment', 'trafficking', 'selfHarm', 'seriousInjury', 'missing', 'abuse', 'other'] as const
export const HarmKind = z.enum(HARM_KINDS, { message: '请选择是哪种情况' })
export type HarmKind = z.infer<typeof HarmKind>
export const HARM_KIND_LABELS: Record<HarmKind, string> = {
  sexualAbuse: '性侵害',
  physicalAbuse: '身体伤害、虐待',
  neglect: '疏于照料、冻饿',
  abandonment: '遗弃',
  trafficking: '拐卖、被胁迫',
  selfHarm: '自伤、自杀',
  seriousInjury: '严重受伤',
  missing: '走失、失踪',
  abuse: '受到伤害（待核实）',
  other: '其他侵害'
}

/**
 * A child the reporter cannot pick from a list (not registered, or not theirs to look up: a police officer, a
 * counsellor, a lawyer, a neighbour who is a parent elsewhere): named, placed in a township so the report reaches
 * that jurisdiction's police, and described so they can find the child. A report is never blocked by a missing list.
 */
export const UnlistedChild = z.object({
  name: z.string().trim().min(1, '请写下孩子的名字或称呼').max(20, '最多20字'),
  townshipId: z.string().min(1, '请选择孩子在哪个乡镇'),
  about: z.string().trim().max(200, '最多200字').optional()
}).strict()
export type UnlistedChild = z.infer<typeof UnlistedChild>

/** Which child: one picked from a list (childId) or one described (unlistedChild), never both, never neither. */
export const ReportInput = z.object({
  childId: z.string().min(1, '请选择是哪个孩子').optional(),
  unlistedChild: UnlistedChild.optional(),
  kinds: z.array(HarmKind).min(1, '请至少选择一种情况').max(HARM_KINDS.length),
  seen: z.string().trim().min(4, '请写下看到或听到了什么').max(1000, '最多1000字'),
  when: DateString,
  where: z.string().trim().min(2, '请写下在哪里').max(100, '最多100字'),
  dangerNow: z.boolean({ message: '请选择孩子现在是否有危险' })
}).strict().superRefine((r, ctx) => {
  if (r.childId === undefined && r.unlistedChild === undefined) ctx.addIssue({ code: 'custom', path: ['childId'], message: '请选择是哪个孩子，或写下孩子的名字' })
  if (r.childId !== undefined && r.unlistedChild !== undefined) ctx.addIssue({ code: 'custom', path: ['childId'], message: '一次只报告一个孩子' })
  // Run alongside the other fields' errors (zod skips refinements after a type error), so the form names them all.
}, { when: (p) => typeof p.value === 'object' && p.value !== null })

export const POLICE_ACTIONS = ['visited', 'handedTo', 'caseOpened', 'noHarm'] as const
export const POLICE_ACTION_LABELS = { visited: '已上门核查', handedTo: '已移交相关部门', caseOpened: '已立案侦查', noHarm: '经核查未发现侵害' } as const
export const INTERVENTIONS = ['temporaryCare', 'guardianWarned', 'guardianshipChanged'] as const
export const INTERVENTION_LABELS = { temporaryCare: '临时监护（救助保护）', guardianWarned: '对监护人训诫、督促', guardianshipChanged: '申请变更监护人' } as const

/** A report's state as its reporter and handlers read it. */
export const REPORT_STATE_LABELS = { awaitingDelivery: '正在送达', delivered: '已送达公安，等待接收', acknowledged: '公安已接收，正在处理', handled: '已处理', closed: '已办结' } as const

/** How long the police have to acknowledge before the next in the chain is alerted (configurable). */
export const REPORT_ACK_MINUTES = 30

export interface ChainEntry { seq: number, at: string, kind: string, by: string, data: Record<string, unknown>, prevHash: string, hash: string }

/**
 * The canonical text an entry's hash covers: its fields in a fixed order, nested keys sorted, so the same entry always
 * hashes the same. `sha256` is passed in (node:crypto on the server), keeping the domain free of I/O.
 */
export function canonical (e: Omit<ChainEntry, 'hash'>): string {
  const sort = (v: unknown): unknown => Array.isArray(v) ? v.map(sort) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])])) : v
  return JSON.stringify([e.seq, e.at, e.kind, e.by, sort(e.data), e.prevHash])
}

export const GENESIS = '0'.repeat(64)

/** The first entry whose hash or link does not hold, or null when the chain is whole. */
export function brokenAt (entries: readonly ChainEntry[], sha256: (s: string) => string): number | null {
  let prev = GENESIS
  const sorted = [...entries].sort((a, b) => a.seq - b.seq)
  for (let i = 0; i < sorted.length; i++) {
    const e = sorted[i]
    if (e.seq !== i || e.prevHash !== prev || sha256(canonical(e)) !== e.hash) return e.seq
    prev = e.hash
  }
  return null
}
