import { db } from './cloud'
import { COLLECTIONS } from './collections'
import type { Caller } from './caller'

export interface AuditEntry {
  /** fn.action, e.g. 'account.whoami' */
  action: string
  /** what was read or changed, in a few words */
  what: string
  childId?: string
  targetId?: string
}

/**
 * Appends to the access log. The log is append-only: no function updates or removes its entries, and the
 * collection is closed to clients. One entry per child read, so a child's history of access is a single query.
 */
export async function audit (caller: Caller, entry: AuditEntry, childIds?: string[]): Promise<void> {
  const base = { actor: caller.openid, actorName: caller.user?.name ?? '', roles: caller.grants.map((g) => g.role), at: db.serverDate() }
  const ids = childIds && childIds.length > 0 ? childIds : [entry.childId]
  const docs = ids.map((childId) => ({ ...base, ...entry, ...(childId ? { childId } : {}) }))
  await db.collection(COLLECTIONS.auditLog).add({ data: docs.length === 1 ? docs[0] : docs } as any)
}
