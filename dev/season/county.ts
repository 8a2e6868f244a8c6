/**
 * A generated county for a simulated season: more townships, schools with care rooms, police stations and
 * child-welfare officers beside the demo county, left-behind children with a guardian at home and a parent working
 * in a city, vetted volunteers of each kind. Everything is drawn from a seeded PRNG, so one seed gives one county.
 * These are the documents a county's registry holds before the season starts (seeding writes the store; what people
 * do in the season goes through the functions).
 */
import { COUNTY } from '../seed/demo-county'

// One seeded PRNG for tests, benchmarks and the season: the same seed gives the same county and the same season.
import { prng } from '../../test/support/prng'
export { prng }

/** How a parent keeps (or does not keep) the weekly call (docs/DOMAIN.md, "Contact rhythm"). */
export type Habit = 'weekly' | 'whenNudged' | 'nightShift' | 'never' | 'direct'
const HABITS: Array<[Habit, number]> = [['weekly', 0.42], ['whenNudged', 0.2], ['nightShift', 0.13], ['never', 0.08], ['direct', 0.17]]

export interface SimChild {
  id: string
  name: string
  parent: string
  guardian: string
  /** the child's own account, for the few who use the app themselves */
  self?: string
  habit: Habit
  schoolId: string
  roomId: string
  townshipId: string
  villageId: string
}

export interface SimCounty {
  children: SimChild[]
  /** per school: the teacher who keeps its care room and whether she forgets check-ins */
  teachers: Array<{ id: string, schoolId: string, roomId: string, forgetful: boolean }>
  police: Array<{ id: string, jurisdictionId: string, townshipId: string }>
  welfareOfficers: Array<{ id: string, townshipId: string }>
  volunteers: Array<{ id: string, keepsRhythm: number }>
  docs: Record<string, object[]>
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'
const GIVEN = '子浩宇轩欣怡梓涵雨晨佳琪思彤俊杰博文嘉乐雅静诗语天佑一诺可馨明哲若曦梦瑶志远宏伟春燕秀英桂兰建国德福'
const CITIES = ['厦门', '深圳', '广州', '东莞', '福州', '泉州', '上海', '杭州', '宁波', '苏州', '温州']
const TOWNSHIP_NAMES = ['东岭镇', '西溪乡', '南坪镇', '北山乡', '龙门镇', '桃源乡', '长汀镇', '溪口乡', '梅林镇', '枫桥乡', '云台镇', '清水乡', '凤凰镇', '松岗乡', '石门镇', '柳湾乡']
const VOLUNTEER_KINDS: Array<[string, string, number]> = [['caringParent', 'womensFederation', 0.35], ['elder', 'elderCare', 0.3], ['youth', 'youthLeague', 0.25], ['counselor', 'youthLeague', 0.05], ['entrepreneur', 'youthLeague', 0.05]]

/** Children per school (one care room each) and schools per township. */
const CHILDREN_PER_SCHOOL = 100
const SCHOOLS_PER_TOWNSHIP = 2

export function generateCounty (opts: { children: number, seed: number, start: Date }): SimCounty {
  const rnd = prng(opts.seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]
  const weighted = <T>(xs: Array<[T, number]>): T => {
    let x = rnd()
    for (const [v, w] of xs) { if ((x -= w) < 0) return v }
    return xs[xs.length - 1][0]
  }
  const name = () => pick([...SURNAMES]) + pick([...GIVEN]) + (rnd() < 0.6 ? pick([...GIVEN]) : '')
  const pad = (n: number, w = 4) => String(n).padStart(w, '0')
  const start = opts.start
  // The files and the parents' accounts were made two weeks before the season, so the three-week flag can be raised
  // from the season's first Monday on (docs/DOMAIN.md, "Contact rhythm").
  const known = new Date(start.getTime() - 14 * 86400000)

  const schoolsNeeded = Math.max(1, Math.ceil(opts.children / CHILDREN_PER_SCHOOL))
  const townshipsNeeded = Math.ceil(schoolsNeeded / SCHOOLS_PER_TOWNSHIP)
  const places: object[] = []
  const rooms: object[] = []
  const users: object[] = []
  const county: SimCounty = { children: [], teachers: [], police: [], welfareOfficers: [], volunteers: [], docs: {} }
  const schools: Array<{ id: string, roomId: string, townshipId: string, villages: string[] }> = []
  let phone = 0
  const nextPhone = () => `1390000${pad(++phone)}`

  for (let t = 0; t < townshipsNeeded; t++) {
    const tw = `tw-s${pad(t, 2)}`
    const twName = TOWNSHIP_NAMES[t % TOWNSHIP_NAMES.length] + (t >= TOWNSHIP_NAMES.length ? String(Math.floor(t / TOWNSHIP_NAMES.length) + 1) : '')
    places.push({ _id: tw, kind: 'township', name: twName, parentId: COUNTY, countyId: COUNTY })
    const villages = [1, 2, 3, 4].map((v) => `${tw}-v${v}`)
    villages.forEach((v, i) => places.push({ _id: v, kind: 'village', name: `${twName.slice(0, 2)}${['上', '下', '东', '西'][i]}村`, parentId: tw, countyId: COUNTY, townshipId: tw }))
    const jur = `jur-s${pad(t, 2)}`
    places.push({ _id: jur, kind: 'jurisdiction', name: `青山县公安局${twName.slice(0, 2)}派出所`, parentId: COUNTY, countyId: COUNTY, townshipId: tw })
    const police = `sim-police-${pad(t, 2)}`
    users.push({ _id: police, name: `${name()}（民警）`, phone: nextPhone(), roles: [{ role: 'police', status: 'active', scope: { level: 'jurisdiction', id: jur } }] })
    county.police.push({ id: police, jurisdictionId: jur, townshipId: tw })
    const cwo = `sim-cwo-${pad(t, 2)}`
    users.push({ _id: cwo, name: name(), phone: nextPhone(), roles: [{ role: 'childWelfareOfficer', status: 'active', scope: { level: 'township', id: tw } }] })
    county.welfareOfficers.push({ id: cwo, townshipId: tw })
    for (let s = 0; s < SCHOOLS_PER_TOWNSHIP && schools.length < schoolsNeeded; s++) {
      const sch = `sch-s${pad(schools.length, 3)}`
      const room = `room-s${pad(schools.length, 3)}`
      const schoolName = `${twName}${s === 0 ? '中心小学' : '中学'}`
      places.push({ _id: sch, kind: 'school', name: schoolName, parentId: tw, countyId: COUNTY, townshipId: tw })
      rooms.push({ _id: room, schoolId: sch, countyId: COUNTY, townshipId: tw, name: `${schoolName}真情关爱室`, devices: 3, phone: `0598-56${pad(schools.length, 5)}` })
      const teacher = `sim-teacher-${pad(schools.length, 3)}`
      users.push({ _id: teacher, name: `${name()}老师`, phone: nextPhone(), roles: [{ role: 'teacher', status: 'active', scope: { level: 'school', id: sch } }] })
      county.teachers.push({ id: teacher, schoolId: sch, roomId: room, forgetful: rnd() < 0.25 })
      schools.push({ id: sch, roomId: room, townshipId: tw, villages })
    }
  }

  const children: object[] = []
  const bindings: object[] = []
  for (let i = 0; i < opts.children; i++) {
    const school = schools[i % schools.length]
    const id = `sim-child-${pad(i)}`
    const childName = name()
    const villageId = pick(school.villages)
    const age = 7 + Math.floor(rnd() * 8)
    const birth = new Date(Date.UTC(start.getUTCFullYear() - age, Math.floor(rnd() * 12), 1 + Math.floor(rnd() * 28)))
    const father = rnd() < 0.7
    const parentName = name()
    const guardianName = name()
    children.push({
      _id: id, name: childName, gender: rnd() < 0.5 ? 'male' : 'female', birthDate: birth.toISOString().slice(0, 10),
      cityId: 'city-qx', countyId: COUNTY, townshipId: school.townshipId, villageId, grid: `${villageId}-grid-${1 + (i % 3)}`,
      schoolId: school.id, className: `${Math.min(6, age - 6)}年级（${1 + (i % 3)}）班`,
      guardian: { name: guardianName, relation: rnd() < 0.6 ? 'grandmother' : 'grandfather', phone: nextPhone() },
      parents: [{ name: parentName, relation: father ? 'father' : 'mother', workCity: pick(CITIES), phone: nextPhone() }],
      categories: rnd() < 0.2 ? ['lowIncome'] : [], needs: [], status: 'leftBehind',
      consent: { state: 'granted', version: 'paper-2026', at: known },
      createdAt: known
    })
    const parent = `sim-parent-${pad(i)}`
    const guardian = `sim-guardian-${pad(i)}`
    users.push({ _id: parent, name: parentName, roles: [{ role: 'parent', status: 'active' }], createdAt: known })
    users.push({ _id: guardian, name: guardianName, phone: nextPhone(), roles: [{ role: 'guardian', status: 'active' }], createdAt: start })
    bindings.push({ _id: `${id}:${parent}`, childId: id, openid: parent, relation: father ? 'father' : 'mother', role: 'parent', createdAt: known })
    bindings.push({ _id: `${id}:${guardian}`, childId: id, openid: guardian, relation: 'grandmother', role: 'guardian', createdAt: known })
    let self: string | undefined
    if (age >= 9 && rnd() < 0.3) {
      self = `sim-self-${pad(i)}`
      users.push({ _id: self, name: childName, roles: [{ role: 'child', status: 'active' }], createdAt: start })
      bindings.push({ _id: `${id}:${self}`, childId: id, openid: self, relation: 'self', role: 'child', createdAt: known })
    }
    county.children.push({ id, name: childName, parent, guardian, self, habit: weighted(HABITS), schoolId: school.id, roomId: school.roomId, townshipId: school.townshipId, villageId })
  }

  // About one volunteer for every four children, vetted this year, free at weekends, within their own township.
  const profiles: object[] = []
  const volunteers = Math.max(4, Math.round(opts.children / 4))
  const townships = [...new Set(schools.map((s) => s.townshipId))]
  for (let v = 0; v < volunteers; v++) {
    const id = `sim-vol-${pad(v)}`
    const [kind, agency] = (() => { let x = rnd(); for (const k of VOLUNTEER_KINDS) { if ((x -= k[2]) < 0) return k } return VOLUNTEER_KINDS[0] })()
    const check = new Date(start.getTime() - Math.floor(rnd() * 200) * 86400000).toISOString().slice(0, 10)
    users.push({ _id: id, name: name(), roles: [{ role: 'volunteer', status: 'active', volunteerKind: kind, agency }], createdAt: start })
    profiles.push({ _id: id, phone: nextPhone(), kind, agency, gender: rnd() < 0.6 ? 'female' : 'male', townshipIds: [townships[v % townships.length]], capacity: 1 + Math.floor(rnd() * 2), freeDays: [6, 7], skills: ['companionship'], dialects: [], vetting: { checkDate: check, result: 'clear', checkedBy: '青山县公安局' }, codeAgreedAt: start })
    // How reliably they keep a talk a month: most do, some drift, a few stop.
    county.volunteers.push({ id, keepsRhythm: weighted([[0.95, 0.6], [0.7, 0.3], [0.2, 0.1]]) })
  }

  county.docs = { places, careRooms: rooms, children, bindings, volunteerProfiles: profiles, users }
  return county
}
