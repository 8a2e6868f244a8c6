import { useState } from 'react'
import { useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { toDateKey, type ChildFile } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { dateTimeWords, dateWords, dueWords, whenWords } from '../../../../services/format'
import { call, go, home } from '../../../../services/nav'
import { useCloud } from '../../../../hooks/useCloud'
import { useReloadOnShow } from '../../../../hooks/useReloadOnShow'
import { Page } from '../../../../components/Page'
import { Button, Cell, CellGroup, Tag } from '../../../../components/nut'
import { Dialog } from '../../../../components/nut-forms/Dialog'
import { EmptyState, ErrorState, LoadingState, showError } from '../../../../components/States'
import { ConsentTag, StatusTag } from '../../components/tags'

type Secret = { field: 'idNumber' } | { field: 'guardianPhone' } | { field: 'parentPhone', parentIndex: number }
const keyOf = (s: Secret) => s.field === 'parentPhone' ? `parentPhone:${s.parentIndex}` : s.field

/** One child's file, as much of it as the server lets this person see (view and may.* come from the server). */
export default function ChildPage () {
  const { params } = useRouter()
  const childId = params.id ?? ''
  const file = useCloud(() => callCloud('registry', 'getChild', { childId }), [childId])
  // Back from editing, a status change or consent: read the file again.
  useReloadOnShow(file.reload)

  if (!childId) return <Page><EmptyState title='没有指定孩子' description='请从档案列表或首页点进来' /></Page>
  if (file.loading && !file.data) return <Page><LoadingState /></Page>
  if (file.error) {
    if (file.error.code === 'FORBIDDEN') {
      return (
        <Page testId='child-forbidden'>
          <View className='title'>不能查看这个档案</View>
          <View className='error-box' data-testid='forbidden'>
            <Text>您没有查看这个孩子档案的权限。只有孩子学校的老师、本村儿童主任、孩子绑定的家人和与孩子结对的志愿者能看。</Text>
          </View>
          <Button block size='large' onClick={() => home()}>回首页</Button>
        </Page>
      )
    }
    if (file.error.code === 'NOT_FOUND') return <Page><EmptyState title='没有找到这个孩子的档案' description='可能已被删除，请回到列表再看看' /></Page>
    return <Page><ErrorState error={file.error} onRetry={file.reload} /></Page>
  }
  return file.data ? <ChildView file={file.data} /> : null
}

function ChildView ({ file }: { file: ChildFile }) {
  const [revealed, setRevealed] = useState<Record<string, string>>({})
  const [asking, setAsking] = useState<Secret | undefined>()
  const [busy, setBusy] = useState(false)
  const id = encodeURIComponent(file.id)

  async function reveal (s: Secret) {
    setBusy(true)
    try {
      const res = await callCloud('registry', 'reveal', { childId: file.id, ...s })
      setRevealed((r) => ({ ...r, [keyOf(s)]: res.value }))
      setAsking(undefined)
    } catch (err) {
      setAsking(undefined)
      showError(err)
    } finally {
      setBusy(false)
    }
  }

  /** A masked number, the whole one once shown, and the button that shows it (if this person may). */
  function secretValue (masked: string | undefined, secret: Secret, may: boolean, phone = false) {
    if (!masked) return <Text className='placeholder'>未填写</Text>
    const whole = revealed[keyOf(secret)]
    return (
      <View className='secret'>
        <Text data-testid={`value-${keyOf(secret)}`}>{whole ?? masked}</Text>
        {!whole && may && <Button size='small' fill='outline' type='primary' onClick={() => setAsking(secret)}>显示完整号码</Button>}
        {whole && phone && <Button size='small' type='primary' onClick={() => call(whole)}>拨打</Button>}
      </View>
    )
  }

  const staff = file.view === 'staff'
  return (
    <Page testId='child-file'>
      <View className='title' data-testid='child-name'>{file.name}</View>
      <View className='tag-row'>
        <Tag plain>{file.gender === 'male' ? '男' : '女'} · {file.age}岁</Tag>
        <StatusTag status={file.status} label={file.statusLabel} />
        <ConsentTag state={file.consent.state} />
      </View>
      {file.view === 'volunteer' && <View className='hint'>您是结对志愿者，只能看到照顾孩子需要的信息。</View>}

      {file.may.consent && file.consent.state !== 'granted' && !file.deletion && (
        <View className='card card--notice' data-testid='consent-call'>
          <View>{file.consent.state === 'pending' ? '孩子的信息登记还需要您同意。' : '您之前没有同意登记孩子的信息。'}</View>
          <Button type='primary' size='large' block onClick={() => go(`/packages/join/pages/consent/index?childId=${id}`)}>看同意书</Button>
        </View>
      )}
      {file.deletion && (
        <View className='card card--notice' data-testid='deletion-state'>
          <View>{file.deletion.state === 'open'
            ? `${file.deletion.requestedByName}申请删除孩子的信息，${file.deletion.stateLabel}（${dueWords(file.deletion.dueAt)}前）。`
            : `孩子的信息已于${dateWords(toDateKey(file.deletion.doneAt ?? file.deletion.requestedAt))}按家人的申请删除，只留下法律要求的最少信息。`}</View>
        </View>
      )}

      <View className='section-title'>基本情况</View>
      <CellGroup>
        {file.birthDate && <Cell title='出生日期' extra={dateWords(file.birthDate)} />}
        {(file.idNumberMasked || staff) && (
          <Cell title='身份证号' description={secretValue(file.idNumberMasked, { field: 'idNumber' }, file.may.revealId)} />
        )}
        <Cell title='学校班级' description={`${file.school.name} ${file.className}`} />
        <Cell title='住在' description={`${file.township.name} ${file.village.name}${file.grid ? ` · ${file.grid}` : ''}`} />
      </CellGroup>

      {file.guardian && (
        <View>
          <View className='section-title'>在家照顾孩子的人（监护人）</View>
          <CellGroup>
            <Cell title={`${file.guardian.name}（${file.guardian.relationLabel}）`}
              description={secretValue(file.guardian.phoneMasked, { field: 'guardianPhone' }, file.may.revealPhone, true)} />
          </CellGroup>
        </View>
      )}

      {file.parents.length > 0 && (
        <View>
          <View className='section-title'>在外打工的爸爸妈妈</View>
          <CellGroup>
            {file.parents.map((p) => (
              <Cell key={p.index} title={`${p.name}（${p.relationLabel}）· 在${p.workCity}`}
                description={secretValue(p.phoneMasked, { field: 'parentPhone', parentIndex: p.index }, file.may.revealPhone, true)} />
            ))}
          </CellGroup>
        </View>
      )}

      {file.categories && (
        <View>
          <View className='section-title'>困难类别和可以减免的费用</View>
          <View className='card'>
            {file.categories.length === 0
              ? <Text className='placeholder'>没有登记困难类别</Text>
              : <View className='tag-row'>{file.categories.map((c) => <Tag key={c.code} type='warning'>{c.label}</Tag>)}</View>}
            {(file.waivers ?? []).map((w) => (
              <View key={w.code} className='waiver' data-testid='waiver'>
                <View>✓ {w.label}</View>
                <View className='small'>依据：{w.basis}</View>
              </View>
            ))}
          </View>
        </View>
      )}

      <View className='section-title'>特殊情况</View>
      <View className='card'>
        {file.needs.length === 0
          ? <Text className='placeholder'>没有</Text>
          : <View className='tag-row'>{file.needs.map((n) => <Tag key={n.code} type='danger' plain>{n.label}</Tag>)}</View>}
      </View>

      <View className='section-title'>留守状态</View>
      <View className='card'>
        <View className='row-between'>
          <Text>现在：{file.statusLabel}</Text>
          {file.may.edit && <Button size='small' type='primary' fill='outline' onClick={() => go(`/packages/registry/pages/status/index?id=${id}`)}>更改留守状态</Button>}
        </View>
        {file.statusHistory && file.statusHistory.length > 0 && (
          <View className='history'>
            {file.statusHistory.map((h, i) => (
              <View key={i} className='history__item'>
                <View>{dateWords(h.effectiveDate)} 起：{h.statusLabel}</View>
                <View className='small'>{h.reason}（{h.byName}记录）</View>
              </View>
            ))}
          </View>
        )}
      </View>

      {file.concerns && file.concerns.length > 0 && (
        <>
          <View className='section-title'>结对志愿者反映的情况</View>
          <View className='card history' data-testid='concerns'>
            {file.concerns.map((c, i) => (
              <View key={i} className='history__item'>
                <View>{c.text}</View>
                <View className='small'>{whenWords(c.at)} · {c.byName}{c.harm ? ' · 已强制报告' : ''}</View>
              </View>
            ))}
          </View>
        </>
      )}

      <View className='section-title'>监护人同意</View>
      <View className='card' data-testid='consent-state'>
        <View>{file.consent.stateLabel}</View>
        {file.consent.byName && <View data-testid='consent-by'>{file.consent.byName}{file.consent.byRelation ? `（${file.consent.byRelation}）` : ''}{file.consent.state === 'granted' ? '同意的' : file.consent.state === 'refused' ? '不同意' : ''}</View>}
        {file.consent.at && <View className='small'>{dateTimeWords(file.consent.at)}</View>}
        {file.may.consent && file.consent.state === 'granted' && (
          <Button fill='none' type='primary' onClick={() => go(`/packages/join/pages/consent/index?childId=${id}`)}>再看一遍同意书（可以撤回）</Button>
        )}
      </View>
      {file.may.requestDeletion && (
        <View className='big-button'>
          <Button size='large' block onClick={() => go(`/packages/registry/pages/deletion/index?id=${id}`)} data-testid='ask-deletion'>申请删除孩子的信息</Button>
        </View>
      )}

      {(file.may.edit || file.may.makeBindingCode) && (
        <View className='form-actions'>
          {file.may.makeBindingCode && (
            <View className='big-button'>
              <Button type='primary' size='large' block onClick={() => go(`/packages/registry/pages/code/index?id=${id}`)}>生成绑定码（给家长或监护人）</Button>
            </View>
          )}
          {file.may.edit && (
            <View className='big-button'>
              <Button size='large' block onClick={() => go(`/packages/registry/pages/edit/index?id=${id}`)}>编辑档案</Button>
            </View>
          )}
        </View>
      )}

      <Dialog visible={!!asking} title='显示完整号码'
        content='查看完整号码会被记录下来（谁、什么时候看的）。只在需要联系或核对时查看。确定要看吗？'
        confirmText={busy ? '正在查看…' : '确定查看'} cancelText='不看了' disableConfirmButton={busy}
        onConfirm={() => { if (asking) reveal(asking) }}
        onCancel={() => setAsking(undefined)} onClose={() => setAsking(undefined)} />
    </Page>
  )
}
