import {
  ReportInput, TriageAnswers, answersInWords, callBackNumbers, chooseCounselor, dueLevel, duringSchoolHours, escalationTarget, fieldErrors, followUpDueAt,
  givenName, homeConcern, nextStep, originReport, reportKinds, triage
} from '../../src/domain'
import { chinaCalendar } from '../../src/domain/calendar/library'

const calm: TriageAnswers = { safeNow: 'yes', someoneHurts: 'no', selfHarmThoughts: 'no', hardDays: 'few', howLong: 'days' }

describe('the questions stop at the first danger answer', () => {
  // Each answer that means danger, after the ordinary answers that come before it.
  it.each([
    ['not safe now', { safeNow: 'no' }, 'safeNow'],
    ['not sure she is safe', { safeNow: 'notSure' }, 'safeNow'],
    ['someone at home hurts her', { safeNow: 'yes', someoneHurts: 'home' }, 'someoneHurts'],
    ['someone else hurts her', { safeNow: 'yes', someoneHurts: 'other' }, 'someoneHurts'],
    ['someone hurts her, she will not say who', { safeNow: 'yes', someoneHurts: 'yes' }, 'someoneHurts'],
    ['she has thought of hurting herself', { safeNow: 'yes', someoneHurts: 'no', selfHarmThoughts: 'yes' }, 'selfHarmThoughts'],
    ['she sometimes thinks of it', { safeNow: 'yes', someoneHurts: 'no', selfHarmThoughts: 'sometimes' }, 'selfHarmThoughts']
  ])('%s: no more questions, the crisis screen next', (_what, answers, at) => {
    expect(nextStep(answers)).toEqual({ crisis: at })
    // What she answered so far is a whole request: nothing else is asked of her, and it is a crisis.
    const parsed = TriageAnswers.safeParse(answers)
    expect(parsed.success).toBe(true)
    expect(triage(parsed.data!).urgency).toBe('crisis')
  })

  it('keeps asking through ordinary answers, one question at a time, and is done after the last', () => {
    const steps: unknown[] = []
    const a: Record<string, string> = {}
    for (const [k, v] of Object.entries(calm)) {
      steps.push(nextStep(a))
      a[k] = v
    }
    steps.push(nextStep(a))
    expect(steps).toEqual([{ ask: 'safeNow' }, { ask: 'someoneHurts' }, { ask: 'selfHarmThoughts' }, { ask: 'hardDays' }, { ask: 'howLong' }, { done: true }])
    expect(triage(a as TriageAnswers).urgency).toBe('routine')
  })

  it('refuses ordinary answers that stop early, naming each question left', () => {
    const res = TriageAnswers.safeParse({ safeNow: 'yes', someoneHurts: 'no' })
    expect(res.success).toBe(false)
    expect(Object.keys(fieldErrors(res.error!)).sort()).toEqual(['hardDays', 'howLong', 'selfHarmThoughts'])
  })

  it('asks grown-ups about the child, and offers them who it is in their words', async () => {
    const { TRIAGE_QUESTIONS } = await import('../../src/domain')
    expect(TRIAGE_QUESTIONS.map((q) => q.adultText)).toEqual(['孩子现在安全吗？', '有没有人伤害孩子、打孩子，或者让孩子害怕？', '孩子有没有说过想伤害自己，或者不想活了？', '孩子最近睡不好、吃不下、不想上学的日子多吗？', '这样有多久了？'])
    expect(TRIAGE_QUESTIONS.every((q) => !q.text.includes('孩子'))).toBe(true)
  })
})

describe('what points at the home', () => {
  it('is said when she answers that someone at home hurts her, or names home people later', () => {
    expect(homeConcern({ someoneHurts: 'home' })).toBe('said')
    expect(homeConcern({ someoneHurts: undefined }, { hurtBy: 'home' })).toBe('said')
    expect(homeConcern({ words: '爸爸喝醉了就打我' })).toBe('words')
  })
  it('is unknown when someone hurts her and she did not say who, and absent when she named someone else', () => {
    expect(homeConcern({ someoneHurts: 'yes' })).toBe('unknown')
    expect(homeConcern({ someoneHurts: 'other' })).toBeUndefined()
    expect(homeConcern({ someoneHurts: undefined }, { hurtBy: 'school' })).toBeUndefined()
    expect(homeConcern({ someoneHurts: 'no' })).toBeUndefined()
  })
  it('makes later words and whom she names part of the triage', () => {
    expect(triage({ safeNow: 'no' }, { hurtBy: 'home' })).toMatchObject({ urgency: 'crisis', reasons: ['notSafe', 'hurtAtHome'], abuseNamed: true })
    expect(triage({ safeNow: 'no' }).abuseNamed).toBe(false)
    expect(reportKinds({ safeNow: 'no' }, { words: '他摸我' })).toEqual(['sexualAbuse'])
    expect(reportKinds({ safeNow: 'yes', someoneHurts: 'no', selfHarmThoughts: 'yes' })).toEqual(['abuse', 'selfHarm'])
  })
  it('puts what she answered into words, leaving out questions never asked', () => {
    expect(answersInWords({ safeNow: 'no' }, { hurtBy: 'home', words: '奶奶的男朋友打我' })).toEqual(['现在安全吗？不安全', '是谁：家里的人', '孩子的话：“奶奶的男朋友打我”'])
  })
})

describe('call-back numbers', () => {
  const family = {
    guardian: { name: '张桂兰', relationLabel: '奶奶/外婆', phone: '13800001000' },
    parents: [{ name: '王建国', relationLabel: '爸爸', phone: '13800005000', workCity: '厦门' }],
    school: { name: '石桥镇中心小学真情关爱室', phone: '0598-5550211' }
  }
  it('puts the number she left first, then the family, then the school, when nothing points at the home', () => {
    const list = callBackNumbers({ ...family, chosen: { phone: '13800009999', whose: 'neighbour', byChild: true, askerName: '王小雨' } })
    expect(list.map((c) => [c.kind, c.phone, Boolean(c.caution)])).toEqual([['chosen', '13800009999', false], ['home', '13800001000', false], ['home', '13800005000', false], ['school', '0598-5550211', false]])
  })
  it('flags the family and puts it last when she said someone at home hurts her, never alone', () => {
    const list = callBackNumbers({ ...family, concern: 'said' })
    expect(list.map((c) => c.kind)).toEqual(['school', 'home', 'home'])
    expect(list.filter((c) => c.kind === 'home').every((c) => c.avoid && c.caution?.startsWith('孩子说家里有人伤害'))).toBe(true)
    const noSchool = callBackNumbers({ guardian: family.guardian, concern: 'said' })
    expect(noSchool.map((c) => c.phone)).toEqual(['110', '13800001000'])
  })
  it('cautions about the family without hiding it when she did not say who', () => {
    const list = callBackNumbers({ ...family, concern: 'unknown' })
    expect(list.find((c) => c.kind === 'home')).toMatchObject({ avoid: false, caution: expect.stringContaining('先问清楚') })
  })
  it('shows a given name only', () => {
    expect([givenName('王小雨'), givenName('欧阳娜娜'), givenName('李')]).toEqual(['小雨', '娜娜', '李'])
  })
})

describe('a report opened from a crisis', () => {
  it('passes the validation of a report typed by hand, with danger now, her answers, the place and the time', () => {
    const at = new Date('2026-11-20T12:05:00Z') // 20:05 in Shanghai
    const r = originReport({
      origin: 'counseling', childId: 'child-01', kinds: ['abuse'], dangerNow: true, at,
      content: ['（孩子自己回答）', ...answersInWords({ safeNow: 'no' }, { hurtBy: 'home' })],
      place: { school: '石桥镇中心小学', className: '四年级（2）班', township: '石桥镇', village: '石桥村' }
    })
    expect(ReportInput.safeParse(r).success).toBe(true)
    expect(r).toMatchObject({ childId: 'child-01', kinds: ['abuse'], dangerNow: true, when: '2026-11-20', where: '孩子在石桥镇中心小学四年级（2）班上学，家在石桥镇石桥村' })
    expect(r.seen).toBe('11月20日 周五 20:05 在雏燕「找人聊聊」里求助，回答：\n（孩子自己回答）\n现在安全吗？不安全\n是谁：家里的人')
  })
  it('stays valid with nothing known but the child', () => {
    const r = originReport({ origin: 'pairing', childId: 'c', kinds: [], dangerNow: false, at: new Date('2026-11-20T02:00:00Z'), content: [], place: { school: '', className: '', township: '', village: '' } })
    expect(ReportInput.safeParse(r).success).toBe(true)
    expect(r.where).toBe('孩子档案里没有写学校和住址')
  })
})

describe('a child\'s hours', () => {
  const cal = chinaCalendar() // the published holidays (National Day among them)
  const at = (iso: string, minutes = 50) => [new Date(iso), new Date(new Date(iso).getTime() + minutes * 60000)] as const
  it('counts class time on school days only, the afternoon up to 16:30', () => {
    expect(duringSchoolHours(cal, ...at('2026-11-18T09:00:00+08:00'))).toBe(true) // Wednesday morning
    expect(duringSchoolHours(cal, ...at('2026-11-18T16:00:00+08:00'))).toBe(true) // runs into class time
    expect(duringSchoolHours(cal, ...at('2026-11-18T16:30:00+08:00'))).toBe(false) // after school
    expect(duringSchoolHours(cal, ...at('2026-11-21T10:00:00+08:00'))).toBe(false) // Saturday
    expect(duringSchoolHours(cal, ...at('2026-10-02T10:00:00+08:00'))).toBe(false) // National Day holiday
  })
  it('follows an unbooked soon-request up 24 hours after it was raised by default', () => {
    expect(followUpDueAt(new Date('2026-11-18T10:00:00Z')).toISOString()).toBe('2026-11-19T10:00:00.000Z')
    expect(followUpDueAt(new Date('2026-11-18T10:00:00Z'), 6).toISOString()).toBe('2026-11-18T16:00:00.000Z')
  })
})

describe('triage', () => {
  it('is routine when the child is safe and the hard days are few', () => {
    expect(triage(calm)).toEqual({ urgency: 'routine', reasons: [], abuseNamed: false })
  })

  it.each([
    ['not safe now', { safeNow: 'no' }, ['notSafe']],
    ['not sure they are safe', { safeNow: 'notSure' }, ['notSafe']],
    ['someone hurts them (abuse named)', { someoneHurts: 'yes' }, ['someoneHurts']],
    ['someone at home hurts them', { someoneHurts: 'home' }, ['hurtAtHome']],
    ['thoughts of self-harm', { selfHarmThoughts: 'yes' }, ['selfHarm']],
    ['sometimes thoughts of self-harm', { selfHarmThoughts: 'sometimes' }, ['selfHarm']],
    ['words of suicide in an otherwise calm request', { words: '我有时候觉得活着没意思，想死' }, ['selfHarmWords']],
    ['words of being beaten', { words: '叔叔喝醉了就打我' }, ['abuseWords']],
    ['words of danger', { words: '我不敢回家' }, ['dangerWords']]
  ])('is a crisis for %s', (_what, over, reasons) => {
    const r = triage({ ...calm, ...over } as TriageAnswers)
    expect(r.urgency).toBe('crisis')
    expect(r.reasons).toEqual(reasons)
  })

  it('marks abuse as named (for a mandatory report) only when it is', () => {
    expect(triage({ ...calm, someoneHurts: 'yes' }).abuseNamed).toBe(true)
    expect(triage({ ...calm, words: '继父虐待我' }).abuseNamed).toBe(true)
    expect(triage({ ...calm, selfHarmThoughts: 'yes' }).abuseNamed).toBe(false)
  })

  it('finds words even with spaces in between', () => {
    expect(triage({ ...calm, words: '我 想 死' }).urgency).toBe('crisis')
  })

  it('is soon when most days are hard, or some days for over a month', () => {
    expect(triage({ ...calm, hardDays: 'most' }).urgency).toBe('soon')
    expect(triage({ ...calm, hardDays: 'some', howLong: 'months' }).urgency).toBe('soon')
    expect(triage({ ...calm, hardDays: 'some', howLong: 'weeks' }).urgency).toBe('routine')
  })
})

describe('routing', () => {
  const c = (id: string, openCases: number, free = true, last?: string) => ({ id, openCases, free, lastAssignedAt: last ? new Date(last) : undefined })

  it('keeps the counsellor the child saw last when they are free', () => {
    expect(chooseCounselor([c('a', 0), c('b', 5)], 'b')?.id).toBe('b')
  })

  it('otherwise takes the free counsellor with the fewest open cases', () => {
    expect(chooseCounselor([c('a', 3), c('b', 1), c('c', 0, false)], 'c')?.id).toBe('b')
  })

  it('breaks ties by the oldest last assignment, then by id', () => {
    expect(chooseCounselor([c('a', 1, true, '2026-11-20'), c('b', 1, true, '2026-11-10')])?.id).toBe('b')
    expect(chooseCounselor([c('b', 1), c('a', 1)])?.id).toBe('a')
  })

  it('finds nobody when nobody is free', () => {
    expect(chooseCounselor([c('a', 0, false)])).toBeUndefined()
  })
})

describe('crisis escalation ladder', () => {
  const roster = ['onduty', 'next', 'third']
  it('goes on-duty, next counsellor, then the supervisor, and stays with the supervisor', () => {
    expect([0, 1, 2, 3, 4].map((l) => escalationTarget(roster, 'boss', l))).toEqual(['onduty', 'next', 'boss', 'boss', 'boss'])
  })
  it('reaches the supervisor at once after the on-duty counsellor when the roster has one name', () => {
    expect([0, 1].map((l) => escalationTarget(['only'], 'boss', l))).toEqual(['only', 'boss'])
  })
  it('moves one level per 10 unanswered minutes', () => {
    expect([0, 9.9, 10, 19, 20, 35].map((m) => dueLevel(m, 10))).toEqual([0, 0, 1, 1, 2, 3])
  })
})
