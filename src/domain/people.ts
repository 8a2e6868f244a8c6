import { z } from 'zod'
import { RoleGrant } from './roles'

/** How a family member is related to the child (绑定关系). */
export const RELATIONS = ['father', 'mother', 'grandfather', 'grandmother', 'otherRelative', 'self'] as const
export const Relation = z.enum(RELATIONS)
export type Relation = z.infer<typeof Relation>
export const RELATION_LABELS: Record<Relation, string> = {
  father: '爸爸',
  mother: '妈妈',
  grandfather: '爷爷/外公',
  grandmother: '奶奶/外婆',
  otherRelative: '其他亲属',
  self: '本人'
}

/** A person as stored in `users` (`_id` is their OPENID). */
export const UserDoc = z.object({
  _id: z.string(),
  name: z.string(),
  roles: z.array(RoleGrant),
  /** staff: the mobile number urgent alerts go to by SMS when WeChat cannot deliver them */
  phone: z.string().optional(),
  createdAt: z.date().optional()
})
export type UserDoc = z.infer<typeof UserDoc>
