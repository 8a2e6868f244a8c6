import { db } from './cloud'
import { COLLECTIONS } from './collections'
import type { Caller } from './caller'

interface AuditEntry {
  /** fn.action, e.g. 'registry.getChild' */
  action: string
  /** what was read or changed, in a few plain words */
  what: string
  targetId?: string
}

/** What the log needs of a child: its id and area, so an admin can read the log of their area. */
interface AuditedChild { _id: string, countyId?: string, townshipId?: string }

/**
 * Appends one entry to the access log: who, which children, what, when. The log is append-only: no function
 * updates or removes entries and clients cannot reach the collection. A list read is one entry naming every
 * child it showed, so each child's access history is one query on `childIds`.
 */
export async function audit (caller: Caller, entry: AuditEntry, children: readonly AuditedChild[] = []): Promise<void> {
  await db.collection(COLLECTIONS.auditLog).add({
    data: {
      actor: caller.openid,
      actorName: caller.user?.name ?? '',
      roles: caller.grants.map((g) => g.role),
      ...entry,
      childIds: children.map((c) => c._id),
      countyIds: [...new Set(children.map((c) => c.countyId).filter((x): x is string => Boolean(x)))],
      townshipIds: [...new Set(children.map((c) => c.townshipId).filter((x): x is string => Boolean(x)))],
      at: db.serverDate()
    }
  })
}

/**
 * A timer's entry in the access log: work done on children's files by the system, per area, by count and never by
 * content (no child ids: the files it names are gone).
 */
export async function auditByCount (entry: AuditEntry, area: { countyId?: string, townshipId?: string }): Promise<void> {
  await db.collection(COLLECTIONS.auditLog).add({
    data: {
      actor: 'scheduler', actorName: '系统定时任务', roles: [], ...entry, childIds: [],
      countyIds: area.countyId ? [area.countyId] : [], townshipIds: area.townshipId ? [area.townshipId] : [], at: db.serverDate()
    }
  })
}
