import { AppError, activeGrants, type Role, type RoleGrant, type UserDoc } from '../../src/domain'
import { cloud, db, rows } from './cloud'
import { COLLECTIONS } from './collections'

/** Who is calling, from WeChat's own OPENID (never from the request). */
export interface Caller {
  openid: string
  user: UserDoc | null
  grants: RoleGrant[]
}

function callerOpenid (): string {
  const ctx = cloud.getWXContext() as { OPENID?: string | number }
  // getWXContext turns digit-only values into numbers; an OPENID is a string id either way.
  const openid = ctx.OPENID === undefined || ctx.OPENID === null ? '' : String(ctx.OPENID)
  if (!openid) throw new AppError('UNAUTHENTICATED', '请先登录')
  return openid
}

export async function loadCaller (): Promise<Caller> {
  const openid = callerOpenid()
  const [user = null] = await rows<UserDoc>(db.collection(COLLECTIONS.users).where({ _id: openid }).limit(1))
  return { openid, user, grants: user ? activeGrants(user.roles ?? []) : [] }
}

/** Which callers an action admits: anyone with an OPENID, any registered person, or holders of these roles. */
export type Allowed = 'anyone' | 'registered' | readonly Role[]

/** Refuses before the handler reads anything. */
export function authorize (caller: Caller, allowed: Allowed): void {
  if (allowed === 'anyone') return
  if (!caller.user) throw new AppError('NOT_REGISTERED', '您还没有登记，请联系村里的儿童主任或学校老师')
  if (allowed === 'registered') return
  if (!caller.grants.some((g) => allowed.includes(g.role))) throw new AppError('FORBIDDEN', '您没有权限做这件事')
}
