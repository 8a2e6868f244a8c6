import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { View } from '@tarojs/components'
import { callCloud } from '../../../../services/cloud'
import { dateWords } from '../../../../services/format'
import { go } from '../../../../services/nav'
import { useCloud } from '../../../../hooks/useCloud'
import { useReloadOnShow } from '../../../../hooks/useReloadOnShow'
import { Page } from '../../../../components/Page'
import { Button } from '../../../../components/nut'
import { Notice, Pill } from '../../../../components/Notice'
import { EmptyState, ErrorState, LoadingState } from '../../../../components/States'
import { vettingTone } from '../../labels'
import '../../pairing.scss'

/** What each vetting state means for the volunteer, in plain words (Minors Protection Law Art. 62). */
const WHAT_IT_MEANS: Record<string, string> = {
  none: '负责志愿者的部门会联系您，做无犯罪记录审查、培训和面谈。审查通过以后，您才会收到结对邀请。',
  failed: '按照《未成年人保护法》第六十二条，暂时不能和孩子结对。如有疑问，请联系负责志愿者的部门。',
  valid: '您可以收到结对邀请。审查每年要复查一次。',
  expiringSoon: '请尽快联系负责志愿者的部门复查。过期以后，暂停新的结对，已有的结对要复核。',
  expired: '已暂停新的结对，已有的结对待复核。请联系负责志愿者的部门复查。'
}

/** 我的志愿者登记: my vetting state in words and until when, my capacity, and the volunteer code. */
export default function ProfilePage () {
  const profile = useCloud(() => callCloud('pairing', 'myProfile', {}))
  const me = useCloud(() => callCloud('account', 'whoami', {}))
  usePullDownRefresh(() => { profile.reload(); Taro.stopPullDownRefresh() })
  useReloadOnShow(profile.reload)

  if (profile.loading && !profile.data) return <Page className='pr-root'><LoadingState /></Page>
  if (profile.error?.code === 'NOT_FOUND' || profile.error?.code === 'FORBIDDEN') {
    return (
      <Page testId='pairing-profile' className='pr-root'>
        <EmptyState title='您还没有登记当志愿者' description='登记以后，负责志愿者的部门会联系您做审查。' />
        <View className='big-button'>
          <Button block size='large' type='primary' onClick={() => go('/packages/pairing/pages/register/index')}>去登记</Button>
        </View>
      </Page>
    )
  }
  if (profile.error) return <Page className='pr-root'><ErrorState error={profile.error} onRetry={profile.reload} /></Page>
  if (!profile.data) return null
  const p = profile.data
  const agency = me.data?.registered ? me.data.roles.find((r) => r.role === 'volunteer')?.agencyLabel : undefined

  return (
    <Page testId='pairing-profile' className='pr-root'>
      <View className='title'>{p.name}的志愿者登记</View>
      <View className={`pr-card pr-vetting pr-vetting--${vettingTone(p.vettingState)}`} data-testid='vetting'>
        <View className='pr-sub'>无犯罪记录审查</View>
        <View className='pr-vetting__label' data-testid='vetting-label'>{p.vettingLabel}</View>
        {p.validUntil && (
          <View className='pr-vetting__until' data-testid='valid-until'>
            {p.vettingState === 'expired' ? '已于' : '有效期到'}{dateWords(p.validUntil)}{p.vettingState === 'expired' ? '过期' : ''}
          </View>
        )}
        <View className='pr-vetting__means'>{WHAT_IT_MEANS[p.vettingState] ?? ''}</View>
      </View>
      <View className='pr-card'>
        <View className='pr-row'><View className='pr-sub'>身份</View><Pill tone='grey'>{p.kindLabel}</Pill></View>
        {agency && <View className='pr-row'><View className='pr-sub'>负责部门</View><View>{agency}</View></View>}
        <View className='pr-row'><View className='pr-sub'>最多同时结对</View><View data-testid='capacity'>{p.capacity}个孩子</View></View>
      </View>
      {p.vettingState === 'failed' && <Notice tone='danger'>如果审查结果有误，请带上证明找负责部门更正。</Notice>}

      <View className='section-title'>志愿者守则</View>
      <View className='pr-card' data-testid='code'>
        {p.code.map((line, i) => <View key={i} className='pr-code-line'>{i + 1}. {line}</View>)}
      </View>

      <View className='pr-links'>
        <Button block size='large' type='primary' onClick={() => go('/packages/pairing/pages/offers/index')}>看结对邀请</Button>
        <Button block size='large' onClick={() => go('/packages/pairing/pages/pairing/index')}>我结对的孩子</Button>
        <Button block size='large' onClick={() => go('/packages/pairing/pages/register/index')}>修改登记</Button>
      </View>
    </Page>
  )
}
