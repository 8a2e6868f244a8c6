import { arrangeList, byPinyin } from '../../src/domain/oversight/arrange'

describe('byPinyin', () => {
  it('puts surnames in pinyin order, as a person looks them up (not by code point)', () => {
    expect(['黄明', '吴敏', '刘心怡', '何静'].sort(byPinyin)).toEqual(['何静', '黄明', '刘心怡', '吴敏'])
    // By code point 何 (U+4F55) comes before 刘 (U+5218) and 吴 (U+5434), and 黄 (U+9EC4) last.
    expect(['黄明', '吴敏', '刘心怡', '何静'].sort()).not.toEqual(['何静', '黄明', '刘心怡', '吴敏'])
  })

  it('orders classes by their number', () => {
    expect(['十年级', '二年级（10）班', '二年级（2）班'].sort(byPinyin).slice(0, 2)).toEqual(['二年级（2）班', '二年级（10）班'])
  })
})

describe('arrangeList', () => {
  const columns = ['姓名', '年龄', '学校', '班级', '最近通话']
  const rows = [
    ['黄小龙', '9', '石桥镇中心小学', '三年级（1）班', '11月28日'],
    ['吴小花', '10', '白沙中心小学', '四年级（2）班', ''],
    ['何小明', '9', '石桥镇中心小学', '三年级（1）班', '12月1日'],
    ['刘小雨', '11', '石桥镇中心小学', '五年级（1）班', '11月30日']
  ]

  it('groups children by school and class, groups and names in pinyin order, and keeps each row\'s place', () => {
    const groups = arrangeList(columns, rows)
    expect(groups.map((g) => g.title)).toEqual(['白沙中心小学 四年级（2）班', '石桥镇中心小学 三年级（1）班', '石桥镇中心小学 五年级（1）班'])
    expect(groups[1].rows.map((r) => `${r.name}@${r.index}`)).toEqual(['何小明@2', '黄小龙@0'])
  })

  it('says the rest of a row in one line, without the school and class the group already says', () => {
    const [first] = arrangeList(columns, rows)
    expect(first.rows[0].line).toBe('年龄 10 · 最近通话 —')
  })

  it('keeps a list without schools as one untitled group in pinyin order', () => {
    const groups = arrangeList(['志愿者', '类别'], [['周宇', '青年志愿者'], ['冯志强', '青年企业家']])
    expect(groups).toEqual([{ title: '', rows: [{ index: 1, name: '冯志强', line: '类别 青年企业家' }, { index: 0, name: '周宇', line: '类别 青年志愿者' }] }])
  })
})
