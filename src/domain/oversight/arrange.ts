/**
 * How an oversight list reads on a phone: people in pinyin order (何, 黄, 刘, 吴 — not by code point), children grouped
 * by school and class when the list has them, each row a name and one line of the rest.
 */

/** Chinese names in pinyin order, as a person looks them up; `Intl.Collator('zh-CN')` (full ICU in Node and browsers). */
const collator = new Intl.Collator('zh-CN', { numeric: true })
export const byPinyin = (a: string, b: string): number => collator.compare(a, b)

export interface ArrangedRow {
  /** the row's place in the list as served (its `opens` entry) */
  index: number
  name: string
  /** the other columns, "column value" joined, without those the group already says */
  line: string
}
export interface ArrangedGroup { title: string, rows: ArrangedRow[] }

/** The columns a list is grouped by, when it has them. */
const GROUP_COLUMNS = ['学校', '班级']

/**
 * Groups a list's rows by school and class (when it has those columns; else one group with no title) and sorts the
 * groups, and the rows in each by their first column, in pinyin order.
 */
export function arrangeList (columns: readonly string[], rows: ReadonlyArray<readonly string[]>): ArrangedGroup[] {
  const groupAt = GROUP_COLUMNS.map((c) => columns.indexOf(c)).filter((i) => i > 0)
  const rest = columns.map((c, i) => ({ c, i })).filter(({ i }) => i > 0 && !groupAt.includes(i))
  const groups = new Map<string, ArrangedRow[]>()
  rows.forEach((row, index) => {
    const title = groupAt.map((i) => row[i] ?? '').filter(Boolean).join(' ')
    const line = rest.map(({ c, i }) => `${c} ${row[i] || '—'}`).join(' · ')
    const list = groups.get(title) ?? []
    list.push({ index, name: row[0] || '—', line })
    groups.set(title, list)
  })
  return [...groups.entries()]
    .sort(([a], [b]) => byPinyin(a, b))
    .map(([title, list]) => ({ title, rows: list.sort((x, y) => byPinyin(x.name, y.name)) }))
}
