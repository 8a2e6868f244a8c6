import { useEffect, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import {
  CATEGORIES, CATEGORY_LABELS, STATUSES, STATUS_LABELS,
  type Category, type ChildListItem, type ChildStatus
} from '../../../../domain'
import { callCloud, type CloudError } from '../../../../services/cloud'
import { saveTextFile } from '../../../../services/files'
import { dateTimeWords } from '../../../../services/format'
import { go } from '../../../../services/nav'
import { useCloud } from '../../../../hooks/useCloud'
import { useReloadOnShow } from '../../../../hooks/useReloadOnShow'
import { Page } from '../../../../components/Page'
import { Button, Cell, CellGroup, Tag } from '../../../../components/nut'
import { Checkbox } from '../../../../components/nut-forms/Checkbox'
import { EmptyState, ErrorState, LoadingState, showError } from '../../../../components/States'
import { Choice } from '../../../../components/Choice'
import { TextInput } from '../../../../components/TextInput'
import { ConsentTag, StatusTag } from '../../components/tags'

interface Filters { name?: string, townshipId?: string, schoolId?: string, status?: ChildStatus, category?: Category, noContactThisWeek?: boolean, consent?: ConsentState }
type ConsentState = 'pending' | 'granted' | 'refused'
const CONSENT_FILTERS: Array<{ value: '' | ConsentState, label: string }> = [{ value: '', label: '全部' }, { value: 'pending', label: '待监护人同意' }, { value: 'granted', label: '已同意' }, { value: 'refused', label: '不同意' }]

const PAGE_SIZE = 20

/** The registry of my area (一人一档): search, filter, page through, open a file, register a child, export. */
export default function RegistryList () {
  const options = useCloud(() => callCloud('registry', 'options', {}))
  const [name, setName] = useState('')
  const [filters, setFilters] = useState<Filters>({})
  const [showFilters, setShowFilters] = useState(false)
  const [list, setList] = useState<{ items: ChildListItem[], total: number, page: number, awaitingConsent: number } | undefined>()
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<CloudError | undefined>()
  const [exporting, setExporting] = useState(false)
  const seq = useRef(0)

  async function load (page: number, f: Filters = filters) {
    const mine = ++seq.current
    setLoading(true)
    setError(undefined)
    try {
      const res = await callCloud('registry', 'listChildren', { ...clean(f), page, pageSize: PAGE_SIZE })
      if (mine !== seq.current) return
      setList((prev) => ({ items: page === 1 || !prev ? res.items : [...prev.items, ...res.items], total: res.total, page: res.page, awaitingConsent: res.awaitingConsent }))
    } catch (err) {
      if (mine === seq.current) setError(err as CloudError)
    } finally {
      if (mine === seq.current) setLoading(false)
    }
  }

  useEffect(() => { load(1) }, [filters]) // eslint-disable-line react-hooks/exhaustive-deps -- new filters start again at page 1
  // Coming back from a file or the form: the list may have changed.
  useReloadOnShow(() => load(1))

  const setFilter = (patch: Filters) => setFilters((f) => ({ ...f, ...patch }))
  const active = Object.values(clean(filters)).length

  async function exportCsv () {
    setExporting(true)
    try {
      const res = await callCloud('registry', 'exportChildren', clean(filters))
      if (res.rows === 0) {
        Taro.showToast({ title: '没有可以导出的孩子', icon: 'none' })
        return
      }
      await saveTextFile(res.filename, res.csv)
      Taro.showToast({ title: `已导出${res.rows}个孩子`, icon: 'none' })
    } catch (err) {
      showError(err)
    } finally {
      setExporting(false)
    }
  }

  const townships = options.data?.townships ?? []
  // A township chosen: only its schools to choose from.
  const allSchools = options.data?.schools.length ?? 0
  const schools = (options.data?.schools ?? []).filter((s) => !filters.townshipId || s.townshipId === filters.townshipId)
  /** A school of another township is dropped with the change of township. */
  function chooseTownship (id: string) {
    const keep = !id || !filters.schoolId || (options.data?.schools ?? []).some((s) => s.id === filters.schoolId && s.townshipId === id)
    setFilter({ townshipId: id || undefined, ...(keep ? {} : { schoolId: undefined }) })
  }
  return (
    <Page testId='registry-list'>
      <View className='row-between'>
        <View className='title'>儿童档案</View>
        {list && <Text className='hint' data-testid='total'>共 {list.total} 个孩子</Text>}
      </View>
      {/* Only teachers and child-welfare officers register children (an admin keeps the list but registers nobody). */}
      {options.data?.mayRegister && (options.data.schools.length > 0 || options.data.villages.length > 0) && (
        <Button type='primary' size='large' block data-testid='register-child' onClick={() => go('/packages/registry/pages/edit/index')}>＋ 登记新孩子</Button>
      )}
      {list && list.awaitingConsent > 0 && filters.consent !== 'pending' && (
        <View className='card card--notice' data-testid='awaiting-consent' onClick={() => setFilters({ consent: 'pending' })}>
          <Text>有 {list.awaitingConsent} 个档案还在等监护人同意：同意以前，导出时只带最少的信息。请给家人绑定码，让他们在手机上看同意书。</Text>
          <View><Text className='link'>只看这些档案 ›</Text></View>
        </View>
      )}

      <View className='search-row'>
        <View className='search-row__input'>
          <TextInput value={name} onChange={setName} placeholder='输入孩子姓名' maxLength={20} testId='search-name' />
        </View>
        <Button type='primary' onClick={() => setFilter({ name: name.trim() || undefined })}>搜索</Button>
      </View>
      <View className='row-between'>
        <Button fill='none' onClick={() => setShowFilters(!showFilters)}>
          {showFilters ? '收起筛选 ▲' : `筛选${active > (filters.name ? 1 : 0) ? `（已选${active - (filters.name ? 1 : 0)}项）` : ''} ▼`}
        </Button>
        {active > 0 && <Button fill='none' onClick={() => { setName(''); setFilters({}) }}>清除条件</Button>}
      </View>
      {showFilters && (
        <View className='card' data-testid='filters'>
          {townships.length > 1 && (
            <View>
              <View className='section-title'>乡镇</View>
              <Choice value={filters.townshipId ?? ''} onChange={chooseTownship} testId='filter-township'
                options={[{ value: '', label: '全部' }, ...townships.map((t) => ({ value: t.id, label: t.name }))]} />
            </View>
          )}
          {allSchools > 1 && schools.length > 0 && (
            <View>
              <View className='section-title'>学校</View>
              <Choice value={filters.schoolId ?? ''} onChange={(v) => setFilter({ schoolId: v || undefined })} testId='filter-school'
                options={[{ value: '', label: '全部' }, ...schools.map((s) => ({ value: s.id, label: s.name }))]} />
            </View>
          )}
          <View className='section-title'>留守状态</View>
          <Choice value={filters.status ?? ''} onChange={(v) => setFilter({ status: (v || undefined) as ChildStatus | undefined })}
            options={[{ value: '', label: '全部' }, ...STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))]} />
          <View className='section-title'>困难类别</View>
          <Choice value={filters.category ?? ''} onChange={(v) => setFilter({ category: (v || undefined) as Category | undefined })}
            options={[{ value: '', label: '全部' }, ...CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }))]} />
          <View className='section-title'>监护人同意</View>
          <Choice value={filters.consent ?? ''} onChange={(v) => setFilter({ consent: (v || undefined) as ConsentState | undefined })} options={CONSENT_FILTERS} testId='filter-consent' />
          <View className='section-title'>亲情通话</View>
          <View className='choice'>
            <Checkbox shape='button' checked={!!filters.noContactThisWeek} label='只看本周还没和爸妈通话的'
              onChange={(v) => setFilter({ noContactThisWeek: v || undefined })} />
          </View>
        </View>
      )}

      {loading && !list && <LoadingState />}
      {error && <ErrorState error={error} onRetry={() => load(1)} />}
      {list && list.items.length === 0 && !loading && (
        <EmptyState title={active ? '没有符合条件的孩子' : '还没有登记孩子'}
          description={active ? '换个条件再找找，或清除条件' : options.data ? '点上面的“登记新孩子”开始登记' : '您管辖的地方还没有登记孩子'} />
      )}
      {list && list.items.length > 0 && (
        <CellGroup>
          {list.items.map((c) => (
            <Cell key={c.id} onClick={() => go(`/packages/registry/pages/child/index?id=${encodeURIComponent(c.id)}`)}
              title={
                <View className='tag-row'>
                  <Text className='row-name'>{c.name}</Text><Text>{c.age}岁</Text>
                  <StatusTag status={c.status} label={c.statusLabel} />
                  <ConsentTag state={c.consentState} />
                </View>
              }
              description={
                <View>
                  <View>{c.schoolName} {c.className} · {c.villageName}</View>
                  <View>监护人 {c.guardianName} {c.guardianPhoneMasked}</View>
                  {c.categories.length > 0 && <View className='tag-row'>{c.categories.map((k) => <Tag key={k} plain type='warning'>{CATEGORY_LABELS[k]}</Tag>)}</View>}
                  <View className='small'>{c.lastHeldCallAt ? `上次亲情通话 ${dateTimeWords(c.lastHeldCallAt)}` : '还没有亲情通话记录'}</View>
                </View>
              }
              extra='›' />
          ))}
        </CellGroup>
      )}
      {list && list.items.length < list.total && (
        <View className='big-button'>
          <Button block size='large' loading={loading} disabled={loading} onClick={() => load(list.page + 1)}>加载更多（还有 {list.total - list.items.length} 个）</Button>
        </View>
      )}
      {list && list.total > 0 && (
        <View className='big-button'>
          <Button block size='large' loading={exporting} disabled={exporting} onClick={exportCsv}>导出表格</Button>
          <View className='hint'>导出的是上面筛选出的孩子。还没有监护人同意的档案，只导出姓名、学校、村和困难类别。名单里有孩子的信息，请妥善保管，不要发到群里。</View>
        </View>
      )}
    </Page>
  )
}

function clean (f: Filters): Filters {
  const out: Filters = {}
  if (f.name) out.name = f.name
  if (f.townshipId) out.townshipId = f.townshipId
  if (f.schoolId) out.schoolId = f.schoolId
  if (f.status) out.status = f.status
  if (f.category) out.category = f.category
  if (f.noContactThisWeek) out.noContactThisWeek = true
  if (f.consent) out.consent = f.consent
  return out
}
