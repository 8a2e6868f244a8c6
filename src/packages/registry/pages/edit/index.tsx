import { useEffect, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import {
  CATEGORIES, CATEGORY_LABELS, NEEDS, NEED_LABELS, RELATIONS, RELATION_LABELS,
  birthDateOfId, childInput, fieldErrors, genderOfId, isValidIdNumber,
  type Category, type ChildFile, type Need, type Relation
} from '../../../../domain'
import { callCloud, CloudError } from '../../../../services/cloud'
import { useAttemptKey } from '../../../../hooks/useAttemptKey'
import { addYears, dateWords, today } from '../../../../services/format'
import { now } from '../../../../services/clock'
import { back, go, replace } from '../../../../services/nav'
import { useCloud } from '../../../../hooks/useCloud'
import { Page } from '../../../../components/Page'
import { Button, Cell, CellGroup } from '../../../../components/nut'
import { Dialog } from '../../../../components/nut-forms/Dialog'
import { ErrorState, LoadingState, ProblemBox, fieldsOf, messageOf } from '../../../../components/States'
import { Choice, MultiChoice } from '../../../../components/Choice'
import { DateField } from '../../../../components/DayWheels'
import { Field } from '../../../../components/Field'
import { TextInput } from '../../../../components/TextInput'
import { useFieldErrors } from '../../../../hooks/useFieldErrors'

interface ParentForm { name: string, relation?: 'father' | 'mother', workCity: string, phone: string }
interface FormState {
  name: string, gender?: 'male' | 'female', birthDate?: string, idNumber: string,
  schoolId?: string, className: string, villageId?: string, grid: string,
  guardian: { name: string, relation?: Relation, phone: string },
  parents: ParentForm[], categories: Category[], needs: Need[]
}
interface Duplicate { id: string, name: string, birthDate: string, schoolName: string, villageName: string, sameIdNumber: boolean }

const EMPTY: FormState = {
  name: '', idNumber: '', className: '', grid: '',
  guardian: { name: '', phone: '' },
  parents: [{ name: '', relation: 'father', workCity: '', phone: '' }],
  categories: [], needs: []
}

/** What the form sends: the shape of childInput, with empty optional boxes left out. */
function toInput (f: FormState) {
  return {
    name: f.name,
    gender: f.gender,
    birthDate: f.birthDate ?? '',
    ...(f.idNumber.trim() ? { idNumber: f.idNumber } : {}),
    schoolId: f.schoolId ?? '',
    className: f.className,
    villageId: f.villageId ?? '',
    ...(f.grid.trim() ? { grid: f.grid } : {}),
    guardian: { name: f.guardian.name, relation: f.guardian.relation, phone: f.guardian.phone },
    parents: f.parents.map((p) => ({ name: p.name, relation: p.relation, workCity: p.workCity, ...(p.phone.trim() ? { phone: p.phone } : {}) })),
    categories: f.categories,
    needs: f.needs
  }
}

/** Plain words where the shared schema has only a generic one (nothing chosen yet). */
function explain (fields: Record<string, string>, f: FormState): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [raw, message] of Object.entries(fields)) {
    const key = raw.startsWith('child.') ? raw.slice('child.'.length) : raw
    let m = message
    if (key === 'birthDate' && !f.birthDate) m = '请选择出生日期'
    else if (key === 'guardian.relation' && !f.guardian.relation) m = '请选择和孩子的关系'
    else if (/^parents\.\d+\.relation$/.test(key)) m = '请选择爸爸或妈妈'
    out[key] = m
  }
  return out
}

/** Create (no id) or edit (id) a child's file; every field of childInput, checked before it is sent. */
export default function EditPage () {
  const { params } = useRouter()
  const childId = params.id
  const options = useCloud(() => callCloud('registry', 'options', {}))
  const existing = useCloud(async () => (childId ? await loadForEdit(childId) : undefined), [childId])

  if (options.loading || existing.loading) return <Page><LoadingState /></Page>
  if (options.error) return <Page><ErrorState error={options.error} onRetry={options.reload} /></Page>
  if (existing.error) return <Page><ErrorState error={existing.error} onRetry={existing.reload} /></Page>
  if (!options.data) return null
  if (!options.data.mayRegister) {
    return <Page><ErrorState error={new CloudError('FORBIDDEN', '登记孩子由孩子学校的老师或村里的儿童主任来做，请把孩子的情况告诉他们')} /></Page>
  }
  if (options.data.schools.length === 0 && options.data.villages.length === 0) {
    return <Page><ErrorState error={new CloudError('FORBIDDEN', '您的工作范围里没有可以登记孩子的学校或村，请联系县里的管理员')} /></Page>
  }
  return <ChildForm childId={childId} options={options.data} initial={existing.data} />
}

interface Loaded { form: FormState, hiddenId: boolean, hiddenPhones: boolean }

/**
 * The file shows numbers masked; to edit, the whole ones are fetched with `reveal` (each one logged, as any
 * other look at them). Numbers this person may not see stay empty and are said to be so.
 */
async function loadForEdit (childId: string): Promise<Loaded> {
  const file: ChildFile = await callCloud('registry', 'getChild', { childId })
  const reveal = async (field: 'idNumber' | 'guardianPhone' | 'parentPhone', parentIndex?: number): Promise<string | undefined> => {
    try {
      return (await callCloud('registry', 'reveal', { childId, field, ...(parentIndex !== undefined ? { parentIndex } : {}) })).value
    } catch {
      return undefined
    }
  }
  const idNumber = file.idNumberMasked && file.may.revealId ? await reveal('idNumber') : undefined
  const guardianPhone = file.guardian?.phoneMasked && file.may.revealPhone ? await reveal('guardianPhone') : undefined
  const parentPhones = await Promise.all(file.parents.map((p) => (p.phoneMasked && file.may.revealPhone ? reveal('parentPhone', p.index) : Promise.resolve(undefined))))
  return {
    form: {
      name: file.name,
      gender: file.gender,
      birthDate: file.birthDate,
      idNumber: idNumber ?? '',
      schoolId: file.school.id,
      className: file.className,
      villageId: file.village.id,
      grid: file.grid ?? '',
      guardian: { name: file.guardian?.name ?? '', relation: file.guardian?.relation, phone: guardianPhone ?? '' },
      parents: file.parents.map((p, i) => ({ name: p.name, relation: p.relation, workCity: p.workCity, phone: parentPhones[i] ?? '' })),
      categories: (file.categories ?? []).map((c) => c.code),
      needs: file.needs.map((n) => n.code)
    },
    hiddenId: !!file.idNumberMasked && idNumber === undefined,
    hiddenPhones: (!!file.guardian?.phoneMasked && guardianPhone === undefined) || file.parents.some((p, i) => p.phoneMasked && parentPhones[i] === undefined)
  }
}

function ChildForm ({ childId, options, initial }: {
  childId?: string
  options: { schools: Array<{ id: string, name: string }>, villages: Array<{ id: string, name: string, townshipName: string }> }
  initial?: Loaded
}) {
  const [form, setForm] = useState<FormState>(() => initial?.form ?? {
    ...EMPTY,
    // One school or one village in my area: already chosen.
    schoolId: options.schools.length === 1 ? options.schools[0].id : undefined,
    villageId: options.villages.length === 1 ? options.villages[0].id : undefined
  })
  const [errors, setErrors] = useFieldErrors()
  const [failure, setFailure] = useState<string | undefined>()
  const [saving, setSaving] = useState(false)
  const [duplicates, setDuplicates] = useState<Duplicate[] | undefined>()
  const [askClearId, setAskClearId] = useState(false)
  const attempt = useAttemptKey()
  const day = today()

  const set = (patch: Partial<FormState>) => setForm((f) => ({ ...f, ...patch }))
  const setGuardian = (patch: Partial<FormState['guardian']>) => setForm((f) => ({ ...f, guardian: { ...f.guardian, ...patch } }))
  const setParent = (i: number, patch: Partial<ParentForm>) => setForm((f) => ({ ...f, parents: f.parents.map((p, j) => (j === i ? { ...p, ...patch } : p)) }))

  // A whole ID number carries the birth date and gender: fill them in if they are still empty.
  useEffect(() => {
    const id = form.idNumber.trim().toUpperCase()
    if (id.length !== 18 || !isValidIdNumber(id)) return
    setForm((f) => ({ ...f, birthDate: f.birthDate ?? birthDateOfId(id), gender: f.gender ?? genderOfId(id) }))
  }, [form.idNumber])

  async function submit (confirmNotDuplicate = false, clearIdConfirmed = false) {
    const child = toInput(form)
    // updateChild replaces the file: an ID number this person cannot see would be cleared unless typed again.
    if (childId && initial?.hiddenId && !form.idNumber.trim() && !clearIdConfirmed) {
      setAskClearId(true)
      return
    }
    const parsed = childInput(now()).safeParse(child)
    if (!parsed.success) {
      setErrors(explain(fieldErrors(parsed.error), form))
      setFailure('有几处需要修改，请看红色的字')
      setTimeout(() => Taro.pageScrollTo({ selector: '.field--error', duration: 200 }).catch(() => undefined), 50)
      return
    }
    setErrors({})
    setFailure(undefined)
    setSaving(true)
    // One key per submission: retrying the same form (or confirming "not a duplicate") reuses it.
    const key = attempt.keyFor(JSON.stringify(parsed.data))
    try {
      if (childId) {
        await callCloud('registry', 'updateChild', { childId, child: parsed.data })
        Taro.showToast({ title: '已保存', icon: 'success' })
        setTimeout(() => back(), 600)
        return
      }
      const res = await callCloud('registry', 'createChild', { child: parsed.data, confirmNotDuplicate, idempotencyKey: key })
      if (!res.created) {
        setDuplicates(res.duplicates)
        Taro.pageScrollTo({ scrollTop: 0, duration: 200 }).catch(() => undefined)
        return
      }
      attempt.done()
      Taro.showToast({ title: '已登记', icon: 'success' })
      replace(`/packages/registry/pages/child/index?id=${encodeURIComponent(res.childId)}`)
    } catch (err) {
      setErrors(explain(fieldsOf(err), form))
      setFailure(messageOf(err))
    } finally {
      setSaving(false)
    }
  }

  if (duplicates) {
    return (
      <Page testId='duplicates'>
        <View className='title'>可能已经登记过</View>
        <View className='hint'>县里已经有下面的档案，和您填的孩子很像。请先核对是不是同一个孩子。</View>
        <CellGroup>
          {duplicates.map((d) => (
            <Cell key={d.id} title={`${d.name} · ${dateWords(d.birthDate)}出生`}
              description={`${d.schoolName} · ${d.villageName}${d.sameIdNumber ? ' · 身份证号相同' : ''}`} extra='›'
              onClick={() => go(`/packages/registry/pages/child/index?id=${encodeURIComponent(d.id)}`)} />
          ))}
        </CellGroup>
        <ProblemBox message={failure} />
        <View className='form-actions'>
          <View className='big-button'>
            <Button type='primary' size='large' block loading={saving} disabled={saving} onClick={() => submit(true)}>不是同一个孩子，继续登记</Button>
          </View>
          <View className='big-button'>
            <Button size='large' block onClick={() => setDuplicates(undefined)}>回去修改</Button>
          </View>
        </View>
      </Page>
    )
  }

  const e = errors
  const villageOptions = options.villages.map((v) => ({ value: v.id, label: options.villages.length > 1 && new Set(options.villages.map((x) => x.townshipName)).size > 1 ? `${v.townshipName} ${v.name}` : v.name }))
  return (
    <Page testId='child-form'>
      <View className='title'>{childId ? `编辑${form.name}的档案` : '登记新孩子'}</View>
      <View className='hint'>带“可不填”的可以不填，其余都要填。</View>

      <View className='section-title'>孩子</View>
      <Field label='姓名' error={e.name} testId='f-name'>
        <TextInput value={form.name} onChange={(v) => set({ name: v })} placeholder='孩子的姓名' maxLength={20} />
      </Field>
      <Field label='身份证号' optional error={e.idNumber} testId='f-idNumber'
        hint={initial?.hiddenId ? '已经登记过身份证号，您没有查看权限，这里看不到' : '填了会自动带出出生日期和性别'}>
        <TextInput value={form.idNumber} onChange={(v) => set({ idNumber: v })} placeholder='18位，最后一位可能是X' type='idcard' maxLength={18} />
      </Field>
      <Field label='性别' error={e.gender} testId='f-gender'>
        <Choice value={form.gender} onChange={(v) => set({ gender: v })} options={[{ value: 'male', label: '男' }, { value: 'female', label: '女' }]} />
      </Field>
      <Field label='出生日期' error={e.birthDate} testId='f-birthDate'>
        <DateField value={form.birthDate} onChange={(v) => set({ birthDate: v })} title='孩子的出生日期'
          start={addYears(day, -18)} end={day} initial={addYears(day, -8)} placeholder='点这里选择出生日期' testId='birth-date' />
      </Field>

      <View className='section-title'>上学和住址</View>
      <Field label='学校' error={e.schoolId} testId='f-schoolId'>
        <Choice value={form.schoolId} onChange={(v) => set({ schoolId: v })} title='选择学校' placeholder='点这里选择学校'
          options={options.schools.map((s) => ({ value: s.id, label: s.name }))} />
      </Field>
      <Field label='班级' error={e.className} testId='f-className'>
        <TextInput value={form.className} onChange={(v) => set({ className: v })} placeholder='例如：四年级（2）班' maxLength={20} />
      </Field>
      <Field label='住在哪个村' error={e.villageId} testId='f-villageId'>
        <Choice value={form.villageId} onChange={(v) => set({ villageId: v })} title='选择村' placeholder='点这里选择村' options={villageOptions} />
      </Field>
      <Field label='网格' optional error={e.grid} testId='f-grid'>
        <TextInput value={form.grid} onChange={(v) => set({ grid: v })} placeholder='例如：第3网格' maxLength={30} />
      </Field>

      <View className='section-title'>在家照顾孩子的人（监护人）</View>
      <Field label='姓名' error={e['guardian.name']} testId='f-guardian-name'>
        <TextInput value={form.guardian.name} onChange={(v) => setGuardian({ name: v })} placeholder='例如：张桂兰' maxLength={20} />
      </Field>
      <Field label='是孩子的' error={e['guardian.relation']} testId='f-guardian-relation'>
        <Choice value={form.guardian.relation} onChange={(v) => setGuardian({ relation: v })}
          options={RELATIONS.filter((r) => r !== 'self').map((r) => ({ value: r, label: RELATION_LABELS[r] }))} />
      </Field>
      <Field label='手机号' error={e['guardian.phone']} testId='f-guardian-phone'
        hint={initial?.hiddenPhones && !form.guardian.phone ? '已登记的号码您看不到，请重新填写' : undefined}>
        <TextInput value={form.guardian.phone} onChange={(v) => setGuardian({ phone: v })} placeholder='11位手机号' type='number' maxLength={11} />
      </Field>

      <View className='section-title'>在外打工的家长</View>
      {e.parents && <View className='field__error'>{e.parents}</View>}
      {form.parents.map((p, i) => (
        <View key={i} className='card' data-testid={`parent-${i}`}>
          <View className='row-between'>
            <Text>第{i + 1}位家长</Text>
            {form.parents.length > 1 && <Button size='small' fill='none' type='danger' onClick={() => set({ parents: form.parents.filter((_, j) => j !== i) })}>删除</Button>}
          </View>
          <Field label='是孩子的' error={e[`parents.${i}.relation`]} testId={`f-parents-${i}-relation`}>
            <Choice value={p.relation} onChange={(v) => setParent(i, { relation: v })} options={[{ value: 'father', label: '爸爸' }, { value: 'mother', label: '妈妈' }]} />
          </Field>
          <Field label='姓名' error={e[`parents.${i}.name`]} testId={`f-parents-${i}-name`}>
            <TextInput value={p.name} onChange={(v) => setParent(i, { name: v })} placeholder='家长姓名' maxLength={20} />
          </Field>
          <Field label='在哪个城市打工' error={e[`parents.${i}.workCity`]} testId={`f-parents-${i}-workCity`}>
            <TextInput value={p.workCity} onChange={(v) => setParent(i, { workCity: v })} placeholder='例如：厦门' maxLength={30} />
          </Field>
          <Field label='手机号' optional error={e[`parents.${i}.phone`]} testId={`f-parents-${i}-phone`}>
            <TextInput value={p.phone} onChange={(v) => setParent(i, { phone: v })} placeholder='11位手机号' type='number' maxLength={11} />
          </Field>
        </View>
      ))}
      {form.parents.length < 2 && (
        <Button block fill='outline' type='primary' onClick={() => set({
          parents: [...form.parents, { name: '', relation: form.parents[0]?.relation === 'father' ? 'mother' : 'father', workCity: '', phone: '' }]
        })}>＋ 再加一位家长</Button>
      )}

      <View className='section-title'>困难类别（可多选，可不选）</View>
      <Field label='符合的类别' testId='f-categories' hint='选了任何一项，孩子参加研学、实践活动和课后托管的费用就可以减免' error={e.categories}>
        <MultiChoice value={form.categories} onChange={(v) => set({ categories: v })} options={CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }))} />
      </Field>
      <Field label='特殊情况（可多选，可不选）' error={e.needs} testId='f-needs'>
        <MultiChoice value={form.needs} onChange={(v) => set({ needs: v })} options={NEEDS.map((n) => ({ value: n, label: NEED_LABELS[n] }))} />
      </Field>

      <ProblemBox message={failure} testId='form-failure' />
      <View className='form-actions'>
        <Button type='primary' size='large' block loading={saving} disabled={saving} onClick={() => submit(false)}>{childId ? '保存' : '登记'}</Button>
      </View>
      <Dialog visible={askClearId} title='身份证号会被清除'
        content='这个孩子登记过身份证号，您没有查看权限，所以这里是空的。现在保存会把它清除。要保留它，请取消，请儿童主任来修改。'
        confirmText='仍然保存' cancelText='取消'
        onConfirm={() => { setAskClearId(false); submit(false, true) }}
        onCancel={() => setAskClearId(false)} onClose={() => setAskClearId(false)} />
    </Page>
  )
}
