import { AppError, registryContract } from '../../src/domain'
import { _, db, rows } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import { pieces } from '../_server/paging'
import { action } from '../_server/router'

interface LogDoc { at: Date, actorName: string, roles: string[], action: string, what: string, childIds: string[] }

/** An admin reads the access log of their area (county or township); nobody can change it. */
export const accessLog = action({
  contract: registryContract.accessLog,
  allowed: ['admin'],
  async handler (input, caller) {
    const areas = caller.grants.filter((g) => g.role === 'admin' && g.scope && (g.scope.level === 'county' || g.scope.level === 'township'))
    if (areas.length === 0) throw new AppError('FORBIDDEN', '只有县、乡镇的管理员可以查看访问记录')
    const inArea = _.or(areas.map((g) => (g.scope!.level === 'county' ? { countyIds: g.scope!.id } : { townshipIds: g.scope!.id })))
    const where = input.childId ? _.and([inArea, { childIds: input.childId }]) : inArea
    const page = await rows<LogDoc>(db.collection(COLLECTIONS.auditLog).where(where).orderBy('at', 'desc').skip((input.page - 1) * input.pageSize).limit(input.pageSize + 1))
    const shown = page.slice(0, input.pageSize)
    const childIds = [...new Set(shown.flatMap((e) => e.childIds ?? []))]
    // An entry is picked by any child of the area it touched; a list read may also have touched children of other
    // areas, and those stay out: an admin reads the log of their own area's children only.
    const mine = new Map<string, string>()
    for (const some of pieces(childIds)) {
      const docs = await rows<{ _id: string, name: string, countyId?: string, townshipId?: string }>(db.collection(COLLECTIONS.children).where({ _id: _.in(some) }).field({ name: true, countyId: true, townshipId: true }).limit(some.length))
      for (const d of docs) {
        if (areas.some((g) => (g.scope!.level === 'county' ? d.countyId === g.scope!.id : d.townshipId === g.scope!.id))) mine.set(d._id, d.name)
      }
    }
    // One row per child of the area an entry touched, so a list read shows every such child it showed.
    const items = shown.flatMap((e) => (e.childIds ?? []).filter((childId) => mine.has(childId))
      .map((childId) => ({ at: e.at, actorName: e.actorName, roles: e.roles, action: e.action, what: e.what, childId, childName: mine.get(childId) })))
    return { items, page: input.page, hasMore: page.length > input.pageSize }
  }
})
