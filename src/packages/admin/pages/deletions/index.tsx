import { useState } from 'react'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { DeletionView } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { dateTimeWords, dueWords } from '../../../../services/format'
import { useCloud } from '../../../../hooks/useCloud'
import { Page } from '../../../../components/Page'
import { Button } from '../../../../components/nut'
import { Dialog } from '../../../../components/nut-forms/Dialog'
import { Notice, Pill } from '../../../../components/Notice'
import { EmptyState, ErrorState, LoadingState, ProblemBox, messageOf, showDone } from '../../../../components/States'

/**
 * The county's 民政 admin carries out families' requests to delete a child's information, within the working days the
 * consent text promises; what the law keeps stays (docs/DOMAIN.md, "Children's personal information").
 */
export default function DeletionsPage () {
  const list = useCloud(() => callCloud('registry', 'deletionRequests', {}))
  const [doing, setDoing] = useState<DeletionView | undefined>()
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<string | undefined>()
  usePullDownRefresh(() => { list.reload(); Taro.stopPullDownRefresh() })

  async function carryOut (r: DeletionView) {
    setSaving(true)
    setProblem(undefined)
    try {
      const done = await callCloud('registry', 'carryOutDeletion', { requestId: r.id })
      showDone(`已删除${done.deleted ?? 0}项`)
      list.reload()
    } catch (err) {
      setProblem(messageOf(err))
    } finally {
      setSaving(false)
      setDoing(undefined)
    }
  }

  if (list.loading && !list.data) return <Page><LoadingState /></Page>
  if (list.error) return <Page><ErrorState error={list.error} onRetry={list.reload} /></Page>
  if (!list.data) return null
  const open = list.data.requests.filter((r) => r.state === 'open')
  const done = list.data.requests.filter((r) => r.state === 'done')

  return (
    <Page testId='deletions'>
      <View className='title'>删除孩子信息的申请</View>
      <ProblemBox message={problem} />
      <View className='section-title'>等处理（{open.length}）</View>
      {open.length === 0 && <EmptyState title='没有等处理的申请' description='家长或监护人申请删除孩子的信息时，会出现在这里，并发消息给您。' />}
      {open.map((r) => (
        <View key={r.id} className='card' data-testid='deletion-request' data-id={r.id}>
          <View className='row-between'>
            <Text className='row-name'>{r.childName}</Text>
            {r.overdue ? <Pill tone='red' testId='overdue'>已超时</Pill> : <Pill tone='orange'>{dueWords(r.dueAt)}前</Pill>}
          </View>
          <View className='small'>{r.requestedByName}（{r.requestedByRelation}）{dateTimeWords(r.requestedAt)}申请</View>
          {r.reason && <View className='small'>原因：{r.reason}</View>}
          <View className='big-button'>
            <Button type='primary' size='large' block disabled={saving} onClick={() => setDoing(r)} data-testid='carry-out'>按申请删除</Button>
          </View>
        </View>
      ))}
      {done.length > 0 && <View className='section-title'>已处理</View>}
      {done.map((r) => (
        <View key={r.id} className='card' data-testid='deletion-done'>
          <View className='row-between'><Text className='row-name'>{r.childName}</Text><Pill tone='green'>已删除</Pill></View>
          <View className='small'>{r.doneByName} {r.doneAt ? dateTimeWords(r.doneAt) : ''}：删除{r.deleted ?? 0}项，按法律保留{r.kept ?? 0}项</View>
        </View>
      ))}
      <Dialog visible={!!doing} title={`删除${doing?.childName ?? ''}的信息？`} confirmText={saving ? '正在删除…' : '确定删除'} cancelText='取消' disableConfirmButton={saving}
        onConfirm={() => { if (doing) carryOut(doing) }} onCancel={() => setDoing(undefined)} onClose={() => setDoing(undefined)}>
        <View>
          <Notice tone='warn'>删除后不能恢复。家人和孩子的绑定、通话、心理帮助、结对记录都会删除。</Notice>
          <View className='small'>按法律留下：</View>
          {list.data.keptByLaw.map((k) => <View key={k} className='small'>· {k}</View>)}
        </View>
      </Dialog>
    </Page>
  )
}
