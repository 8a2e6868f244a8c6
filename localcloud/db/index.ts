// The document store of the local cloud: CloudBase's database as wx-server-sdk uses it, on SQLite.
//   store.ts      DocumentStore: collections, multikey indexes, reads, writes, snapshot transactions (direct API)
//   wire.ts       createDatabaseService(store).handle(action, body) for the gateway's POST /admin database.* actions
//   query.ts / update.ts / projection.ts / aggregate.ts   MongoDB semantics of queries, updates, field(), aggregate()
//   ejson.ts      request EJSON parsing and the storage/reply text form (dates tagged)
export { DocumentStore } from './store'
export { createDatabaseService } from './wire'
export type { DatabaseService } from './wire'
