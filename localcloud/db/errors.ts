// Errors the document store raises. `code` is the string name CloudBase puts in a reply's top-level `code`;
// wx-server-sdk maps it to an errCode (docs/LOCALCLOUD.md, "Errors"), so only names it knows (or ones we want to
// surface as -501001 / -1) are used here.

type DbErrorCode =
  | 'INVALID_PARAM' // -501007
  | 'SYS_ERR' // -501001
  | 'DATABASE_REQUEST_FAILED' // -502001
  | 'DATABASE_INVALID_OPERRATOR' // -502002 (sic, the SDK's spelling)
  | 'DATABASE_COLLECTION_NOT_EXIST' // -502005
  | 'DATABASE_COLLECTION_ALREADY_EXIST' // createCollection: errCode -1, string kept in err.code
  | 'DATABASE_TRANSACTION_CONFLICT' // at commit: runTransaction retries; inside an operation: -501001

export class DbError extends Error {
  readonly code: DbErrorCode
  constructor (code: DbErrorCode, message: string) {
    super(message)
    this.code = code
    this.name = 'DbError'
  }
}

export const invalidParam = (message: string): DbError => new DbError('INVALID_PARAM', message)
export const requestFailed = (message: string): DbError => new DbError('DATABASE_REQUEST_FAILED', message)
export const badOperator = (message: string): DbError => new DbError('DATABASE_INVALID_OPERRATOR', message)
export const conflict = (message: string): DbError => new DbError('DATABASE_TRANSACTION_CONFLICT', message)
