import { useState } from 'react'
import { useRouter } from '@tarojs/taro'
import { View } from '@tarojs/components'
import { KEPT_BY_LAW, type DeletionView } from '../../../../domain'
import { callCloud, isNetworkError } from '../../../../services/cloud'
import { dueWords } from '../../../../services/format'
import { back, home, routeParam } from '../../../../services/nav'
import { useCloud } from '../../../../hooks/useCloud'
import { useAttemptKey } from '../../../../hooks/useAttemptKey'
import { Page } from '../../../../components/Page'
import { Button } from '../../../../components/nut'
import { Dialog } from '../../../../components/nut-forms/Dialog'
import { Field } from '../../../../components/Field'
import { LongText } from '../../../../components/TextInput'
import { Notice } from '../../../../components/Notice'
import { EmptyState, ErrorState, LoadingState, ProblemBox, messageOf, showError } from '../../../../components/States'

/**
 * A parent or the guardian asks for the child's information to be deleted, as the consent text promises: what goes,
 * what the law keeps, and by when the county's 民政 admin carries it out (docs/DOMAIN.md, "Children's personal
 * information").
 */
export default function DeletionPage () {
  const { params } = useRouter()
  const childId = routeParam(params.id) ?? ''
  const file = useCloud(() => callCloud('registry', 'getChild', { childId }), [childId])
  const [reason, setReason] = useState('')
  const [asking, setAsking] = useState(false)
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<string | undefined>()
  const [sent, setSent] = useState<DeletionView | undefined>()
  const attempt = useAttemptKey()

  async function send () {
    setSaving(true)
    setProblem(undefined)
    try {
      const input = { childId, ...(reason.trim() ? { reason: reason.trim() } : {}) }
      setSent(await callCloud('registry', 'requestDeletion', { ...input, idempotencyKey: attempt.keyFor(JSON.stringify(input)) }))
      attempt.done()
    } catch (err) {
      if (isNetworkError(err)) showError(err)
      else { attempt.done(); setProblem(messageOf(err, { oneField: true })) }
    } finally {
      setSaving(false)
      setAsking(false)
    }
  }

  if (!childId) return <Page><EmptyState title='没有指定孩子' description='请从首页“我的孩子”点孩子的名字进来' /></Page>
  if (file.loading && !file.data) return <Page><LoadingState /></Page>
  if (file.error) return <Page><ErrorState error={file.error} onRetry={file.reload} /></Page>
  if (!file.data) return null
  const f = file.data
  const request = sent ?? f.deletion

  if (request) {
    return (
      <Page testId='deletion-sent'>
        <View className='title'>{request.state === 'open' ? '已经申请删除' : '已经删除'}</View>
        <Notice tone={request.state === 'open' ? 'info' : 'ok'} testId='deletion-answer'>
          {request.state === 'open'
            ? `县民政局会在${dueWords(request.dueAt)}前删除${f.name}的信息，删好了会告诉您。`
            : `${f.name}的信息已经删除了，只留下法律要求的最少信息。`}
        </Notice>
        <KeptByLaw />
        <View className='big-button'><Button type='primary' size='large' block onClick={() => home()}>回首页</Button></View>
      </Page>
    )
  }
  if (!f.may.requestDeletion) {
    return <Page><EmptyState title='不能申请删除' description='只有孩子的爸爸妈妈或监护人可以申请删除孩子的信息。' /></Page>
  }

  return (
    <Page testId='deletion'>
      <View className='title'>删除{f.name}的信息</View>
      <View className='card'>
        <View className='consent-section__heading'>会删除</View>
        <View>孩子档案里的电话、身份证号、家人和打工城市，亲情通话的记录，心理帮助的记录，志愿者结对和上门记录；您和家人的手机也不再和孩子绑定。</View>
      </View>
      <KeptByLaw />
      <Field label='为什么要删除' optional>
        <LongText value={reason} onChange={setReason} placeholder='可以不写' maxLength={200} testId='deletion-reason' />
      </Field>
      <ProblemBox message={problem} testId='deletion-problem' />
      <View className='big-button'>
        <Button type='primary' size='large' block loading={saving} disabled={saving} onClick={() => setAsking(true)} data-testid='deletion-send'>申请删除</Button>
      </View>
      <View className='big-button'><Button size='large' block onClick={() => back(home)}>不删了</Button></View>
      <Dialog visible={asking} title='确定申请删除吗？' confirmText={saving ? '正在提交…' : '确定删除'} cancelText='再想想' disableConfirmButton={saving}
        content='删除以后，孩子就不能在这里约亲情通话、找人聊聊了。以后想再用，请找儿童主任重新登记。'
        onConfirm={send} onCancel={() => setAsking(false)} onClose={() => setAsking(false)} />
    </Page>
  )
}

function KeptByLaw () {
  return (
    <View className='card' data-testid='kept-by-law'>
      <View className='consent-section__heading'>按法律要留下的</View>
      {KEPT_BY_LAW.map((k) => <View key={k} className='kept-item'>· {k}</View>)}
    </View>
  )
}
