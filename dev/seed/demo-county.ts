/**
 * The demo county: 青山县 of 青溪市, two townships, three schools with care rooms (真情关爱室), twenty
 * left-behind children with their guardians at home and parents working in cities, and one person of every
 * role. Everything is invented; phone numbers use the 138-0000 test range.
 */
import type { RoleGrant } from '../../src/domain'

export const COUNTY = 'county-qs'

export const PLACES = [
  { _id: 'city-qx', kind: 'city', name: '青溪市', parentId: null, countyId: null },
  { _id: COUNTY, kind: 'county', name: '青山县', parentId: 'city-qx', countyId: COUNTY },
  { _id: 'tw-sq', kind: 'township', name: '石桥镇', parentId: COUNTY, countyId: COUNTY },
  { _id: 'tw-bs', kind: 'township', name: '白水乡', parentId: COUNTY, countyId: COUNTY },
  { _id: 'vil-sq', kind: 'village', name: '石桥村', parentId: 'tw-sq', countyId: COUNTY, townshipId: 'tw-sq' },
  { _id: 'vil-lx', kind: 'village', name: '岭下村', parentId: 'tw-sq', countyId: COUNTY, townshipId: 'tw-sq' },
  { _id: 'vil-bs', kind: 'village', name: '白水村', parentId: 'tw-bs', countyId: COUNTY, townshipId: 'tw-bs' },
  { _id: 'vil-zk', kind: 'village', name: '竹坑村', parentId: 'tw-bs', countyId: COUNTY, townshipId: 'tw-bs' },
  { _id: 'sch-sq', kind: 'school', name: '石桥镇中心小学', parentId: 'tw-sq', countyId: COUNTY, townshipId: 'tw-sq' },
  { _id: 'sch-bs', kind: 'school', name: '白水乡中心小学', parentId: 'tw-bs', countyId: COUNTY, townshipId: 'tw-bs' },
  { _id: 'sch-qs2', kind: 'school', name: '青山县第二中学', parentId: 'tw-sq', countyId: COUNTY, townshipId: 'tw-sq' },
  { _id: 'station-qs', kind: 'station', name: '青山县心理健康辅导站', parentId: COUNTY, countyId: COUNTY, dutyLine: '0598-5550123', address: '县城人民路18号青少年活动中心二楼' },
  { _id: 'centre-qs', kind: 'centre', name: '青山县法律援助中心', parentId: COUNTY, countyId: COUNTY, city: '青溪市', supervisorId: 'demo-officer-sun', phone: '0598-5550148' },
  // Centres where parents work, for wage and work-injury claims routed there (法律援助法 and the plan's green channel).
  // 厦门's has nobody in 雏燕 yet: a claim of a parent working there stays at the county centre, and the parent is told why.
  { _id: 'centre-xm', kind: 'centre', name: '厦门市思明区法律援助中心', parentId: null, countyId: null, city: '厦门', phone: '0592-2148148' },
  { _id: 'centre-sz', kind: 'centre', name: '深圳市宝安区法律援助中心', parentId: null, countyId: null, city: '深圳', phone: '0755-2779148' },
  { _id: 'jur-sq', kind: 'jurisdiction', name: '青山县公安局石桥派出所', parentId: COUNTY, countyId: COUNTY, townshipId: 'tw-sq' },
  { _id: 'jur-bs', kind: 'jurisdiction', name: '青山县公安局白水派出所', parentId: COUNTY, countyId: COUNTY, townshipId: 'tw-bs' },
  // A second station, so a counsellor of another station can be shown what is not theirs (the county's own station,
  // which children's requests go to, stays station-qs: the first by id).
  // A jurisdiction no demo child lives in (白水乡 keeps no liaison: its reports go to the county's duty officer).
  { _id: 'jur-cg', kind: 'jurisdiction', name: '青山县公安局城关派出所', parentId: COUNTY, countyId: COUNTY },
  { _id: 'station-qs-bs', kind: 'station', name: '白水乡心理辅导点', parentId: 'tw-bs', countyId: COUNTY, dutyLine: '0598-5550456' }
]

export const CARE_ROOMS = [
  // Each room's line is answered by the teacher on duty (a counsellor calls it to reach a child through the school).
  { _id: 'room-sq', schoolId: 'sch-sq', countyId: COUNTY, townshipId: 'tw-sq', name: '石桥镇中心小学真情关爱室', devices: 2, phone: '0598-5550211' },
  { _id: 'room-bs', schoolId: 'sch-bs', countyId: COUNTY, townshipId: 'tw-bs', name: '白水乡中心小学真情关爱室', devices: 1, phone: '0598-5550212' },
  { _id: 'room-qs2', schoolId: 'sch-qs2', countyId: COUNTY, townshipId: 'tw-sq', name: '青山县第二中学真情关爱室', devices: 2, phone: '0598-5550213' }
]

type Grant = Omit<RoleGrant, 'status'> & { status?: RoleGrant['status'] }
interface Person { _id: string, name: string, roles: Grant[], phone?: string }

const school = (id: string) => ({ level: 'school' as const, id })
const county = { level: 'county' as const, id: COUNTY }

export const PEOPLE: Person[] = [
  { _id: 'demo-parent-wang', name: '王建国', roles: [{ role: 'parent' }] },
  { _id: 'demo-parent-li', name: '李秀英', roles: [{ role: 'parent' }] },
  { _id: 'demo-guardian-zhang', name: '张桂兰', roles: [{ role: 'guardian' }] },
  { _id: 'demo-child-xiaoyu', name: '王小雨', roles: [{ role: 'child' }] },
  { _id: 'demo-teacher-chen', name: '陈丽', roles: [{ role: 'teacher', scope: school('sch-sq') }] },
  // A teacher who is also a caring-parent volunteer: one person, several roles.
  { _id: 'demo-teacher-lin', name: '林晓燕', roles: [{ role: 'teacher', scope: school('sch-bs') }, { role: 'volunteer', volunteerKind: 'caringParent', agency: 'womensFederation' }] },
  { _id: 'demo-counselor-liu', name: '刘心怡', roles: [{ role: 'counselor', scope: { level: 'station', id: 'station-qs' } }] },
  { _id: 'demo-counselor-huang', name: '黄明', roles: [{ role: 'counselor', scope: { level: 'station', id: 'station-qs' } }] },
  // The station's head, alerted when a crisis goes unanswered by the counsellors on duty.
  { _id: 'demo-counselor-zhang', name: '张静', roles: [{ role: 'counselor', scope: { level: 'station', id: 'station-qs' } }] },
  { _id: 'demo-lawyer-zheng', name: '郑志远', roles: [{ role: 'lawyer', scope: { level: 'centre', id: 'centre-qs' } }] },
  { _id: 'demo-officer-wu', name: '吴敏', roles: [{ role: 'legalAidOfficer', scope: { level: 'centre', id: 'centre-qs' } }] },
  // The centre's head: told when a green-channel clock runs late.
  { _id: 'demo-officer-sun', name: '孙立新', roles: [{ role: 'legalAidOfficer', scope: { level: 'centre', id: 'centre-qs' } }] },
  { _id: 'demo-lawyer-lin', name: '林雅', roles: [{ role: 'lawyer', scope: { level: 'centre', id: 'centre-qs' } }] },
  // The officer of the 深圳 centre, where 李秀英 works: her work-injury claim is routed there.
  { _id: 'demo-officer-sz', name: '邓海燕', roles: [{ role: 'legalAidOfficer', scope: { level: 'centre', id: 'centre-sz' } }] },
  { _id: 'demo-police-zhou', name: '周建华', roles: [{ role: 'police', scope: { level: 'jurisdiction', id: 'jur-sq' } }] },
  { _id: 'demo-cwo-zhao', name: '赵春梅', roles: [{ role: 'childWelfareOfficer', scope: { level: 'village', id: 'vil-sq' } }] },
  { _id: 'demo-cwo-qian', name: '钱玉芬', roles: [{ role: 'childWelfareOfficer', scope: { level: 'township', id: 'tw-bs' } }] },
  { _id: 'demo-vol-sun', name: '孙丽华', roles: [{ role: 'volunteer', volunteerKind: 'caringParent', agency: 'womensFederation' }] },
  { _id: 'demo-vol-qian', name: '钱德明', roles: [{ role: 'volunteer', volunteerKind: 'elder', agency: 'elderCare' }] },
  { _id: 'demo-vol-zhou', name: '周宇', roles: [{ role: 'volunteer', volunteerKind: 'youth', agency: 'youthLeague' }] },
  { _id: 'demo-vol-he', name: '何静', roles: [{ role: 'volunteer', volunteerKind: 'counselor', agency: 'youthLeague' }] },
  { _id: 'demo-vol-feng', name: '冯志强', roles: [{ role: 'volunteer', volunteerKind: 'entrepreneur', agency: 'youthLeague' }] },
  // A leader the county's 民政 admin invited: his 五个一 counts in the county's list.
  { _id: 'demo-vol-jiang', name: '蒋国平', roles: [{ role: 'volunteer', volunteerKind: 'leader', agency: 'civilAffairs', scope: county, invitedBy: 'demo-admin-xu' }] },
  { _id: 'demo-admin-xu', name: '许文华', roles: [{ role: 'admin', agency: 'civilAffairs', scope: county }] },
  { _id: 'demo-admin-ma', name: '马丽', roles: [{ role: 'admin', agency: 'womensFederation', scope: county }] },
  { _id: 'demo-admin-tang', name: '唐正', roles: [{ role: 'admin', agency: 'justice', scope: county }] },
  { _id: 'demo-admin-guan', name: '关爱华', roles: [{ role: 'admin', agency: 'elderCare', scope: county }] },
  { _id: 'demo-admin-han', name: '韩卫东', roles: [{ role: 'admin', agency: 'publicSecurity', scope: county }, { role: 'admin', agency: 'education', scope: county, status: 'suspended' }] },
  // Beside the first of each: people of the same role in another place, for the object-level permission tests
  // (another township, another family, another station, another centre, another jurisdiction).
  { _id: 'demo-admin-sq', name: '方红', roles: [{ role: 'admin', agency: 'womensFederation', scope: { level: 'township', id: 'tw-sq' } }] },
  { _id: 'demo-admin-bs', name: '邓海燕', roles: [{ role: 'admin', agency: 'womensFederation', scope: { level: 'township', id: 'tw-bs' } }] },
  { _id: 'demo-parent-zhu', name: '朱建华', roles: [{ role: 'parent' }] },
  { _id: 'demo-guardian-zhu', name: '朱兰英', roles: [{ role: 'guardian' }] },
  { _id: 'demo-counselor-luo', name: '罗晓', roles: [{ role: 'counselor', scope: { level: 'station', id: 'station-qs-bs' } }] },
  { _id: 'demo-police-yang', name: '杨军', roles: [{ role: 'police', scope: { level: 'jurisdiction', id: 'jur-cg' } }] }
]

/** Staff give a mobile number when they accept their invitation (urgent alerts go there by SMS); the demo's are in the test range. */
const STAFF_PHONES: Record<string, string> = Object.fromEntries(PEOPLE
  .filter((p) => p.roles.some((r) => !['parent', 'guardian', 'child', 'volunteer'].includes(r.role)))
  .map((p, i) => [p._id, `1380000${String(9001 + i)}`]))
for (const p of PEOPLE) if (STAFF_PHONES[p._id]) p.phone = STAFF_PHONES[p._id]

interface ChildSeed {
  id: string, name: string, gender: 'male' | 'female', birthDate: string, schoolId: string, className: string,
  villageId: string, guardian: [string, string], parents: Array<[string, 'father' | 'mother', string]>, categories?: string[], needs?: string[]
}

// name, guardian [name, relation], parents [name, relation, work city]
const CHILDREN: ChildSeed[] = [
  { id: 'child-01', name: '王小雨', gender: 'female', birthDate: '2016-04-12', schoolId: 'sch-sq', className: '四年级（2）班', villageId: 'vil-sq', guardian: ['张桂兰', 'grandmother'], parents: [['王建国', 'father', '厦门'], ['李秀英', 'mother', '深圳']], categories: ['lowIncome'] },
  { id: 'child-02', name: '王小川', gender: 'male', birthDate: '2018-09-03', schoolId: 'sch-sq', className: '二年级（1）班', villageId: 'vil-sq', guardian: ['张桂兰', 'grandmother'], parents: [['王建国', 'father', '厦门'], ['李秀英', 'mother', '深圳']], categories: ['lowIncome'] },
  { id: 'child-03', name: '陈思琪', gender: 'female', birthDate: '2015-01-20', schoolId: 'sch-sq', className: '五年级（1）班', villageId: 'vil-sq', guardian: ['陈德福', 'grandfather'], parents: [['陈志明', 'father', '福州']], categories: ['registeredPoor'] },
  { id: 'child-04', name: '林浩然', gender: 'male', birthDate: '2014-06-30', schoolId: 'sch-sq', className: '六年级（2）班', villageId: 'vil-lx', guardian: ['林秀珍', 'grandmother'], parents: [['林海', 'father', '东莞'], ['吴芳', 'mother', '东莞']] },
  { id: 'child-05', name: '黄雨欣', gender: 'female', birthDate: '2017-11-08', schoolId: 'sch-sq', className: '三年级（1）班', villageId: 'vil-lx', guardian: ['黄金花', 'grandmother'], parents: [['黄大伟', 'father', '上海']], categories: ['disabled'], needs: ['disability'] },
  { id: 'child-06', name: '刘子轩', gender: 'male', birthDate: '2016-02-14', schoolId: 'sch-sq', className: '四年级（1）班', villageId: 'vil-sq', guardian: ['刘桂英', 'grandmother'], parents: [['刘强', 'father', '广州'], ['何丽', 'mother', '广州']] },
  { id: 'child-07', name: '周佳怡', gender: 'female', birthDate: '2019-05-22', schoolId: 'sch-sq', className: '一年级（3）班', villageId: 'vil-lx', guardian: ['周秀兰', 'grandmother'], parents: [['周军', 'father', '厦门']], categories: ['registeredPoor'] },
  { id: 'child-08', name: '吴俊杰', gender: 'male', birthDate: '2013-08-17', schoolId: 'sch-qs2', className: '初一（4）班', villageId: 'vil-sq', guardian: ['吴德胜', 'grandfather'], parents: [['吴国庆', 'father', '宁波'], ['郑美玲', 'mother', '宁波']] },
  { id: 'child-09', name: '郑欣怡', gender: 'female', birthDate: '2012-12-05', schoolId: 'sch-qs2', className: '初二（1）班', villageId: 'vil-lx', guardian: ['郑玉梅', 'otherRelative'], parents: [['郑建平', 'father', '杭州']], categories: ['lowIncome', 'disabled'] },
  { id: 'child-10', name: '孙浩宇', gender: 'male', birthDate: '2011-03-28', schoolId: 'sch-qs2', className: '初三（2）班', villageId: 'vil-bs', guardian: ['孙桂芳', 'grandmother'], parents: [['孙伟', 'father', '深圳']] },
  { id: 'child-11', name: '马晓婷', gender: 'female', birthDate: '2013-04-09', schoolId: 'sch-qs2', className: '初一（2）班', villageId: 'vil-zk', guardian: ['马永福', 'grandfather'], parents: [['马骏', 'father', '苏州'], ['朱红', 'mother', '苏州']], categories: ['registeredPoor'] },
  { id: 'child-12', name: '朱晨阳', gender: 'male', birthDate: '2016-07-19', schoolId: 'sch-bs', className: '四年级（1）班', villageId: 'vil-bs', guardian: ['朱兰英', 'grandmother'], parents: [['朱建华', 'father', '厦门']] },
  { id: 'child-13', name: '胡可欣', gender: 'female', birthDate: '2017-03-02', schoolId: 'sch-bs', className: '三年级（1）班', villageId: 'vil-bs', guardian: ['胡秀英', 'grandmother'], parents: [['胡明', 'father', '泉州'], ['许丽', 'mother', '泉州']], categories: ['lowIncome'] },
  { id: 'child-14', name: '高子豪', gender: 'male', birthDate: '2015-10-11', schoolId: 'sch-bs', className: '五年级（1）班', villageId: 'vil-zk', guardian: ['高德明', 'grandfather'], parents: [['高峰', 'father', '福州']], needs: ['noHukou'] },
  { id: 'child-15', name: '林诗涵', gender: 'female', birthDate: '2018-01-25', schoolId: 'sch-bs', className: '二年级（1）班', villageId: 'vil-zk', guardian: ['林阿婆', 'grandmother'], parents: [['林建', 'father', '广州'], ['陈静', 'mother', '广州']] },
  { id: 'child-16', name: '何俊熙', gender: 'male', birthDate: '2014-09-14', schoolId: 'sch-bs', className: '六年级（1）班', villageId: 'vil-bs', guardian: ['何金水', 'grandfather'], parents: [['何勇', 'father', '上海']], categories: ['martyrOrEntitled'] },
  { id: 'child-17', name: '罗雨萱', gender: 'female', birthDate: '2019-08-30', schoolId: 'sch-bs', className: '一年级（1）班', villageId: 'vil-zk', guardian: ['罗秀珍', 'grandmother'], parents: [['罗斌', 'father', '深圳'], ['钟燕', 'mother', '深圳']] },
  { id: 'child-18', name: '谢宇航', gender: 'male', birthDate: '2012-05-16', schoolId: 'sch-qs2', className: '初二（3）班', villageId: 'vil-zk', guardian: ['谢福生', 'grandfather'], parents: [['谢东', 'father', '东莞']], categories: ['lowIncome'], needs: ['outOfSchool'] },
  { id: 'child-19', name: '宋佳琪', gender: 'female', birthDate: '2015-12-01', schoolId: 'sch-sq', className: '五年级（2）班', villageId: 'vil-sq', guardian: ['宋桂香', 'grandmother'], parents: [['宋平', 'father', '厦门'], ['曾敏', 'mother', '厦门']] },
  { id: 'child-20', name: '唐子墨', gender: 'male', birthDate: '2017-06-07', schoolId: 'sch-bs', className: '三年级（2）班', villageId: 'vil-bs', guardian: ['唐奶奶', 'grandmother'], parents: [['唐俊', 'father', '温州']] }
]

const TOWNSHIP_OF_VILLAGE: Record<string, string> = { 'vil-sq': 'tw-sq', 'vil-lx': 'tw-sq', 'vil-bs': 'tw-bs', 'vil-zk': 'tw-bs' }

export function childDocs () {
  return CHILDREN.map((c, i) => ({
    _id: c.id,
    name: c.name,
    gender: c.gender,
    birthDate: c.birthDate,
    cityId: 'city-qx',
    countyId: COUNTY,
    townshipId: TOWNSHIP_OF_VILLAGE[c.villageId],
    villageId: c.villageId,
    grid: `第${(i % 3) + 1}网格`, // as the village writes it (the edit form suggests 「第3网格」)
    schoolId: c.schoolId,
    className: c.className,
    guardian: { name: c.guardian[0], relation: c.guardian[1], phone: `1380000${String(1000 + i * 7).padStart(4, '0')}` },
    parents: c.parents.map(([name, relation, workCity], j) => ({ name, relation, workCity, phone: `1380000${String(5000 + i * 7 + j).padStart(4, '0')}` })),
    categories: c.categories ?? [],
    needs: c.needs ?? [],
    status: 'leftBehind',
    // Most demo families consented on paper when their files were made (the version records that); the last two
    // files wait for the guardian, to show the consent step.
    consent: i < 18 ? { state: 'granted', version: 'paper-2026', at: new Date('2026-09-01T02:00:00Z') } : { state: 'pending' }
  }))
}

const ROLE_OF_RELATION: Record<string, 'parent' | 'guardian' | 'child'> = { father: 'parent', mother: 'parent', grandmother: 'guardian', grandfather: 'guardian', otherRelative: 'guardian', self: 'child' }

/** Who is bound to which child in the demo (parent/guardian accounts and the child's own account). */
export const BINDINGS = [
  { childId: 'child-01', openid: 'demo-parent-wang', relation: 'father' },
  { childId: 'child-02', openid: 'demo-parent-wang', relation: 'father' },
  { childId: 'child-01', openid: 'demo-parent-li', relation: 'mother' },
  { childId: 'child-02', openid: 'demo-parent-li', relation: 'mother' },
  { childId: 'child-01', openid: 'demo-guardian-zhang', relation: 'grandmother' },
  { childId: 'child-02', openid: 'demo-guardian-zhang', relation: 'grandmother' },
  { childId: 'child-01', openid: 'demo-child-xiaoyu', relation: 'self' },
  // A second family: 朱晨阳's father (白水乡).
  { childId: 'child-12', openid: 'demo-parent-zhu', relation: 'father' },
  { childId: 'child-12', openid: 'demo-guardian-zhu', relation: 'grandmother' }
].map((b) => ({ _id: `${b.childId}:${b.openid}`, role: ROLE_OF_RELATION[b.relation], ...b }))

/** The county station's duty order (first is on duty now) and its supervisor. */
export const DUTY_ROSTERS = [
  { _id: 'station-qs', order: ['demo-counselor-liu', 'demo-counselor-huang'], supervisor: 'demo-counselor-zhang' },
  { _id: 'station-qs-bs', order: ['demo-counselor-luo'], supervisor: 'demo-counselor-luo' }
]

/** Each counsellor's station; their hours start from the default and they change them on their page. */
export const COUNSELOR_PROFILES = [
  ...['demo-counselor-liu', 'demo-counselor-huang', 'demo-counselor-zhang'].map((id) => ({ _id: id, stationId: 'station-qs' })),
  { _id: 'demo-counselor-luo', stationId: 'station-qs-bs' }
]

/** Volunteer lawyers' declared specialties and conflicts (people they must not act against or for). */
export const LAWYER_PROFILES = [
  { _id: 'demo-lawyer-zheng', centreId: 'centre-qs', specialties: ['maintenance', 'guardianship', 'abuseOrViolence'], conflicts: [] },
  { _id: 'demo-lawyer-lin', centreId: 'centre-qs', specialties: ['parentWages', 'parentWorkInjury', 'injury', 'bullying'], conflicts: ['刘强'] }
]

/**
 * Volunteers' registrations; 孙丽华 and 林晓燕 are vetted, 钱德明 (a retired teacher) waits for his check. The phone
 * is for the family of a paired child to call them (a logged reveal, never shown before the pairing is accepted).
 */
export const VOLUNTEER_PROFILES = [
  { _id: 'demo-vol-sun', phone: '13800009101', kind: 'caringParent', agency: 'womensFederation', gender: 'female', townshipIds: ['tw-sq'], capacity: 2, freeDays: [6, 7], skills: ['tutoring', 'companionship'], dialects: ['闽北话'], vetting: { checkDate: '2026-03-01', result: 'clear', checkedBy: '青山县公安局' } },
  { _id: 'demo-teacher-lin', phone: '13800009102', kind: 'caringParent', agency: 'womensFederation', gender: 'female', townshipIds: ['tw-bs'], capacity: 1, freeDays: [6], skills: ['tutoring'], dialects: [], vetting: { checkDate: '2026-06-10', result: 'clear', checkedBy: '青山县公安局' } },
  { _id: 'demo-vol-qian', phone: '13800009103', kind: 'elder', agency: 'elderCare', gender: 'male', townshipIds: ['tw-sq', 'tw-bs'], capacity: 3, freeDays: [1, 2, 3, 4, 5], skills: ['tutoring', 'reading', 'safety'], dialects: ['闽北话'] },
  { _id: 'demo-vol-zhou', phone: '13800009104', kind: 'youth', agency: 'youthLeague', gender: 'male', townshipIds: ['tw-sq'], capacity: 1, freeDays: [6, 7], skills: ['arts'], dialects: [] },
  { _id: 'demo-vol-he', phone: '13800009105', kind: 'counselor', agency: 'youthLeague', gender: 'female', townshipIds: ['tw-sq', 'tw-bs'], capacity: 2, freeDays: [3, 6], skills: ['counselling'], dialects: [] },
  { _id: 'demo-vol-feng', phone: '13800009106', kind: 'entrepreneur', agency: 'youthLeague', gender: 'male', townshipIds: ['tw-bs'], capacity: 1, freeDays: [7], skills: [], dialects: [] },
  { _id: 'demo-vol-jiang', phone: '13800009107', kind: 'leader', agency: 'civilAffairs', gender: 'male', townshipIds: ['tw-sq'], capacity: 1, freeDays: [6], skills: [], dialects: [] }
].map((p) => ({ ...p, codeAgreedAt: new Date('2026-03-01T02:00:00Z') }))
