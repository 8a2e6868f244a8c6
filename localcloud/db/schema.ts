// How the document store lays collections out in one SQLite file (better-sqlite3, synchronous).
//
// Layout (PRAGMA user_version = SCHEMA_VERSION = 1):
//   _collections(id, name, created)        one row per collection; its documents live in table c<id>
//   c<id>(rid INTEGER PRIMARY KEY, id UNIQUE, doc TEXT)
//        `id` is the document _id with no column type, so 1 and '1' stay different ids (as in MongoDB);
//        `doc` is the storage/reply text of ejson.ts (dates tagged), sent back verbatim when not projected;
//        rid gives the natural (insertion) order of unsorted reads.
//   _indexes(id, collection_id, fields)    one row per ensureIndex(); its keys live in table c<id>_i<n>
//   c<id>_i<n>(k0, k1, …, rid) WITHOUT ROWID, primary key = all columns
//        a MULTIKEY index, as MongoDB has: one row per combination of the indexed fields' values, with an array
//        contributing one row per element (index-keys.ts). A plain SQLite expression index on json_extract
//        cannot see array elements, so `{tags: 'x'}` would miss documents whose tags contain 'x'.
import Database from 'better-sqlite3'
import { DbError, invalidParam } from './errors'
import { splitPath } from './values'

export type DocId = string | number
export type Doc = Record<string, any>

/** One stored document: its row id, _id and encoded text. */
export interface Row { rid: number, id: DocId, doc: string }

export interface Index {
  id: number
  fields: string[]
  parts: string[][]
  tbl: string
  ins: Database.Statement
  del: Database.Statement
  /** Some document gave it more than one key (an array in an indexed field), as MongoDB's multikey flag: never
   * cleared. Its order is then not the database's sort order, so the planner does not sort by it. */
  multikey: boolean
}

export interface Coll {
  id: number
  name: string
  tbl: string
  indexes: Index[]
  byId: Database.Statement
  ins: Database.Statement
  upd: Database.Statement
  del: Database.Statement
  all: Database.Statement
  count: Database.Statement
}

const SCHEMA_VERSION = 1

export class Tables {
  readonly db: Database.Database
  private readonly stmts = new Map<string, Database.Statement>()
  private readonly colls = new Map<string, Coll>()

  constructor (file: string) {
    this.db = new Database(file)
    if (file !== ':memory:' && file !== '') {
      this.db.pragma('journal_mode = WAL')
      this.db.pragma('synchronous = NORMAL')
    }
    const version = this.db.pragma('user_version', { simple: true }) as number
    if (version > SCHEMA_VERSION) throw new Error(`${file} was written by a newer document store (schema ${version} > ${SCHEMA_VERSION})`)
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS _collections (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, created INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS _indexes (id INTEGER PRIMARY KEY, collection_id INTEGER NOT NULL, fields TEXT NOT NULL,
        UNIQUE (collection_id, fields));
    `)
    this.db.pragma(`user_version = ${SCHEMA_VERSION}`)
    for (const r of this.db.prepare('SELECT id, name FROM _collections ORDER BY id').all() as Array<{ id: number, name: string }>) {
      this.loadColl(r.id, r.name)
    }
    for (const r of this.db.prepare('SELECT id, collection_id, fields FROM _indexes ORDER BY id').all() as Array<{ id: number, collection_id: number, fields: string }>) {
      const c = [...this.colls.values()].find((x) => x.id === r.collection_id)
      if (c) c.indexes.push(this.loadIndex(c, r.id, JSON.parse(r.fields)))
    }
  }

  close (): void {
    if (this.db.open) this.db.close()
  }

  /** A cached statement returning rows as arrays (cheaper than objects for long result sets). */
  stmt (sql: string): Database.Statement {
    let s = this.stmts.get(sql)
    if (!s) {
      if (this.stmts.size > 500) this.stmts.clear()
      s = this.db.prepare(sql).raw(true)
      this.stmts.set(sql, s)
    }
    return s
  }

  /** The collection, or DATABASE_COLLECTION_NOT_EXIST as the cloud answers. */
  coll (name: unknown): Coll {
    if (typeof name !== 'string' || name === '') throw invalidParam('collectionName is required')
    const c = this.colls.get(name)
    if (!c) throw new DbError('DATABASE_COLLECTION_NOT_EXIST', `Db or Table not exist: ${name}`)
    return c
  }

  find (name: string): Coll | undefined {
    return this.colls.get(name)
  }

  names (): string[] {
    return [...this.colls.keys()]
  }

  readById (c: Coll, id: DocId): Row | undefined {
    return c.byId.get(id) as Row | undefined
  }

  /** Creates the tables of a new collection (run inside a write). */
  createCollection (name: string, created: number): void {
    const id = Number(this.db.prepare('INSERT INTO _collections (name, created) VALUES (?, ?)').run(name, created).lastInsertRowid)
    this.db.exec(`CREATE TABLE "c${id}" (rid INTEGER PRIMARY KEY, id NOT NULL UNIQUE, doc TEXT NOT NULL)`)
    this.loadColl(id, name)
  }

  /** Creates an empty index table on `fields` (run inside a write; the caller fills it, then adds it to c.indexes). */
  createIndex (c: Coll, fields: string[]): Index {
    const id = Number(this.db.prepare('INSERT INTO _indexes (collection_id, fields) VALUES (?, ?)').run(c.id, JSON.stringify(fields)).lastInsertRowid)
    const tbl = `"c${c.id}_i${id}"`
    const cols = fields.map((_f, i) => `k${i}`)
    this.db.exec(`CREATE TABLE ${tbl} (${cols.join(', ')}, rid INTEGER NOT NULL, PRIMARY KEY (${cols.join(', ')}, rid)) WITHOUT ROWID`)
    return this.loadIndex(c, id, fields)
  }

  private loadColl (id: number, name: string): Coll {
    const tbl = `"c${id}"`
    const c: Coll = {
      id,
      name,
      tbl,
      indexes: [],
      byId: this.db.prepare(`SELECT rid, id, doc FROM ${tbl} WHERE id = ?`),
      ins: this.db.prepare(`INSERT INTO ${tbl} (id, doc) VALUES (?, ?)`),
      upd: this.db.prepare(`UPDATE ${tbl} SET doc = ? WHERE rid = ?`),
      del: this.db.prepare(`DELETE FROM ${tbl} WHERE rid = ?`),
      all: this.db.prepare(`SELECT rid, id, doc FROM ${tbl}`),
      count: this.db.prepare(`SELECT count(*) AS n FROM ${tbl}`)
    }
    this.colls.set(name, c)
    return c
  }

  private loadIndex (c: Coll, id: number, fields: string[]): Index {
    const tbl = `"c${c.id}_i${id}"`
    const cols = fields.map((_f, i) => `k${i}`)
    return {
      id,
      fields,
      parts: fields.map(splitPath),
      tbl,
      ins: this.db.prepare(`INSERT OR IGNORE INTO ${tbl} (${cols.join(', ')}, rid) VALUES (${cols.map(() => '?').join(', ')}, ?)`),
      del: this.db.prepare(`DELETE FROM ${tbl} WHERE ${cols.map((c) => `${c} = ?`).join(' AND ')} AND rid = ?`),
      // An index read back from a file (or just made, still empty) is multikey if any document has two rows in it.
      multikey: this.db.prepare(`SELECT 1 FROM ${tbl} GROUP BY rid HAVING COUNT(*) > 1 LIMIT 1`).get() !== undefined
    }
  }
}
