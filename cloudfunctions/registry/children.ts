import {
  AppError, STATUS_LABELS, activeGrants, canRegisterIn, inScope, canReveal, childFileView, childListItem, childrenCsv, likelyDuplicates,
  registryScopes, startOfShanghaiWeek, toDateKey, registryContract, type ChildRecord, type ChildInput
} from '../../src/domain'
import { byPinyin } from '../../src/domain/oversight/arrange'
import { _, db, findById, rows } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import { allPages } from '../_server/paging'
import { audit } from '../_server/audit'
import { addOrFind, once } from '../_server/idempotency'
import { Places } from '../_server/places'
import { action } from '../_server/router'
import type { Caller } from '../_server/caller'
import { childFor, decidesFor } from './access'
import { deletionView, type DeletionDoc } from './deletion'
import * as clock from '../_server/clock'

const STAFF = ['teacher', 'childWelfareOfficer', 'admin'] as const
const EDITORS = ['teacher', 'childWelfareOfficer'] as const

/**
 * The places of the caller's scope: the schools and villages a teacher or officer may register children in, and the
 * townships and schools any keeper of the registry filters the list by.
 */
export const options = action({
  contract: registryContract.options,
  allowed: STAFF,
  async handler (_input, caller) {
    const places = new Places()
    const scoped = caller.grants.filter((g) => g.scope && (STAFF as readonly string[]).includes(g.role))
    await places.load(scoped.map((g) => g.scope!.id))
    const counties = [...new Set(scoped.map((g) => places.get(g.scope!.id)?.countyId).filter((x): x is string => Boolean(x)))]
    const all = (await Promise.all(counties.map((c) => places.loadCounty(c)))).flat()
    const mayRegister = scoped.some((g) => (EDITORS as readonly string[]).includes(g.role))
    const schools = all.filter((p) => p.kind === 'school' && canRegisterIn(caller.grants, { schoolId: p._id, townshipId: p.townshipId }))
    // A teacher registers children of their school, from any village of the county; an officer only their own.
    const teacher = scoped.some((g) => g.role === 'teacher')
    const villages = mayRegister ? all.filter((p) => p.kind === 'village' && (teacher || canRegisterIn(caller.grants, { villageId: p._id, townshipId: p.townshipId ?? undefined }))) : []
    const teacherSchools = all.filter((p) => p.kind === 'school' && scoped.some((g) => g.role === 'teacher' && g.scope!.id === p._id))
    const officerSchools = teacher ? [] : all.filter((p) => p.kind === 'school')
    // A township is offered as a filter only when all its children are the caller's: a county's or that township's keeper.
    const rules = registryScopes(caller.grants)
    const townships = all.filter((p) => p.kind === 'township' && inScope(rules, { townshipId: p._id, countyId: p.countyId ?? undefined }))
    // In pinyin order, as a person looks for a place (白水 before 石桥).
    const sorted = <T extends { name: string }>(list: T[]): T[] => list.sort((x, y) => byPinyin(x.name, y.name))
    return {
      mayRegister,
      schools: sorted([...new Map([...schools, ...teacherSchools, ...officerSchools].map((p) => [p._id, { id: p._id, name: p.name, townshipId: p.townshipId ?? p.parentId ?? undefined }])).values()]),
      villages: sorted(villages.map((v) => ({ id: v._id, name: v.name, townshipName: places.name(v.townshipId ?? v.parentId) }))),
      townships: sorted(townships.map((t) => ({ id: t._id, name: t.name })))
    }
  }
})

/** Where a child lives, checked: village and school must be real and in one county. */
async function placeOf (input: ChildInput, places: Places) {
  const village = await places.require(input.villageId, 'village', 'child.villageId')
  const school = await places.require(input.schoolId, 'school', 'child.schoolId')
  if (school.countyId !== village.countyId) {
    throw new AppError('INVALID_INPUT', '填写的内容有误，请按提示修改', { 'child.schoolId': '学校和村不在同一个县' })
  }
  const county = await places.require(village.countyId!, 'county', 'child.villageId')
  return { villageId: village._id, townshipId: village.townshipId ?? village.parentId!, countyId: county._id, cityId: county.parentId ?? undefined, schoolId: school._id }
}

/** A teacher may register a child of their school; an officer a child of their village or township. */
function mayRegister (caller: Caller, place: { schoolId: string, villageId: string, townshipId: string }): void {
  if (!canRegisterIn(caller.grants, place)) throw new AppError('FORBIDDEN', '只能登记您负责的学校或村里的孩子')
}

export const createChild = action({
  contract: registryContract.createChild,
  allowed: EDITORS,
  async handler (input, caller) {
    const places = new Places()
    const place = await placeOf(input.child, places)
    mayRegister(caller, place)
    // The duplicate check's answer is kept per key too, so the confirmed resend is a new request.
    const scope = input.confirmNotDuplicate ? 'registry.createChild:confirmed' : 'registry.createChild:checked'
    return await once(caller, scope, input.idempotencyKey, async ({ ref }) => {
      if (!input.confirmNotDuplicate) {
        const sameName = await rows<ChildRecord>(db.collection(COLLECTIONS.children).where({ countyId: place.countyId, name: input.child.name }).limit(20))
        const sameId = input.child.idNumber ? await rows<ChildRecord>(db.collection(COLLECTIONS.children).where({ idNumber: input.child.idNumber }).limit(5)) : []
        const dups = likelyDuplicates({ ...input.child, countyId: place.countyId }, [...sameName, ...sameId])
        if (dups.length > 0) {
          await places.load(dups.flatMap((d) => [d.schoolId, d.villageId]))
          return {
            created: false as const,
            duplicates: dups.map((d) => ({ id: d._id, name: d.name, birthDate: d.birthDate, schoolName: places.name(d.schoolId), villageName: places.name(d.villageId), sameIdNumber: Boolean(input.child.idNumber && d.idNumber === input.child.idNumber) }))
          }
        }
      }
      const childId = `child-${ref.slice(0, 16)}`
      const doc: Omit<ChildRecord, 'statusHistory' | 'createdAt'> & Record<string, unknown> = {
        _id: childId,
        ...input.child,
        ...place,
        status: 'leftBehind',
        statusHistory: [{ status: 'leftBehind', reason: '登记建档', effectiveDate: toDateKey(clock.now()), byName: caller.user!.name, at: clock.now() }],
        consent: { state: 'pending' },
        createdBy: caller.openid,
        createdAt: db.serverDate(),
        updatedAt: db.serverDate()
      }
      // A retry after a crash finds the file the first run created, instead of making a second.
      await addOrFind(COLLECTIONS.children, doc as ChildRecord & { _id: string })
      await audit(caller, { action: 'registry.createChild', what: '登记新孩子档案' }, [{ _id: childId, countyId: place.countyId, townshipId: place.townshipId }])
      return { created: true as const, childId }
    })
  }
})

export const updateChild = action({
  contract: registryContract.updateChild,
  allowed: EDITORS,
  async handler (input, caller) {
    const { child } = await childFor(caller, input.childId)
    mayRegister(caller, child)
    const places = new Places()
    const place = await placeOf(input.child, places)
    mayRegister(caller, place) // moving a child to a place you do not keep is not yours to do
    if (child.consent?.state === 'refused') {
      throw new AppError('FORBIDDEN', '监护人不同意登记，除姓名、学校和村以外的信息不能再填写')
    }
    // An ID number left out is kept: the form shows it masked and a teacher may not see it whole, so leaving it out
    // must not erase it. The grid, an ordinary field, is cleared when left out.
    const cleared = input.child.grid === undefined ? { grid: _.remove() } : {}
    await db.collection(COLLECTIONS.children).doc(child._id).update({
      data: { ...input.child, ...cleared, ...place, guardian: _.set(input.child.guardian), parents: _.set(input.child.parents), categories: _.set(input.child.categories), needs: _.set(input.child.needs), updatedAt: db.serverDate() }
    })
    await audit(caller, { action: 'registry.updateChild', what: '修改孩子档案' }, [child])
    return { childId: child._id }
  }
})

export const changeStatus = action({
  contract: registryContract.changeStatus,
  allowed: EDITORS,
  async handler (input, caller) {
    const { child } = await childFor(caller, input.childId)
    mayRegister(caller, child)
    const entry = { ...input.change, byName: caller.user!.name, at: clock.now() }
    await db.collection(COLLECTIONS.children).doc(child._id).update({
      data: { status: input.change.status, statusHistory: _.push([entry]), updatedAt: db.serverDate() }
    })
    await audit(caller, { action: 'registry.changeStatus', what: `留守状态改为“${STATUS_LABELS[input.change.status]}”` }, [child])
    return { status: input.change.status }
  }
})

export const getChild = action({
  contract: registryContract.getChild,
  allowed: 'registered',
  async handler (input, caller) {
    const now = clock.now()
    const { child, view, binding } = await childFor(caller, input.childId)
    const decides = decidesFor(caller, binding)
    const deletion = view !== 'volunteer' ? await findById<DeletionDoc>(COLLECTIONS.deletionRequests, `del-${child._id}`) : null
    const places = new Places()
    await places.load([child.schoolId, child.villageId, child.townshipId])
    const editor = view === 'staff' && canRegisterIn(caller.grants, child)
    const file = childFileView(child, view, {
      now,
      placeName: (id) => places.name(id),
      may: {
        edit: editor,
        revealId: view === 'staff' && Boolean(child.idNumber) && canReveal(caller.grants, child, 'idNumber'),
        revealPhone: view === 'staff' && canReveal(caller.grants, child, 'phone'),
        makeBindingCode: editor,
        consent: decides,
        requestDeletion: decides && !deletion
      }
    })
    // What volunteers raised about the child is for the officers who follow it up (docs/DOMAIN.md, "Roles and scopes").
    const officer = view === 'staff' && activeGrants(caller.grants).some((g) => (g.role === 'childWelfareOfficer' || g.role === 'admin') && inScope(registryScopes([g]), child))
    const concerns = officer ? await rows<{ at: Date, byName: string, text: string, harm: boolean }>(db.collection(COLLECTIONS.concerns).where({ childId: child._id }).orderBy('at', 'desc').limit(20)) : []
    if (deletion) file.deletion = deletionView(deletion, now)
    await audit(caller, { action: 'registry.getChild', what: view === 'staff' ? '查看孩子档案' : view === 'family' ? '家人查看孩子档案（遮挡）' : '结对志愿者查看孩子档案（部分）' }, [child])
    return officer ? { ...file, concerns: concerns.map((c) => ({ at: c.at, byName: c.byName, text: c.text, harm: c.harm })) } : file
  }
})

export const reveal = action({
  contract: registryContract.reveal,
  allowed: STAFF,
  async handler (input, caller) {
    const { child } = await childFor(caller, input.childId)
    const what = input.field === 'idNumber' ? 'idNumber' : 'phone'
    if (!canReveal(caller.grants, child, what)) throw new AppError('FORBIDDEN', what === 'idNumber' ? '您的岗位不能查看完整身份证号' : '您的岗位不能查看完整电话号码')
    const value = input.field === 'idNumber'
      ? child.idNumber
      : input.field === 'guardianPhone' ? child.guardian?.phone : child.parents?.[input.parentIndex ?? 0]?.phone
    if (!value) throw new AppError('NOT_FOUND', '档案里没有这个号码')
    const label = input.field === 'idNumber' ? '身份证号' : input.field === 'guardianPhone' ? '监护人电话' : `家长电话（${child.parents?.[input.parentIndex ?? 0]?.name ?? ''}）`
    await audit(caller, { action: 'registry.reveal', what: `查看完整${label}` }, [child])
    return { value }
  }
})

/** The caller's areas, as a condition on children. */
function inArea (caller: Caller) {
  const scopes = registryScopes(caller.grants)
  if (scopes.length === 0) throw new AppError('FORBIDDEN', '您没有负责的地区，不能查看儿童档案')
  return _.or(scopes.map((r) => ({ [r.field]: r.value })))
}

/** The query of a registry list: the caller's areas, and the filters. */
function listQuery (caller: Caller, f: { name?: string, schoolId?: string, townshipId?: string, status?: string, category?: string, noContactThisWeek?: boolean, consent?: string }) {
  const conds: object[] = [inArea(caller)]
  if (f.consent === 'pending') conds.push(_.or([{ 'consent.state': 'pending' }, { 'consent.state': _.exists(false) }]))
  else if (f.consent) conds.push({ 'consent.state': f.consent })
  if (f.name) conds.push({ name: db.RegExp({ regexp: f.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), options: 'i' }) })
  if (f.schoolId) conds.push({ schoolId: f.schoolId })
  // Within the caller's areas only (the first condition): a township outside them lists no child.
  if (f.townshipId) conds.push({ townshipId: f.townshipId })
  if (f.status) conds.push({ status: f.status })
  if (f.category) conds.push({ categories: f.category })
  if (f.noContactThisWeek) {
    const weekStart = startOfShanghaiWeek(clock.now())
    conds.push(_.or([{ lastHeldCallAt: _.exists(false) }, { lastHeldCallAt: _.lt(weekStart) }]))
  }
  return db.collection(COLLECTIONS.children).where(_.and(conds))
}

async function namesFor (children: readonly ChildRecord[]): Promise<Places> {
  const places = new Places()
  await places.load(children.flatMap((c) => [c.schoolId, c.villageId]))
  return places
}

export const listChildren = action({
  contract: registryContract.listChildren,
  allowed: STAFF,
  async handler (input, caller) {
    const query = listQuery(caller, input)
    const { total } = await query.count() as { total: number }
    const page = await rows<ChildRecord>(query.orderBy('name', 'asc').orderBy('_id', 'asc').skip((input.page - 1) * input.pageSize).limit(input.pageSize))
    const places = await namesFor(page)
    const now = clock.now()
    if (page.length > 0) await audit(caller, { action: 'registry.listChildren', what: `查看儿童名单（${page.length}人）` }, page)
    // The files of the area still waiting for a guardian's answer, whatever the filters: the list says so at its top.
    const { total: awaitingConsent } = await db.collection(COLLECTIONS.children).where(_.and([inArea(caller), _.or([{ 'consent.state': 'pending' }, { 'consent.state': _.exists(false) }])])).count() as { total: number }
    return { items: page.map((c) => childListItem(c, now, (id) => places.name(id))), total, page: input.page, pageSize: input.pageSize, awaitingConsent }
  }
})

/** At most this many rows in one export; a county larger than this exports by township or school. */
const EXPORT_LIMIT = 5000

export const exportChildren = action({
  contract: registryContract.exportChildren,
  allowed: STAFF,
  async handler (input, caller) {
    const all = await allPages<ChildRecord>(listQuery(caller, input).orderBy('name', 'asc'), { max: EXPORT_LIMIT })
    const places = await namesFor(all)
    const now = clock.now()
    const csv = childrenCsv(all.map((c) => childListItem(c, now, (id) => places.name(id))))
    await audit(caller, { action: 'registry.exportChildren', what: `导出儿童名单（${all.length}人）` }, all)
    return { filename: `儿童名单-${toDateKey(now)}.csv`, csv, rows: all.length }
  }
})
