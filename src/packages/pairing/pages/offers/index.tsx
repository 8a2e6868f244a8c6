import { useState } from 'react'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { z } from 'zod'
import type { OfferView } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { daysLeft, dueWords } from '../../../../services/format'
import { go } from '../../../../services/nav'
import { useCloud } from '../../../../hooks/useCloud'
import { useReloadOnShow } from '../../../../hooks/useReloadOnShow'
import { useOneAtATime } from '../../../../hooks/useOneAtATime'
import { Page } from '../../../../components/Page'
import { Button } from '../../../../components/nut'
import { Choice } from '../../../../components/Choice'
import { Field } from '../../../../components/Field'
import { TextInput } from '../../../../components/TextInput'
import { Notice, Pill } from '../../../../components/Notice'
import { EmptyState, ErrorState, LoadingState, showDone, showError } from '../../../../components/States'
import { ChildFacts } from '../../components/rhythm'
import '../../pairing.scss'

type Offer = z.infer<typeof OfferView>

const DECLINE_REASONS = ['离得太远', '最近时间不够', '身体原因', '其他'].map((r) => ({ value: r, label: r }))

/**
 * 结对邀请: each offer with what the volunteer needs to know of the child (masked name, age, village, class,
 * needs), why it was proposed, and until when to answer; 接受 or 婉拒 with a reason. A decline or an expiry puts
 * the child back into the next matching.
 */
export default function OffersPage () {
  const offers = useCloud(() => callCloud('pairing', 'offers', {}))
  const profile = useCloud(() => callCloud('pairing', 'myProfile', {}))
  const [accepted, setAccepted] = useState<{ id: string, name: string } | undefined>()
  usePullDownRefresh(() => { offers.reload(); Taro.stopPullDownRefresh() })
  useReloadOnShow(offers.reload)

  if (accepted) {
    return (
      <Page testId='pairing-accepted' className='pr-root'>
        <View className='pr-done'>
          <View className='pr-done__mark'>✓</View>
          <View className='pr-done__title'>结对成功</View>
          <View className='pr-done__line'>您和{accepted.name}结对了</View>
          <View className='pr-sub'>每月至少谈心一次，每季度至少上门看望一次，做了就在雏燕里记一下。</View>
        </View>
        <View className='big-button'>
          <Button block size='large' type='primary' data-testid='to-pairing'
            onClick={() => go(`/packages/pairing/pages/pairing/index?id=${encodeURIComponent(accepted.id)}`)}>去看结对的孩子</Button>
        </View>
        <View className='big-button'>
          <Button block size='large' onClick={() => { setAccepted(undefined); offers.reload() }}>回到邀请</Button>
        </View>
      </Page>
    )
  }

  if (offers.loading && !offers.data) return <Page className='pr-root'><LoadingState /></Page>
  if (offers.error?.code === 'FORBIDDEN') {
    return (
      <Page testId='pairing-offers' className='pr-root'>
        <EmptyState title='您还不是登记的志愿者' description='登记并通过审查以后，这里会有结对邀请。' />
        <View className='big-button'><Button block size='large' type='primary' onClick={() => go('/packages/pairing/pages/register/index')}>去登记</Button></View>
      </Page>
    )
  }
  if (offers.error) return <Page className='pr-root'><ErrorState error={offers.error} onRetry={offers.reload} /></Page>
  if (!offers.data) return null
  const list = offers.data.offers
  const vetting = profile.data
  const notVetted = vetting && vetting.vettingState !== 'valid' && vetting.vettingState !== 'expiringSoon'

  return (
    <Page testId='pairing-offers' className='pr-root'>
      <View className='title'>结对邀请</View>
      {list.length === 0
        ? (
          <View>
            <EmptyState title='现在没有结对邀请' description={notVetted ? `您的审查：${vetting!.vettingLabel}。审查通过以后，部门会给您发结对邀请。` : '有孩子需要您的时候，部门会给您发邀请，这里会显示。'} />
            {profile.error?.code === 'NOT_FOUND' && (
              <View className='big-button'><Button block size='large' type='primary' onClick={() => go('/packages/pairing/pages/register/index')}>去登记</Button></View>
            )}
          </View>
          )
        : (
          <View>
            <View className='hint'>请在到期前答复。婉拒没关系，孩子会再配给别的志愿者。</View>
            {list.map((o) => <OfferCard key={o.id} offer={o} onAccepted={() => setAccepted({ id: o.id, name: o.child.name })} onDeclined={offers.reload} />)}
          </View>
          )}
      {list.length > 0 && notVetted && <Notice tone='warn'>您的审查：{vetting!.vettingLabel}。审查有效才能接受邀请。</Notice>}
      <View className='big-button'>
        <Button block size='large' onClick={() => go('/packages/pairing/pages/pairing/index')}>我结对的孩子</Button>
      </View>
    </Page>
  )
}

function OfferCard ({ offer, onAccepted, onDeclined }: { offer: Offer, onAccepted: () => void, onDeclined: () => void }) {
  const [step, setStep] = useState<'view' | 'accept' | 'decline'>('view')
  const [reason, setReason] = useState<string | undefined>()
  const [other, setOther] = useState('')
  const one = useOneAtATime()
  const busy = one.running !== undefined
  const left = daysLeft(offer.expiresAt)

  const respond = (accept: boolean) => one.run('respond', async () => {
    try {
      const why = reason === '其他' ? (other.trim() || '其他') : reason
      const res = await callCloud('pairing', 'respond', { offerId: offer.id, accept, ...(accept ? {} : { reason: why }) })
      if (res.status === 'active') onAccepted()
      else { showDone('已婉拒'); onDeclined() }
    } catch (err) {
      showError(err, { oneField: true })
      if (accept) onDeclined() // the list may have changed (expired, or the place taken): show it as it is now
    }
  })

  return (
    <View className='pr-card pr-card--offer' data-testid='offer'>
      <View className='pr-row'>
        <Text className='pr-name' data-testid='offer-child'>{offer.child.name}</Text>
        <Pill tone={left <= 2 ? 'orange' : 'grey'} testId='offer-expiry'>{left <= 1 ? '1天内到期' : `还有${left}天`}</Pill>
      </View>
      <ChildFacts child={offer.child} />
      <View className='pr-why' data-testid='offer-why'>为什么请您：{offer.explanation}</View>
      <View className='pr-sub'>请在 {dueWords(offer.expiresAt)} 前答复</View>

      {step === 'view' && (
        <View className='pr-buttons'>
          <Button type='primary' size='large' data-testid='accept' onClick={() => setStep('accept')}>接受</Button>
          <Button size='large' data-testid='decline' onClick={() => setStep('decline')}>婉拒</Button>
        </View>
      )}
      {step === 'accept' && (
        <View className='pr-confirm' data-testid='accept-confirm'>
          <View>接受以后，您答应：</View>
          <View className='pr-code-line'>· 每月至少和孩子谈心一次（电话、视频或当面）</View>
          <View className='pr-code-line'>· 每季度至少上门看望一次，有家人在场</View>
          <View className='pr-buttons'>
            <Button type='primary' size='large' loading={busy} disabled={busy} data-testid='accept-yes' onClick={() => respond(true)}>确认接受</Button>
            <Button size='large' disabled={busy} onClick={() => setStep('view')}>再想想</Button>
          </View>
        </View>
      )}
      {step === 'decline' && (
        <View className='pr-confirm' data-testid='decline-confirm'>
          <Field label='婉拒的原因' optional>
            <Choice value={reason} options={DECLINE_REASONS} onChange={setReason} />
            {reason === '其他' && <TextInput value={other} onChange={setOther} placeholder='简单说一句' maxLength={100} />}
          </Field>
          <View className='pr-buttons'>
            <Button type='primary' size='large' loading={busy} disabled={busy} data-testid='decline-yes' onClick={() => respond(false)}>确认婉拒</Button>
            <Button size='large' disabled={busy} onClick={() => setStep('view')}>不婉拒了</Button>
          </View>
        </View>
      )}
    </View>
  )
}
