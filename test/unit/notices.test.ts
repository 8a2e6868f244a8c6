/**
 * The app's templates and WeChat's keyword rules: every template's data is built by one checked function, which
 * never gives WeChat a value it would refuse; and the app's copy of the rules agrees with the local cloud's.
 */
import { checkKeywordValue, checkTemplateData } from '../../localcloud'
import {
  KEYWORD_TYPES, SMS_URGENT_TEMPLATE, TEMPLATES, TEMPLATE_KEYS, checkKeyword, cut, defaultTemplateId, dutyAlerts, fitKeyword,
  smsParams, templateData, templateDeclarations, wechatTime, type KeywordType
} from '../../src/domain'
import { prng } from '../support/prng'

const NOW = new Date('2026-03-02T07:00:00Z') // 15:00 in Shanghai

/** Values at and around every rule's edge, per type. */
const SAMPLES: string[] = [
  '', ' ', '约好了', '一'.repeat(20), '一'.repeat(21), '一'.repeat(25), 'a'.repeat(32), 'a'.repeat(33), '12', '12.5', '-1', '1e5',
  'AbC', '!!', '!!!!!!', '¥100', '100元', '$12.50', '+86-0766-66888866', '+86-0766-668888661234', '13800009003',
  '粤A8Z888挂', '粤A8Z888挂1', '王小雨', '王小雨王小雨王小雨王小', 'Wang Xiaoyu', '配送中', '配送中的货物', '紧急2',
  'QB20260302-A1B2C3', 'QB 2026', '编号QB1', '15:01', '25:01', '2019年10月1日 15:01', '2019年2月30日', '2019-10-01 15:01',
  '2019/10/01', '2019年10月1日', '3月2日 周一 15:00', '15:01~16:00', '2026年3月2日 15:00~2026年3月2日 16:00', '2026-03-02T07:00:00.000Z'
]

describe("the app's rules and the local cloud's agree", () => {
  it.each([...KEYWORD_TYPES])('%s', (type) => {
    for (const value of SAMPLES) expect([value, checkKeyword(type, value)]).toEqual([value, checkKeywordValue(type, value)])
  })
})

describe('WeChat keyword rules (订阅消息参数值内容限制说明)', () => {
  const ok = (type: KeywordType, v: string) => checkKeyword(type, v) === undefined
  it('holds a thing to 20 characters, and refuses an empty value of any type', () => {
    expect(ok('thing', '一'.repeat(20))).toBe(true)
    expect(checkKeyword('thing', '一'.repeat(25))).toBe('invalid')
    for (const t of KEYWORD_TYPES) expect(checkKeyword(t, '')).toBe('empty')
  })
  it('takes time and date as WeChat writes them, spans with ~, and nothing else', () => {
    for (const v of ['15:01', '2019年10月1日 15:01', '2019-10-01 15:01', '15:01~16:00']) expect(ok('time', v)).toBe(true)
    for (const v of ['25:01', '2019年2月30日 10:00', '2019年10月1日', '3月2日 周一 15:00', '2026-03-02T07:00:00.000Z']) expect(ok('time', v)).toBe(false)
    for (const v of ['2019年10月1日', '2019-10-01', '2019/10/01', '2019年10月1日 15:01']) expect(ok('date', v)).toBe(true)
    expect(ok('date', '15:01')).toBe(false)
  })
  it('holds phrase to 5 Chinese characters, name to 10 Chinese or 20 letters, character_string to 32 letters, digits and symbols', () => {
    expect(ok('phrase', '配送中')).toBe(true)
    expect(ok('phrase', '配送中的货物')).toBe(false)
    expect(ok('phrase', '紧急2')).toBe(false)
    expect(ok('name', '王小雨')).toBe(true)
    expect(ok('name', '王小雨王小雨王小雨王小')).toBe(false)
    expect(ok('name', 'Wang Xiaoyu')).toBe(true)
    expect(ok('character_string', 'QB20260302-A1B2C3')).toBe(true)
    expect(ok('character_string', '编号QB1')).toBe(false)
    expect(ok('character_string', 'a'.repeat(33))).toBe(false)
  })
  it('takes numbers, amounts, phone and car numbers, letters and symbols in their forms', () => {
    expect(ok('number', '12.5')).toBe(true)
    expect(ok('number', '1e5')).toBe(false)
    expect(ok('amount', '¥100')).toBe(true)
    expect(ok('amount', '100元')).toBe(true)
    expect(ok('phone_number', '+86-0766-66888866')).toBe(true)
    expect(ok('phone_number', '+86-0766-668888661234')).toBe(false)
    expect(ok('car_number', '粤A8Z888挂')).toBe(true)
    expect(ok('letter', 'AbC')).toBe(true)
    expect(ok('symbol', '!!!!!!')).toBe(false)
  })
})

describe('templateData: the one builder of every template', () => {
  it('writes times in WeChat\'s time format, in Shanghai, and never leaves a time empty', () => {
    expect(wechatTime(NOW)).toBe('2026年3月2日 15:00')
    const data = templateData('crisisAlert', { title: '紧急求助：王小雨', detail: '请马上打电话' }, NOW)
    expect(data).toEqual({ thing1: { value: '紧急求助：王小雨' }, time2: { value: '2026年3月2日 15:00' }, phrase3: { value: '紧急' }, thing4: { value: '请马上打电话' } })
    expect(templateData('callReminder', { title: '明天有和孩子的通话', at: new Date('2026-03-03T01:30:00Z') }, NOW).time2.value).toBe('2026年3月3日 09:30')
  })
  it('cuts a 25-character thing safely to 20 (the last an ellipsis), and fills an empty one', () => {
    const long = '强制报告：王小雨在石桥镇中心小学四年级二班放学路上受到伤害'
    const data = templateData('careAlert', { title: long, detail: '' }, NOW)
    expect([...data.thing1.value]).toHaveLength(20)
    expect(data.thing1.value).toBe(cut(long, 20))
    expect(data.thing1.value.endsWith('…')).toBe(true)
    expect(data.thing2.value).toBe('详见雏燕小程序')
  })
  it('gives a report\'s reference as a character_string, and a status as a phrase', () => {
    expect(templateData('reportAlert', { title: '强制报告：王小雨', ref: 'QB20260302-A1B2C3' }, NOW).character_string2.value).toBe('QB20260302-A1B2C3')
    expect(templateData('reportAlert', { title: '强制报告：王小雨' }, NOW).character_string2.value).toBe('-')
    expect(templateData('deadlineAlert', { title: '已超时：决定', urgent: true }, NOW).phrase3.value).toBe('已超时')
    expect(templateData('deadlineAlert', { title: '快到期：决定' }, NOW).phrase3.value).toBe('快到期')
  })
  it('never builds data WeChat would refuse, whatever the notice says (checked by the local cloud\'s rules)', () => {
    const rnd = prng(14)
    const alphabet = ['王', '小', '雨', 'a', 'Z', '7', '：', '，', ' ', '\n', '😀', '—', '…', '%', '\t', '年']
    const text = (n: number) => Array.from({ length: n }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('')
    const declarations = new Map(templateDeclarations(defaultTemplateId).map((d) => [d.id, d]))
    for (let i = 0; i < 400; i++) {
      const key = TEMPLATE_KEYS[i % TEMPLATE_KEYS.length]
      const notice = { title: text(Math.floor(rnd() * 40)), detail: text(Math.floor(rnd() * 40)), ref: text(Math.floor(rnd() * 40)), urgent: rnd() < 0.5, at: rnd() < 0.5 ? new Date(NOW.getTime() + Math.floor(rnd() * 1e10)) : undefined }
      const data = templateData(key, notice, NOW)
      expect([key, notice, checkTemplateData(declarations.get(defaultTemplateId(key))!, data)]).toEqual([key, notice, undefined])
    }
  })
  it('fits each type to its rule', () => {
    expect(fitKeyword('thing', '  ')).toBe('详见雏燕小程序')
    expect(fitKeyword('name', 'Dr 王小雨王小雨王小雨王小')).toBe('王小雨王小雨王小雨王')
    expect(fitKeyword('character_string', '编号 QB1')).toBe('QB1')
    expect(fitKeyword('phrase', '非常非常紧急')).toBe('提醒')
  })
})

describe('the templates, declared once', () => {
  it('declares every template\'s keywords with a WeChat type, and names its default id after its key', () => {
    for (const key of TEMPLATE_KEYS) {
      for (const [name, k] of Object.entries(TEMPLATES[key].keywords)) expect([key, name, name.startsWith(k.type)]).toEqual([key, name, true])
    }
    expect(defaultTemplateId('crisisAlert')).toBe('TPL_CRISIS_ALERT')
  })
  it('lists the alerts each staff duty needs', () => {
    expect(dutyAlerts(['counselor'])).toEqual(['crisisAlert', 'staffBooking'])
    expect(dutyAlerts(['teacher', 'volunteer'])).toEqual(['careAlert', 'staffBooking', 'pairingOffer', 'pairingReminder'])
    expect(dutyAlerts(['parent'])).toEqual([])
  })
})

describe('the urgent SMS', () => {
  it('fills its two variables, each within what the template allows, with no link', () => {
    const [a, b] = smsParams({ title: '强制报告：王小雨在石桥镇中心小学受到伤害（现在有危险）', detail: '看 https://x.cn 编号 QB1，请立即处理' })
    expect([...a].length).toBeLessThanOrEqual(SMS_URGENT_TEMPLATE.maxParamLength)
    expect(b).not.toMatch(/https?:/)
    expect(smsParams({ title: '', detail: '' })).toEqual(['有紧急情况', '请查看'])
  })
})
