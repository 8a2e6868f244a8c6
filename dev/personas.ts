// The sign-in page's people on the local cloud: everyone in the app's users collection, with their name and
// roles, in _id order. In WeChat a person is known by their WeChat identity; this picker exists only locally.
import { COLLECTIONS } from '../cloudfunctions/_server/collections'
import type { Persona, Personas } from '../localcloud'
import type { DocumentStore } from '../localcloud/db'

export function usersAsPersonas (store: DocumentStore): Personas {
  const persona = (u: Record<string, unknown>): Persona => ({ openid: String(u._id), name: u.name ?? null, roles: u.roles ?? [] })
  return {
    list: () => store.hasCollection(COLLECTIONS.users) ? store.find(COLLECTIONS.users, {}, { sort: { _id: 1 } }).map(persona) : [],
    find: (openid) => {
      const user = store.hasCollection(COLLECTIONS.users) ? store.findById(COLLECTIONS.users, openid) : null
      return user ? persona(user) : undefined
    }
  }
}
