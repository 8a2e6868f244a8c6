import { useState } from 'react'
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { callCloud } from '../../../../services/cloud'
import { useCloud } from '../../../../hooks/useCloud'
import { Button } from '../../../../components/nut'
import { dayWords, whenWords } from '../../../../services/format'
import { useReloadOnShow } from '../../../../hooks/useReloadOnShow'
import { Page } from '../../../../components/Page'
import { Section } from '../../../../components/Section'
import { ErrorState, LoadingState, ProblemBox, fieldsOf, messageOf } from '../../../../components/States'
import { EvidenceList, EvidencePicker, uploadedIds, type EvidenceItem } from '../../evidence'
import { VoiceNotePlayer } from '../../voice'
import { Exemptions, Refusal, Timeline } from '../../components/CaseRecord'
import { call } from '../../../../services/nav'
import { clockWords, mainClock, nextWords } from '../../nextSteps'
import '../../legalaid.scss'

/**
 * One of my requests: where it stands and what happens next, documents the lawyer asked for with a way to send
 * them, a refusal's reason and how to object, every step so far with its time, and the evidence sent.
 */
export default function Request () {
  const { params } = useRouter()
  const requestId = params.id ?? ''
  const detail = useCloud(() => callCloud('legalaid', 'detail', { requestId }), [requestId])
  usePullDownRefresh(() => { detail.reload(); Taro.stopPullDownRefresh() })
  useReloadOnShow(detail.reload)

  if (detail.loading && !detail.data) return <Page className='la-root'><LoadingState /></Page>
  if (detail.error && !detail.data) return <Page className='la-root'><ErrorState error={detail.error} onRetry={detail.reload} /></Page>
  const r = detail.data
  if (!r) return null
  const open = r.state !== 'refused' && r.state !== 'closed'

  return (
    <Page testId='legalaid-request' className='la-root'>
      <View className='la-card'>
        <View className='la-card__name'>{r.childName} · {r.matterLabel}</View>
        <View className='la-state' data-testid='state-label'>{r.stateLabel}</View>
        <View className='la-card__line'>申请编号 <Text className='la-strong la-ref' data-testid='reference'>{r.reference}</Text></View>
        <View className='la-small'>{whenWords(r.submittedAt)} 提交</View>
        {r.lawyerName && <View className='la-card__line'>律师：<Text className='la-strong' data-testid='lawyer'>{r.lawyerName}</Text></View>}
        {r.deadline && <View className='la-card__line'>{r.deadlineWhat || '期限'}：{dayWords(r.deadline)}</View>}
      </View>

      {r.refusal
        ? <Refusal refusal={r.refusal} />
        : (
          <View>
            <View className='section-title'>接下来</View>
            <View className='la-next' data-testid='next'>
              <View>{nextWords(r)}</View>
              {r.clocks.filter((c) => c !== mainClock(r)).map((c) => <View key={c.name} className='la-small' data-testid='other-clock'>{clockWords(c, r.lawyerName)}。</View>)}
              {r.provideFirst && open && r.state !== 'inProgress' && <View className='la-small'>您的事期限很近或需要保全证据，中心会先提供帮助，再补审查。</View>}
            </View>
          </View>
          )}

      <Centre r={r} />

      {open && <MoreFiles requestId={r.id} asked={r.documentsAsked} onSent={detail.reload} />}

      <Section title='进展' testId='progress'>
        <Timeline entries={r.timeline} />
      </Section>

      {r.exemptions.length > 0 && (
        <Section title='不用证明家里经济困难'>
          <Exemptions list={r.exemptions} />
        </Section>
      )}

      <Section title={`交过的材料（${r.files.length}）`} testId='files'>
        <View className='la-card'><EvidenceList files={r.files} /></View>
      </Section>

      <Section title='您写的情况'>
        <View className='la-card'>
          {r.story && <View className='la-story'>{r.story}</View>}
          <VoiceNotePlayer note={r.voiceNote} />
          {r.people && <View className='la-small la-gap'>有关的人：{r.people}</View>}
          {r.evidenceUrgent && <View className='la-small'>需要马上保全证据</View>}
        </View>
      </Section>
    </Page>
  )
}

/**
 * Who handles the request and why there (a wage claim goes where the parent works; a centre with nobody to act is
 * never chosen), with the centre's phone one tap away and the reference to give on the phone.
 */
function Centre ({ r }: { r: { centreName: string, centrePhone?: string, routedWhy: string, reference: string } }) {
  return (
    <View className='la-card' data-testid='centre'>
      <View className='la-strong' data-testid='centre-name'>由{r.centreName}办理</View>
      <View className='la-small' data-testid='routed-why'>{r.routedWhy}</View>
      <View className='la-gap'>
        <Button block size='large' type='primary' fill='outline' data-testid='call-centre' onClick={() => call(r.centrePhone ?? '12348')}>
          {r.centrePhone ? `打电话给中心 ${r.centrePhone}` : '拨打 12348 法律服务热线'}
        </Button>
      </View>
      <View className='la-small'>打电话时报申请编号 {r.reference}，中心就能找到您的申请。</View>
    </View>
  )
}

/** 补交材料: prominent when the lawyer asked for something; otherwise a button that opens the same picker. */
function MoreFiles ({ requestId, asked, onSent }: { requestId: string, asked?: string, onSent: () => void }) {
  const [opened, setOpened] = useState(false)
  const [items, setItems] = useState<EvidenceItem[]>([])
  const [sending, setSending] = useState(false)
  const [failure, setFailure] = useState<string>()
  const shown = opened || Boolean(asked)

  async function send () {
    setFailure(undefined)
    if (items.some((i) => i.status === 'uploading')) { setFailure('还有文件在上传，请等一下。'); return }
    const files = uploadedIds(items)
    if (files.length === 0) { setFailure('请先拍照或选文件。'); return }
    setSending(true)
    try {
      await callCloud('legalaid', 'addFiles', { requestId, files })
      Taro.showToast({ title: '材料已交上', icon: 'success' })
      setItems([])
      setOpened(false)
      onSent()
    } catch (err) {
      setFailure(fieldsOf(err).files ?? messageOf(err))
    } finally {
      setSending(false)
    }
  }

  if (!shown) {
    return (
      <View className='big-button'>
        <Button block size='large' fill='outline' data-testid='more-files' onClick={() => setOpened(true)}>补交材料</Button>
      </View>
    )
  }
  return (
    <View className={asked ? 'la-ask' : 'la-card'} data-testid='add-files'>
      {asked
        ? <View><View className='la-strong'>律师需要您补交材料：</View><View className='la-state' data-testid='asked'>{asked}</View></View>
        : <View className='la-strong'>补交材料</View>}
      <EvidencePicker items={items} setItems={setItems} testId='more-evidence' />
      <ProblemBox message={failure} />
      <View className='la-gap'>
        <Button block size='large' type='primary' loading={sending} disabled={sending} data-testid='send-files' onClick={send}>交上去</Button>
      </View>
      {!asked && <View className='la-gap'><Button block fill='none' onClick={() => { setOpened(false); setItems([]) }}>先不交了</Button></View>}
    </View>
  )
}
