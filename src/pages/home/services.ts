import type { Agency, Role } from '../../domain'

const ASKERS: Role[] = ['child', 'parent', 'guardian', 'teacher', 'volunteer']
const REPORTERS: Role[] = ['teacher', 'volunteer', 'counselor', 'childWelfareOfficer', 'parent', 'guardian', 'admin', 'lawyer', 'legalAidOfficer']

/**
 * One service on a home's grid. `glyph` is its icon: one character on a coloured tile, which renders the same in
 * WeChat and h5 at no cost to the main package (NutUI's font icons do not render in the mini-program). `rare`
 * services wait under 「更多」 for the roles that seldom need them.
 */
export interface Service {
  label: string
  url: string
  roles: Role[]
  testId: string
  glyph: string
  tone: 'orange' | 'blue' | 'green' | 'red' | 'purple' | 'teal' | 'grey'
  rare?: boolean | Role[]
  leaderOnly?: boolean
  agency?: Agency
}

/** A subpackage page's path. */
const at = (area: string, page: string): string => `/packages/${area}/pages/${page}/index`

/** Every area a role opens, in the order a person of that role most needs them. */
export const SERVICES: Service[] = [
  { label: '约和孩子通话', url: at('hotline', 'book'), roles: ['parent', 'guardian'], testId: 'entry-hotline', glyph: '话', tone: 'orange' },
  { label: '我的通话预约', url: at('hotline', 'bookings'), roles: ['parent', 'guardian'], testId: 'entry-bookings', glyph: '约', tone: 'orange' },
  { label: '确认家里电话', url: at('hotline', 'confirm'), roles: ['guardian'], testId: 'entry-confirm', glyph: '确', tone: 'green' },
  { label: '记下家里电话', url: at('hotline', 'direct'), roles: ['parent'], testId: 'entry-direct', glyph: '记', tone: 'green' },
  { label: '今天的通话', url: at('hotline', 'sheet'), roles: ['teacher'], testId: 'entry-sheet', glyph: '话', tone: 'orange' },
  { label: '关爱室设置', url: at('hotline', 'room'), roles: ['teacher'], testId: 'entry-room', glyph: '室', tone: 'grey', rare: true },
  { label: '求助队列', url: at('counseling', 'queue'), roles: ['counselor'], testId: 'entry-counsel-queue', glyph: '心', tone: 'purple' },
  { label: '值班表', url: at('counseling', 'roster'), roles: ['counselor'], testId: 'entry-roster', glyph: '班', tone: 'teal' },
  { label: '法律援助申请', url: at('legalaid', 'queue'), roles: ['legalAidOfficer'], testId: 'entry-la-queue', glyph: '法', tone: 'blue' },
  { label: '本中心律师', url: at('legalaid', 'lawyers'), roles: ['legalAidOfficer'], testId: 'entry-la-lawyers', glyph: '律', tone: 'teal' },
  { label: '我办的案件', url: at('legalaid', 'cases'), roles: ['lawyer'], testId: 'entry-la-cases', glyph: '案', tone: 'blue' },
  { label: '专长和冲突', url: at('legalaid', 'lawyer'), roles: ['lawyer'], testId: 'entry-la-profile', glyph: '律', tone: 'teal' },
  { label: '强制报告', url: at('safeguard', 'queue'), roles: ['police', 'admin'], testId: 'entry-report-queue', glyph: '警', tone: 'red' },
  { label: '结对邀请', url: at('pairing', 'offers'), roles: ['volunteer'], testId: 'entry-offers', glyph: '邀', tone: 'orange' },
  { label: '结对的孩子', url: at('pairing', 'pairing'), roles: ['volunteer'], testId: 'entry-pairings', glyph: '伴', tone: 'green' },
  { label: '“五个一”', url: at('oversight', 'duties'), roles: ['volunteer'], testId: 'entry-duties', glyph: '五', tone: 'red', leaderOnly: true },
  { label: '登记和审查', url: at('pairing', 'profile'), roles: ['volunteer'], testId: 'entry-vol-profile', glyph: '审', tone: 'grey', rare: true },
  { label: '儿童档案', url: at('registry', 'list'), roles: ['teacher', 'childWelfareOfficer', 'admin'], testId: 'entry-registry', glyph: '档', tone: 'blue' },
  { label: '督导数据', url: at('oversight', 'index'), roles: ['admin'], testId: 'entry-oversight', glyph: '督', tone: 'blue' },
  { label: '志愿者审查', url: at('pairing', 'volunteers'), roles: ['admin'], testId: 'entry-volunteers', glyph: '审', tone: 'teal' },
  { label: '结对匹配', url: at('pairing', 'matching'), roles: ['admin'], testId: 'entry-matching', glyph: '配', tone: 'orange' },
  { label: '结对情况', url: at('pairing', 'area'), roles: ['admin', 'childWelfareOfficer'], testId: 'entry-area-pairings', glyph: '伴', tone: 'green' },
  { label: '删除申请', url: at('admin', 'deletions'), roles: ['admin'], testId: 'entry-deletions', glyph: '删', tone: 'red', agency: 'civilAffairs' },
  { label: '超时的申请', url: at('legalaid', 'stuck'), roles: ['admin'], testId: 'entry-la-stuck', glyph: '法', tone: 'red', agency: 'justice' },
  { label: '找人聊聊', url: at('counseling', 'ask'), roles: ASKERS, testId: 'entry-counsel', glyph: '聊', tone: 'purple', rare: ['teacher', 'volunteer'] },
  { label: '我的心理求助', url: at('counseling', 'mine'), roles: ASKERS, testId: 'entry-counsel-mine', glyph: '心', tone: 'purple', rare: true },
  { label: '申请法律援助', url: at('legalaid', 'apply'), roles: ['guardian', 'parent', 'childWelfareOfficer'], testId: 'entry-legalaid', glyph: '法', tone: 'blue', rare: ['parent'] },
  { label: '我的法律援助', url: at('legalaid', 'mine'), roles: ['guardian', 'parent', 'childWelfareOfficer'], testId: 'entry-la-mine', glyph: '援', tone: 'blue', rare: ['parent', 'childWelfareOfficer'] },
  { label: '爱心志愿者', url: at('pairing', 'family'), roles: ['guardian', 'parent'], testId: 'entry-family-volunteer', glyph: '爱', tone: 'red', rare: ['parent'] },
  { label: '报告孩子受伤害', url: at('safeguard', 'report'), roles: REPORTERS, testId: 'entry-report', glyph: '报', tone: 'red', rare: ['parent', 'guardian', 'admin', 'lawyer', 'legalAidOfficer'] },
  { label: '我提交的报告', url: at('safeguard', 'mine'), roles: REPORTERS, testId: 'entry-report-mine', glyph: '报', tone: 'grey', rare: true },
  { label: '邀请工作人员', url: at('admin', 'staff'), roles: ['admin'], testId: 'entry-staff', glyph: '邀', tone: 'teal', rare: true },
  { label: '访问记录', url: at('admin', 'access-log'), roles: ['admin'], testId: 'entry-access-log', glyph: '查', tone: 'grey', rare: true },
  { label: '节假日安排', url: at('admin', 'holidays'), roles: ['admin'], testId: 'entry-holidays', glyph: '假', tone: 'grey', rare: true }
]

/** Whether a service waits under 「更多」 for a person with these active roles: rare for every role of theirs it serves. */
export function isRare (s: Service, active: ReadonlySet<Role>): boolean {
  if (s.rare === true) return true
  if (!s.rare) return false
  const rareFor = s.rare
  return s.roles.filter((r) => active.has(r)).every((r) => rareFor.includes(r))
}
