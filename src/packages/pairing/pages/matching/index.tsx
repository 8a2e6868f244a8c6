import { useEffect, useState } from 'react'
import { View, Text } from '@tarojs/components'
import { MATCH_NEED_LABELS, matchNeedLabel, type ActionOutput, type SafeguardingRule } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { go } from '../../../../services/nav'
import { useCloud, type Loaded } from '../../../../hooks/useCloud'
import { useStep } from '../../../../hooks/useStep'
import { Page } from '../../../../components/Page'
import { Button } from '../../../../components/nut'
import { Choice } from '../../../../components/Choice'
import { Field } from '../../../../components/Field'
import { LongText, TextInput } from '../../../../components/TextInput'
import { Notice } from '../../../../components/Notice'
import { EmptyState, ErrorState, LoadingState, fieldsOf, messageOf, showDone, showError } from '../../../../components/States'
import '../../pairing.scss'

type Run = ActionOutput<'pairing', 'runMatching'>
type RuleKind = SafeguardingRule['kind']

/** A rule in the words an admin would say it. */
function ruleWords (r: SafeguardingRule): string {
  switch (r.kind) {
    case 'womenOnlyForGirlsFrom': return `${r.age}岁及以上的女孩只配女志愿者`
    case 'sameGenderFrom': return `${r.age}岁及以上的孩子只配同性别的志愿者`
    case 'needRequiresSkill': return `需要“${matchNeedLabel(r.need)}”的孩子只配会“${matchNeedLabel(r.skill ?? r.need)}”的志愿者`
    case 'maxDistanceKm': return `孩子和志愿者相距不超过${r.km}公里`
  }
}

const KIND_OPTIONS: Array<{ value: RuleKind, label: string }> = [
  { value: 'womenOnlyForGirlsFrom', label: '女孩只配女志愿者' },
  { value: 'sameGenderFrom', label: '只配同性别' },
  { value: 'needRequiresSkill', label: '特殊需要配专长' },
  { value: 'maxDistanceKm', label: '距离上限' }
]
const NEED_OPTIONS = Object.entries(MATCH_NEED_LABELS).map(([value, label]) => ({ value, label }))

/**
 * 结对匹配 (admin): the safeguarding rules of my area (hard rules no proposed pair breaks), 运行匹配 for children
 * who need a pair against vetted volunteers with room, the proposed pairs with their one-line explanation and
 * cost, the children left unmatched and why; the admin keeps or drops pairs and sends the offers.
 */
export default function MatchingPage () {
  const [run, setRun] = useState<Run | undefined>()
  const [running, setRunning] = useState(false)
  const [runError, setRunError] = useState<string | undefined>()
  const [township, setTownship] = useState<string>('')
  const me = useCloud(() => callCloud('account', 'whoami', {}))
  const areas = useCloud(() => callCloud('pairing', 'areas', {}))
  const safeguarding = useCloud(() => callCloud('pairing', 'safeguarding', {}))

  // Townships the admin may narrow a run to: those of the counties they are admin of.
  const counties = me.data?.registered ? me.data.roles.filter((r) => r.role === 'admin' && r.status === 'active' && r.scope?.level === 'county').map((r) => r.scope!.id) : []
  const townships = (areas.data?.counties ?? []).filter((c) => counties.includes(c.id)).flatMap((c) => c.townships)

  async function runMatching () {
    if (running) return
    setRunning(true)
    setRunError(undefined)
    try {
      setRun(await callCloud('pairing', 'runMatching', township ? { townshipId: township } : {}))
    } catch (err) {
      setRunError(messageOf(err, { oneField: true }))
    } finally {
      setRunning(false)
    }
  }

  return (
    <Page testId='pairing-matching' className='pr-root'>
      <View className='title'>结对匹配</View>
      <Rules saved={safeguarding} />

      <View className='section-title'>为孩子找爱心志愿者</View>
      <View className='hint'>匹配的是：已建档、监护人已同意、还没有结对的留守儿童，和审查有效、还有空位、能上门到孩子所在乡镇的志愿者。</View>
      {townships.length > 1 && (
        <Field label='在哪里匹配？' testId='f-township'>
          <Choice value={township} options={[{ value: '', label: '全部乡镇' }, ...townships.map((t) => ({ value: t.id, label: t.name }))]} onChange={(v) => { setTownship(v); setRun(undefined) }} alwaysButtons />
        </Field>
      )}
      <View className='big-button'>
        <Button block size='large' type='primary' loading={running} data-testid='run' onClick={runMatching}>{run ? '重新匹配' : '运行匹配'}</Button>
      </View>
      {runError && <Notice tone='danger' testId='run-error'>{runError}</Notice>}
      {run && <Proposal key={run.runId} run={run} onRelaxed={safeguarding.reload} />}
    </Page>
  )
}

/**
 * The safeguarding rules: the defaults child-protection practice uses, always on and read in words (a relaxation
 * for one pairing is listed with its reason); then the admin's own rules, removed one by one, added from four
 * kinds, saved together.
 */
function Rules ({ saved }: { saved: Loaded<ActionOutput<'pairing', 'safeguarding'>> }) {
  const [draft, setDraft] = useState<SafeguardingRule[] | undefined>()
  const [adding, setAdding] = useState(false)
  const [busy, setBusy] = useState(false)
  useEffect(() => { if (saved.data) setDraft(saved.data.rules) }, [saved.data])

  if (saved.loading && !saved.data) return <LoadingState text='正在读取安全规则…' />
  if (saved.error) return <ErrorState error={saved.error} onRetry={saved.reload} />
  if (!draft || !saved.data) return null
  const changed = JSON.stringify(draft) !== JSON.stringify(saved.data.rules)

  async function save () {
    if (busy || !draft) return
    setBusy(true)
    try {
      await callCloud('pairing', 'setSafeguarding', { rules: draft })
      showDone('规则已保存')
      saved.reload()
    } catch (err) {
      showError(err, { oneField: true })
    } finally {
      setBusy(false)
    }
  }

  return (
    <View className='pr-card' data-testid='rules'>
      <View className='pr-name'>安全规则</View>
      <View className='pr-sub'>匹配时一定遵守，不会建议违反规则的结对。这几条默认开启，不能关闭：</View>
      {saved.data.defaults.map((d) => <View key={d.words} className='pr-default' data-testid='default-rule'>✓ {d.words}</View>)}
      {saved.data.relaxations.length > 0 && (
        <View data-testid='relaxations'>
          <View className='pr-sub'>个别放宽的结对（已记录）：</View>
          {saved.data.relaxations.map((r) => (
            <View key={`${r.childId}:${r.volunteerId}`} className='pr-sub' data-testid='relaxation'>· {r.childName}—{r.volunteerName}：{r.reason}（{r.byName}）</View>
          ))}
        </View>
      )}
      <View className='pr-sub'>本地区另加的规则：</View>
      {draft.length === 0 && <View className='pr-empty-line'>没有另加的规则</View>}
      {draft.map((r, i) => (
        <View key={i} className='pr-rule' data-testid='rule'>
          <Text className='pr-rule__words'>{ruleWords(r)}</Text>
          <Text className='pr-link' onClick={() => setDraft(draft.filter((_x, j) => j !== i))}>删除</Text>
        </View>
      ))}
      {adding
        ? <RuleAdder onAdd={(r) => { setDraft([...draft, r]); setAdding(false) }} onCancel={() => setAdding(false)} />
        : draft.length < 10 && <Text className='pr-link' data-testid='add-rule' onClick={() => setAdding(true)}>＋ 添加规则</Text>}
      {changed && (
        <View className='pr-buttons'>
          <Button type='primary' size='large' loading={busy} data-testid='save-rules' onClick={save}>保存规则</Button>
          <Button size='large' onClick={() => setDraft(saved.data!.rules)}>不改了</Button>
        </View>
      )}
    </View>
  )
}

function RuleAdder ({ onAdd, onCancel }: { onAdd: (r: SafeguardingRule) => void, onCancel: () => void }) {
  const [kind, setKind] = useState<RuleKind>('womenOnlyForGirlsFrom')
  const [age, setAge] = useState('10')
  const [need, setNeed] = useState<string>('disability')
  const [skill, setSkill] = useState<string>('disability')
  const [km, setKm] = useState('10')
  const [error, setError] = useState<string | undefined>()

  function add () {
    const n = Number(kind === 'maxDistanceKm' ? km : age)
    if (kind === 'maxDistanceKm') {
      if (!(n > 0 && n <= 500)) return setError('请填1到500之间的公里数')
      return onAdd({ kind, km: n })
    }
    if (kind === 'needRequiresSkill') return onAdd({ kind, need, ...(skill !== need ? { skill } : {}) })
    if (!(Number.isInteger(n) && n >= 0 && n <= 18)) return setError('请填0到18之间的整数岁数')
    onAdd({ kind, age: n })
  }

  return (
    <View className='pr-form' data-testid='rule-adder'>
      <Field label='什么规则？'>
        <Choice value={kind} options={KIND_OPTIONS} onChange={(v) => { setKind(v); setError(undefined) }} />
      </Field>
      {(kind === 'womenOnlyForGirlsFrom' || kind === 'sameGenderFrom') && (
        <Field label='从几岁起？' error={error} testId='f-age'>
          <TextInput value={age} onChange={setAge} type='number' maxLength={2} />
        </Field>
      )}
      {kind === 'needRequiresSkill' && (
        <View>
          <Field label='孩子需要'><Choice value={need} options={NEED_OPTIONS} onChange={(v) => { setNeed(v); setSkill(v) }} /></Field>
          <Field label='志愿者要会'><Choice value={skill} options={NEED_OPTIONS} onChange={setSkill} /></Field>
        </View>
      )}
      {kind === 'maxDistanceKm' && (
        <Field label='最远几公里？' error={error} hint='只在孩子和志愿者都有位置时起作用'>
          <TextInput value={km} onChange={setKm} type='digit' maxLength={5} />
        </Field>
      )}
      <View className='pr-buttons'>
        <Button type='primary' size='large' data-testid='add-rule-yes' onClick={add}>加上这条</Button>
        <Button size='large' onClick={onCancel}>不加了</Button>
      </View>
    </View>
  )
}

/**
 * One pair the rules keep apart, in words. A pair kept apart only by the gender default can be relaxed for this
 * pairing alone, with a reason that is logged; the next run may then propose it.
 */
function ExclusionRow ({ e, onRelaxed }: { e: Run['exclusions'][number], onRelaxed: () => void }) {
  const [open, setOpen] = useState(false)
  const [reason, setReason] = useState('')
  const [done, setDone] = useState(false)
  const { busy, err, run } = useStep()
  async function relax () {
    if (await run(() => callCloud('pairing', 'relaxSafeguard', { childId: e.childId, volunteerId: e.volunteerId, reason }), '已放宽')) { setDone(true); setOpen(false); onRelaxed() }
  }
  return (
    <View className='pr-exclusion' data-testid='exclusion'>
      <View>{e.why}</View>
      {done && <Notice tone='ok' testId='relaxed'>已为这一对放宽，理由已记录。重新匹配后可能建议这一对。</Notice>}
      {e.relaxable && !done && !open && <Text className='pr-link' data-testid='relax-open' onClick={() => setOpen(true)}>特殊情况，为这一对放宽…</Text>}
      {open && (
        <View className='pr-form' data-testid='relax-form'>
          <Field label='为什么这一对可以例外？' hint='比如家人请求、上门时家人一直在场。理由会记录在案。' hintAbove error={fieldsOf(err).reason}>
            <LongText rows={2} value={reason} onChange={setReason} maxLength={200} testId='relax-reason' />
          </Field>
          {Boolean(err) && !fieldsOf(err).reason && <Notice tone='danger'>{messageOf(err)}</Notice>}
          <View className='pr-buttons'>
            <Button type='primary' size='large' loading={busy} disabled={busy} data-testid='relax' onClick={relax}>放宽这一对</Button>
            <Button size='large' disabled={busy} onClick={() => setOpen(false)}>不放宽</Button>
          </View>
        </View>
      )}
    </View>
  )
}

/** The proposed pairs (all chosen at first) and who is left unmatched; 发出邀请 sends the chosen ones. */
function Proposal ({ run, onRelaxed }: { run: Run, onRelaxed: () => void }) {
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(run.pairs.map((p) => p.childId)))
  const [busy, setBusy] = useState(false)
  const [sent, setSent] = useState<number | undefined>()
  const t = run.totals
  const toggle = (id: string) => {
    if (sent !== undefined) return
    const next = new Set(chosen)
    if (next.has(id)) next.delete(id); else next.add(id)
    setChosen(next)
  }

  async function send () {
    if (busy || chosen.size === 0) return
    setBusy(true)
    try {
      const res = await callCloud('pairing', 'sendOffers', { runId: run.runId, childIds: [...chosen] })
      setSent(res.sent)
    } catch (err) {
      showError(err, { oneField: true })
    } finally {
      setBusy(false)
    }
  }

  return (
    <View data-testid='proposal'>
      <View className='pr-card pr-totals' data-testid='totals'>
        <View className='pr-total'><Text className='pr-big'>{t.children}</Text>个孩子等结对</View>
        <View className='pr-total'><Text className='pr-big'>{t.volunteers}</Text>位志愿者有空位</View>
        <View className='pr-total'><Text className='pr-big'>{t.paired}</Text>对建议结对</View>
      </View>
      {run.pairs.length === 0
        ? <EmptyState title='这次没有可以建议的结对' description={t.children === 0 ? '现在没有等结对的孩子。' : '没有审查有效、有空位、能上门的志愿者。先审查志愿者，或请更多志愿者登记。'} />
        : (
          <View>
            <View className='section-title'>建议的结对（点一下可取消）</View>
            {run.pairs.map((p) => {
              const on = chosen.has(p.childId)
              return (
                <View key={p.childId} className={on ? 'pr-card pr-pair pr-pair--on' : 'pr-card pr-pair'} data-testid='pair' data-chosen={on ? 'yes' : 'no'} onClick={() => toggle(p.childId)}>
                  <View className='pr-row'>
                    <View className={on ? 'pr-check pr-check--on' : 'pr-check'}>{on ? '✓' : ''}</View>
                    <Text className='pr-name pr-pair__who'>{p.childName}</Text>
                  </View>
                  <View className='pr-pair__vol'>配 志愿者 {p.volunteerName}</View>
                  <View className='pr-why'>{p.explanation}</View>
                </View>
              )
            })}
            {sent === undefined
              ? (
                <View className='big-button'>
                  <Button block size='large' type='primary' loading={busy} disabled={chosen.size === 0} data-testid='send' onClick={send}>
                    {chosen.size === 0 ? '请至少选一对' : `发出邀请（${chosen.size}个）`}
                  </Button>
                  <View className='hint'>志愿者有7天时间接受或婉拒；婉拒或过期的孩子会在下次匹配时再配。</View>
                </View>
                )
              : (
                <Notice tone='ok' testId='sent'>
                  已发出{sent}个邀请。{sent < chosen.size ? `另外${chosen.size - sent}个之前已经发过。` : ''}志愿者会收到通知，7天内答复。
                  <View><Text className='pr-link' onClick={() => go('/packages/pairing/pages/area/index')}>看本地区的结对 ›</Text></View>
                </Notice>
                )}
          </View>
          )}
      {run.unmatched.length > 0 && (
        <View>
          <View className='section-title'>这次没配上的孩子（{run.unmatched.length}个）</View>
          <View className='pr-card' data-testid='unmatched'>
            {run.unmatched.map((u) => (
              <View key={u.childId} className='pr-log'>
                <View className='pr-log__what'>{u.childName}</View>
                <View className='pr-sub'>{u.explanation}</View>
              </View>
            ))}
          </View>
        </View>
      )}
      {(run.excludedVolunteers.length > 0 || run.exclusions.length > 0) && (
        <View>
          <View className='section-title'>按安全规则不配对的（{run.excludedVolunteers.length + run.exclusionsTotal}条）</View>
          <View className='pr-card' data-testid='exclusions'>
            {run.excludedVolunteers.map((v) => <View key={v.volunteerId} className='pr-exclusion' data-testid='excluded-volunteer'>{v.why}</View>)}
            {run.exclusions.map((e) => <ExclusionRow key={`${e.childId}:${e.volunteerId}`} e={e} onRelaxed={onRelaxed} />)}
            {run.exclusionsTotal > run.exclusions.length && <View className='pr-sub'>只列出前{run.exclusions.length}条。</View>}
          </View>
        </View>
      )}
    </View>
  )
}
