/**
 * 强制报告 in a minute: is the child in danger now (yes: 110 first, one tap, on top), which child, what kind,
 * what was seen, when, where. One idempotency key is kept across retries of the same report, so a second tap or a
 * retry after a dropped network never files it twice. The receipt gives the reference and time.
 */
import { useEffect, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { HARM_KINDS, HARM_KIND_LABELS, addDays, type ActionOutput, type HarmKind, type Role, type WhoAmI } from '../../../domain'
import { callCloud } from '../../../services/cloud'
import { dateTimeWords, today } from '../../../services/format'
import { go } from '../../../services/nav'
import { useAttemptKey } from '../../../hooks/useAttemptKey'
import { useCloud } from '../../../hooks/useCloud'
import { Button } from '../../../components/nut'
import { Page } from '../../../components/Page'
import { Chips, OneOf } from '../../../components/Chips'
import { Field } from '../../../components/Field'
import { LongText, TextInput } from '../../../components/TextInput'
import { RecentDayPicker } from '../../../components/DayWheels'
import { EmptyState, ErrorState, LoadingState, ProblemBox, fieldsOf, messageOf } from '../../../components/States'
import { Call110 } from './Call110'
import '../safeguard.scss'
import { useFieldErrors } from '../../../hooks/useFieldErrors'

type Me = Extract<WhoAmI, { registered: true }>
type Receipt = ActionOutput<'safeguard', 'report'>
export interface Pickable { id: string, name: string, detail?: string }
interface Township { value: string, label: string }

/** Roles the safeguard function takes reports from (cloudfunctions/safeguard/reports.ts REPORTERS). */
const REPORTERS: readonly Role[] = ['teacher', 'volunteer', 'counselor', 'childWelfareOfficer', 'parent', 'guardian', 'admin', 'lawyer', 'legalAidOfficer', 'police']
/** Roles that find a child by name in the registry (registry.listChildren). */
const SEARCHERS: readonly Role[] = ['teacher', 'childWelfareOfficer', 'admin']

const KIND_OPTIONS = HARM_KINDS.map((k) => ({ value: k, label: HARM_KIND_LABELS[k] }))
const DANGER_OPTIONS = [{ value: 'yes', label: '有危险' }, { value: 'no', label: '现在没有' }] as const
const PLACES = ['学校', '家里', '村里', '路上']

/** The child is picked from a list (childId) or, when not there, described: a name, a township, anything else. */
interface Described { name: string, townshipId?: string, about: string }
interface Form { childId?: string, described?: Described, kinds: HarmKind[], seen: string, when?: string, where: string, danger?: 'yes' | 'no' }
const NOBODY: Described = { name: '', about: '' }

/** The children this person can pick without typing: bound ones (family) and paired ones (volunteers). */
async function pickableChildren (me: Me, roles: Set<Role>): Promise<Pickable[]> {
  const out = new Map<string, Pickable>()
  for (const c of me.children) out.set(c.id, { id: c.id, name: c.name, detail: `${c.schoolName} ${c.className} · 我是${c.relationLabel}` })
  if (roles.has('volunteer')) {
    const paired = await callCloud('counseling', 'children', {}).catch(() => ({ children: [] }))
    for (const c of paired.children) if (!out.has(c.id)) out.set(c.id, { id: c.id, name: c.name, detail: '我结对的孩子' })
  }
  return [...out.values()]
}

export function ReportForm () {
  const loaded = useCloud(async () => {
    const me = await callCloud('account', 'whoami', {})
    if (!me.registered) return { me: undefined, roles: new Set<Role>(), picks: [] as Pickable[], townships: [] as Township[] }
    const roles = new Set<Role>(me.roles.filter((r) => r.status === 'active').map((r) => r.role))
    // Townships (public places) to place a child who is not on any list; a county name only when there are several.
    // Without them the form still works for a child picked from a list: a report form must not fail to open.
    const [picks, areas] = await Promise.all([pickableChildren(me, roles), callCloud('pairing', 'areas', {}).catch(() => ({ counties: [] }))])
    const townships = areas.counties.flatMap((c) => c.townships.map((t) => ({ value: t.id, label: areas.counties.length > 1 ? `${c.name}${t.name}` : t.name })))
    return { me, roles, picks, townships }
  })
  // `when` unset means today, read when sent: the cloud's clock may have moved since the form opened.
  const [form, setForm] = useState<Form>({ kinds: [], seen: '', where: '' })
  const [picked, setPicked] = useState<Pickable>()
  const [errors, setErrors] = useFieldErrors()
  const [failure, setFailure] = useState<string>()
  const [busy, setBusy] = useState(false)
  const [receipt, setReceipt] = useState<Receipt>()
  const attempt = useAttemptKey()

  const set = (patch: Partial<Form>) => {
    setForm((f) => ({ ...f, ...patch }))
    setFailure(undefined)
    setErrors((e) => {
      const next = { ...e }
      for (const k of Object.keys(patch)) {
        if (k === 'described' || k === 'childId') for (const f of ['childId', 'unlistedChild.name', 'unlistedChild.townshipId', 'unlistedChild.about']) delete next[f]
        else delete next[k === 'danger' ? 'dangerNow' : k]
      }
      return next
    })
  }

  // With no list to pick from (police, counsellors, lawyers, a parent with no child bound yet), describing is the way.
  const describedNow = (): Described | undefined => form.described ?? (loaded.data && loaded.data.picks.length === 0 && !SEARCHERS.some((r) => loaded.data!.roles.has(r)) ? NOBODY : undefined)
  const pick = (c: Pickable) => { setPicked(c); set({ childId: c.id, described: undefined }) }
  const describe = (d: Described | undefined) => { setPicked(undefined); set({ childId: undefined, described: d }) }

  async function submit () {
    setFailure(undefined)
    setBusy(true)
    const described = describedNow()
    try {
      const report = {
        ...(described
          ? { unlistedChild: { name: described.name, townshipId: described.townshipId ?? '', ...(described.about.trim() ? { about: described.about } : {}) } }
          : { childId: form.childId }),
        kinds: form.kinds, seen: form.seen, when: form.when ?? today(), where: form.where, dangerNow: form.danger === undefined ? undefined as unknown as boolean : form.danger === 'yes'
      }
      // A retry of the same report keeps its key, so a second tap or a dropped network never files it twice.
      const res = await callCloud('safeguard', 'report', { report, idempotencyKey: attempt.keyFor(JSON.stringify(report)) })
      attempt.done()
      setReceipt(res)
      Taro.pageScrollTo({ scrollTop: 0, duration: 0 }).catch(() => undefined)
    } catch (err) {
      const e = fieldsOf(err, { prefix: 'report.', topNames: true })
      setErrors(e)
      setFailure(Object.keys(e).length > 0 ? '还有几处要填，请看上面的红字。' : messageOf(err))
    } finally {
      setBusy(false)
    }
  }

  function again () {
    setForm({ kinds: [], seen: '', where: '' })
    setPicked(undefined)
    setErrors({})
    setFailure(undefined)
    setReceipt(undefined)
    Taro.pageScrollTo({ scrollTop: 0, duration: 0 }).catch(() => undefined)
  }

  if (loaded.loading && !loaded.data) return <Page className='sg-root'><LoadingState /></Page>
  if (loaded.error && !loaded.data) return <Page className='sg-root'><ErrorState error={loaded.error} onRetry={loaded.reload} /></Page>
  const data = loaded.data!
  if (!data.me || ![...data.roles].some((r) => REPORTERS.includes(r))) {
    return (
      <Page testId='report-not-allowed' className='sg-root'>
        <Call110 text='孩子有危险，请马上拨打 110' hint='' />
        <EmptyState title='您还不能在这里报告' description='登记为家长、监护人、老师、志愿者或工作人员后才能在这里报告。遇到孩子受到伤害，请直接拨打 110。' />
      </Page>
    )
  }

  if (receipt) return <ReceiptView receipt={receipt} childName={picked?.name ?? form.described?.name ?? ''} onAgain={again} />

  const canSearch = SEARCHERS.some((r) => data.roles.has(r))
  const hasList = data.picks.length > 0 || canSearch
  return (
    <Page testId='report-form' className='sg-root'>
      {form.danger === 'yes' && <Call110 />}
      <View className='title'>报告孩子受到伤害</View>
      <View className='hint'>发现孩子可能受到伤害，法律要求立即报告。报告会马上送到孩子所在辖区的派出所，同时抄送县民政局、教育局。</View>

      <Field label='孩子现在有危险吗？' error={errors.dangerNow} testId='f-danger'>
        <OneOf options={DANGER_OPTIONS} value={form.danger} testId='danger'
          onChange={(v) => { set({ danger: v }); if (v === 'yes') Taro.pageScrollTo({ scrollTop: 0, duration: 200 }).catch(() => undefined) }} />
      </Field>

      <Field label='是哪个孩子？' error={errors.childId} testId='f-child'>
        <ChildPicker picks={data.picks} canSearch={canSearch} picked={picked} onPick={pick} onClear={() => { setPicked(undefined); set({ childId: undefined }) }}
          described={describedNow()} onDescribe={describe} townships={data.townships} errors={errors} hasList={hasList} />
      </Field>

      <Field label='是什么情况？' hint='可以选几项；拿不准就选「受到伤害（待核实）」' hintAbove error={errors.kinds} testId='f-kinds'>
        <Chips options={KIND_OPTIONS} value={form.kinds} onChange={(kinds) => set({ kinds })} testId='kind' />
      </Field>

      <Field label='看到或听到了什么？' hint='照实写：看到的伤、孩子说的话、谁在场' hintAbove error={errors.seen} testId='f-seen'>
        <LongText value={form.seen} onChange={(seen) => set({ seen })} maxLength={1000} placeholder='例如：孩子胳膊上有大片淤青，说是家里人打的' />
      </Field>

      <Field label='什么时候？' error={errors.when} testId='f-when'>
        <RecentDayPicker value={form.when ?? today()} onChange={(when) => set({ when })} start={addDays(today(), -365)} end={today()} title='哪一天看到的' testId='when' />
      </Field>

      <Field label='在哪里？' error={errors.where} testId='f-where'>
        <View className='chips'>
          {PLACES.map((p) => (
            <View key={p} className={form.where === p ? 'chip chip--on' : 'chip'} onClick={() => set({ where: p })}>{p}</View>
          ))}
        </View>
        <TextInput value={form.where} onChange={(where) => set({ where })} maxLength={100} placeholder='或者写具体地点' testId='where' />
      </Field>

      <View className='sg-bar'>
        <ProblemBox message={failure} />
        <Button block size='large' type='danger' loading={busy} disabled={busy} data-testid='submit' onClick={submit}>立即报告</Button>
        <View className='sg-small sg-center'>报告人的信息只有处理的部门能看到</View>
      </View>
    </Page>
  )
}

/** Which child: the bound or paired ones as big buttons; staff type a name and pick from the registry's matches;
 * anyone may instead describe a child who is on no list (described). */
function ChildPicker ({ picks, canSearch, picked, onPick, onClear, described, onDescribe, townships, errors, hasList }: {
  picks: Pickable[], canSearch: boolean, picked?: Pickable, onPick: (c: Pickable) => void, onClear: () => void,
  described?: Described, onDescribe: (d: Described | undefined) => void, townships: Township[], errors: Record<string, string>, hasList: boolean
}) {
  if (picked) {
    return (
      <View className='sg-picked' data-testid='picked-child'>
        <View>
          <View className='sg-picked__name'>{picked.name}</View>
          {picked.detail && <View className='sg-small'>{picked.detail}</View>}
        </View>
        <View className='sg-link' data-testid='change-child' onClick={onClear}>换一个</View>
      </View>
    )
  }
  if (described) {
    return <DescribeChild value={described} onChange={onDescribe} townships={townships} errors={errors} onBack={hasList ? () => onDescribe(undefined) : undefined} />
  }
  return (
    <View>
      {picks.map((c) => (
        <View key={c.id} className='sg-option' data-testid='child-option' onClick={() => onPick(c)}>
          <View className='sg-option__name'>{c.name}</View>
          {c.detail && <View className='sg-small'>{c.detail}</View>}
        </View>
      ))}
      {canSearch && <ChildSearch onPick={onPick} />}
      <View className='sg-link' data-testid='describe-child' onClick={() => onDescribe(NOBODY)}>名单里没有这个孩子？写下孩子的名字</View>
    </View>
  )
}

/** A child on no list: a name (a nickname will do), the township (whose police get it), and anything that helps find them. */
function DescribeChild ({ value, onChange, townships, errors, onBack }: {
  value: Described, onChange: (d: Described) => void, townships: Township[], errors: Record<string, string>, onBack?: () => void
}) {
  const error = (f: string) => errors[`unlistedChild.${f}`] && <View className='field__error' data-testid={`child-${f}-error`}>{errors[`unlistedChild.${f}`]}</View>
  return (
    <View data-testid='describe'>
      <View className='sg-small'>不知道全名，可以写小名或称呼。报告会送到孩子所在乡镇的派出所。</View>
      <TextInput value={value.name} onChange={(name) => onChange({ ...value, name })} maxLength={20} placeholder='孩子的名字' testId='child-name' />
      {error('name')}
      <View className='field__hint field__hint--gap'>孩子在哪个乡镇？</View>
      <OneOf options={townships} value={value.townshipId} onChange={(townshipId) => onChange({ ...value, townshipId })} testId='township' />
      {error('townshipId')}
      <LongText value={value.about} onChange={(about) => onChange({ ...value, about })} maxLength={200} rows={2} placeholder='其他能帮忙找到孩子的：大概几岁、哪个村、哪个学校、家里有谁（可不填）' testId='child-about' />
      {error('about')}
      {onBack && <View className='sg-link' data-testid='back-to-list' onClick={onBack}>从名单里选</View>}
    </View>
  )
}

/** Type a name; the registry's matches in the person's own area appear under it. */
export function ChildSearch ({ onPick }: { onPick: (c: Pickable) => void }) {
  const [name, setName] = useState('')
  const [state, setState] = useState<{ loading?: boolean, error?: string, items?: Pickable[], total?: number }>({})
  const seq = useRef(0)
  useEffect(() => {
    const q = name.trim()
    const mine = ++seq.current
    if (!q) { setState({}); return }
    setState((s) => ({ ...s, loading: true, error: undefined }))
    const timer = setTimeout(() => {
      callCloud('registry', 'listChildren', { name: q, page: 1, pageSize: 10 }).then(
        (res) => {
          if (mine !== seq.current) return
          setState({ items: res.items.map((c) => ({ id: c.id, name: c.name, detail: `${c.age}岁 · ${c.schoolName} ${c.className} · ${c.villageName}` })), total: res.total })
        },
        (err) => { if (mine === seq.current) setState({ error: messageOf(err) }) }
      )
    }, 300)
    return () => clearTimeout(timer)
  }, [name])
  return (
    <View data-testid='child-search'>
      <TextInput value={name} onChange={setName} placeholder='输入孩子的姓名' maxLength={20} />
      {state.loading && <View className='sg-small'>正在查找…</View>}
      {state.error && <View className='field__error'>{state.error}</View>}
      {state.items && state.items.length === 0 && <View className='sg-note' data-testid='no-match'>没有找到叫「{name.trim()}」的孩子。请核对名字；孩子有危险请直接拨打 110。</View>}
      {state.items?.map((c) => (
        <View key={c.id} className='sg-option' data-testid='child-option' onClick={() => onPick(c)}>
          <View className='sg-option__name'>{c.name}</View>
          <View className='sg-small'>{c.detail}</View>
        </View>
      ))}
      {state.total !== undefined && state.items && state.total > state.items.length && <View className='sg-small'>还有 {state.total - state.items.length} 个同名或相近的孩子，请多写几个字</View>}
    </View>
  )
}

function ReceiptView ({ receipt, childName, onAgain }: { receipt: Receipt, childName: string, onAgain: () => void }) {
  return (
    <Page testId='report-receipt' className='sg-root'>
      {receipt.call110 && <Call110 text='您说孩子现在有危险：请马上拨打 110' hint='报告已经送出。报警时可以说出下面的报告编号。' />}
      <View className='sg-done'>
        <View className='sg-done__title'>已报告</View>
        <View className='sg-small'>报告编号</View>
        <View className='sg-done__ref' data-testid='receipt-reference'>{receipt.reference}</View>
        <View data-testid='receipt-time'>报告时间：{dateTimeWords(receipt.filedAt)}</View>
        {childName && <View>孩子：{childName}</View>}
      </View>
      {receipt.deliveredTo.length > 0
        ? <View className='sg-card' data-testid='delivered-to'><Text className='sg-strong'>已送达：</Text>{receipt.deliveredTo.join('、')}</View>
        : <View className='sg-danger' data-testid='not-delivered'>系统没有找到这个孩子所在辖区的公安联络员。请马上拨打 110 报告，并记下这个编号。</View>}
      <View className='hint'>公安接收和处理的进展，可以在「我的报告」里看到。请记下报告编号，需要时向派出所说明。</View>
      <View className='big-button'>
        <Button block size='large' type='primary' data-testid='go-mine' onClick={() => go('/packages/safeguard/pages/mine/index')}>查看我的报告</Button>
      </View>
      <View className='big-button'>
        <Button block size='large' data-testid='report-another' onClick={onAgain}>再报告一个</Button>
      </View>
    </Page>
  )
}
