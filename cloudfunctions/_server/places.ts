import { AppError, type ScopeLevel } from '../../src/domain'
import { _, db, rows } from './cloud'
import { COLLECTIONS } from './collections'
import { allPages, pieces } from './paging'

export interface PlaceDoc {
  _id: string
  kind: 'city' | 'county' | 'township' | 'village' | 'school' | 'station' | 'centre' | 'jurisdiction'
  name: string
  parentId: string | null
  countyId: string | null
  townshipId?: string
}

/** Places are few (a county has some hundreds); one invocation reads what it needs once. */
export class Places {
  private byId = new Map<string, PlaceDoc>()

  async load (ids: readonly string[]): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => id && !this.byId.has(id))
    for (const some of pieces(missing)) {
      const found = await rows<PlaceDoc>(db.collection(COLLECTIONS.places).where({ _id: _.in(some) }).limit(some.length))
      for (const p of found) this.byId.set(p._id, p)
    }
  }

  /** Every place of a county (and the county's city). */
  async loadCounty (countyId: string): Promise<PlaceDoc[]> {
    const all = await allPages<PlaceDoc>(db.collection(COLLECTIONS.places).where({ countyId }))
    for (const p of all) this.byId.set(p._id, p)
    return all
  }

  get (id: string): PlaceDoc | undefined {
    return this.byId.get(id)
  }

  async require (id: string, kind: PlaceDoc['kind'], field: string): Promise<PlaceDoc> {
    await this.load([id])
    const p = this.byId.get(id)
    if (!p || p.kind !== kind) throw new AppError('INVALID_INPUT', '填写的内容有误，请按提示修改', { [field]: '没有这个地方，请重新选择' })
    return p
  }

  name (id: string | undefined | null): string {
    return (id && this.byId.get(id)?.name) || ''
  }

  names (): Record<string, string> {
    return Object.fromEntries([...this.byId.values()].map((p) => [p._id, p.name]))
  }

  /** True when `placeId` is `scopeId` or lies under it (parent chain of loaded places). */
  within (placeId: string, scopeId: string): boolean {
    let cur = this.byId.get(placeId)
    for (let guard = 0; cur && guard < 10; guard++) {
      if (cur._id === scopeId) return true
      cur = cur.parentId ? this.byId.get(cur.parentId) : undefined
    }
    return false
  }
}

export const LEVEL_OF_KIND: Record<PlaceDoc['kind'], ScopeLevel> = {
  city: 'city', county: 'county', township: 'township', village: 'village', school: 'school', station: 'station', centre: 'centre', jurisdiction: 'jurisdiction'
}
