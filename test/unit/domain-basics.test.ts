import { z } from 'zod'
import {
  AppError, activeGrants, ageOn, describeGrants, hasAnyRole, parseInput, ROLE_LABELS, ROLES, type RoleGrant
} from '../../src/domain'

describe('roles and grants', () => {
  const grants: RoleGrant[] = [
    { role: 'teacher', scope: { level: 'school', id: 'sch-1' }, status: 'active' },
    { role: 'admin', agency: 'education', scope: { level: 'county', id: 'c-1' }, status: 'suspended' }
  ]

  it('gives a suspended role no rights', () => {
    expect(activeGrants(grants).map((g) => g.role)).toEqual(['teacher'])
    expect(hasAnyRole(grants, ['admin'])).toBe(false)
    expect(hasAnyRole(grants, ['teacher', 'police'])).toBe(true)
  })

  it('labels every role in Chinese', () => {
    for (const r of ROLES) expect(ROLE_LABELS[r]).toMatch(/[\u4e00-\u9fff]/)
  })

  it('describes grants with the names of their places and marks suspended ones', () => {
    const views = describeGrants(grants, { 'sch-1': '石桥镇中心小学' })
    expect(views[0]).toMatchObject({ roleLabel: '关爱室老师', scope: { name: '石桥镇中心小学' }, status: 'active' })
    expect(views[1]).toMatchObject({ roleLabel: '部门管理员', agencyLabel: '教育局', status: 'suspended', scope: { name: 'c-1' } })
  })
})

describe('parseInput', () => {
  const schema = z.object({ name: z.string().min(1, '请填写姓名'), child: z.object({ age: z.number().int() }) })

  it('returns the parsed value when the input is good', () => {
    expect(parseInput(schema, { name: '小雨', child: { age: 9 } })).toEqual({ name: '小雨', child: { age: 9 } })
  })

  it('names every bad field, with the schema message where it is Chinese', () => {
    let thrown: unknown
    try { parseInput(schema, { name: '', child: { age: 'nine' } }) } catch (e) { thrown = e }
    expect(thrown).toBeInstanceOf(AppError)
    const err = thrown as AppError
    expect(err.code).toBe('INVALID_INPUT')
    expect(err.fields).toEqual({ name: '请填写姓名', 'child.age': '格式不对' })
  })

  it('names an unexpected field itself', () => {
    try { parseInput(schema.strict(), { name: 'a', child: { age: 1 }, openid: 'x' }) } catch (e) { expect((e as AppError).fields).toEqual({ openid: '不认识这个字段' }) }
    expect(() => parseInput(schema.strict(), { name: 'a', child: { age: 1 }, openid: 'x' })).toThrow(AppError)
  })

  it('says a missing field is required', () => {
    expect(() => parseInput(schema, { child: { age: 1 } })).toThrow(AppError)
    try { parseInput(schema, { child: { age: 1 } }) } catch (e) { expect((e as AppError).fields).toEqual({ name: '必填' }) }
  })
})

describe('ageOn (Asia/Shanghai)', () => {
  it('counts a birthday as reached from midnight in Shanghai, not UTC', () => {
    // 2026-04-11T16:30Z is 00:30 on 12 April in Shanghai: the tenth birthday has begun there.
    expect(ageOn('2016-04-12', new Date('2026-04-11T16:30:00Z'))).toBe(10)
    expect(ageOn('2016-04-12', new Date('2026-04-11T15:30:00Z'))).toBe(9)
  })
})
