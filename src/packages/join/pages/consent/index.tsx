import { useState } from 'react'
import { useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { CONSENT_STATE_LABELS } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { home } from '../../../../services/nav'
import { useCloud } from '../../../../hooks/useCloud'
import { Page } from '../../../../components/Page'
import { Button } from '../../../../components/nut'
import { Dialog } from '../../../../components/nut-forms/Dialog'
import { EmptyState, ErrorState, LoadingState, showError } from '../../../../components/States'

type Decision = 'granted' | 'refused'

/**
 * The guardian reads what is collected, why, who sees it, how long it is kept and how to have it deleted, and
 * answers on their own phone (儿童个人信息网络保护规定 第九条). Refusing is possible and asked once more, with what
 * is still kept said plainly.
 */
export default function ConsentPage () {
  const { params } = useRouter()
  const childId = params.childId ?? ''
  const form = useCloud(() => callCloud('registry', 'consentForm', { childId }), [childId])
  const [asking, setAsking] = useState(false)
  const [saving, setSaving] = useState(false)
  const [answered, setAnswered] = useState<Decision | undefined>()

  async function answer (decision: Decision) {
    if (!form.data) return
    setSaving(true)
    try {
      const res = await callCloud('registry', 'giveConsent', { childId, decision, version: form.data.version })
      setAsking(false)
      setAnswered(res.state === 'pending' ? undefined : res.state)
    } catch (err) {
      setAsking(false)
      showError(err)
    } finally {
      setSaving(false)
    }
  }

  if (!childId) return <Page><EmptyState title='没有指定孩子' description='请从首页的孩子那里点进来' /></Page>
  if (form.loading && !form.data) return <Page><LoadingState /></Page>
  if (form.error) return <Page><ErrorState error={form.error} onRetry={form.reload} /></Page>
  if (!form.data) return null
  const f = form.data
  // What stays on a refusal, in the consent text's own words (without its opening "您可以不同意。").
  const keptOnRefusal = f.sections.find((s) => s.heading.includes('不同意'))?.body.replace(/^您可以不同意。/, '')

  if (answered) {
    return (
      <Page testId='consent-result'>
        <View className='title'>{answered === 'granted' ? '谢谢您' : '已记下您的决定'}</View>
        <View className={answered === 'granted' ? 'card done' : 'card'} data-testid='consent-answer'>
          {answered === 'granted'
            ? <Text>您已同意登记{f.childName}的信息。老师和儿童主任会用这些信息帮孩子安排亲情通话、心理帮助和结对关爱。</Text>
            : <Text>您不同意登记{f.childName}的信息。{keptOnRefusal ?? ''}您以后改变主意，可以随时回到这里同意。</Text>}
        </View>
        <View className='big-button'>
          <Button type='primary' size='large' block onClick={() => home()}>回首页</Button>
        </View>
      </Page>
    )
  }

  return (
    <Page testId='consent'>
      <View className='title'>{f.title}</View>
      <View className='hint'>孩子：{f.childName} · 现在：{CONSENT_STATE_LABELS[f.state]}</View>
      <View className='hint'>请看完下面的内容，再在最下面选“同意”或“不同意”。</View>
      {f.sections.map((s) => (
        <View key={s.heading} className='card consent-section'>
          <View className='consent-section__heading'>{s.heading}</View>
          <View>{s.body}</View>
        </View>
      ))}
      <View className='small'>同意书版本 {f.version}</View>
      <View className='consent-buttons'>
        {f.state === 'granted' && <View className='card done'>您已经同意了。如果想撤回，可以点下面的“不同意”。</View>}
        {f.state === 'refused' && <View className='card'>您之前选了不同意。改变主意的话，可以点“同意”。</View>}
        {f.state !== 'granted' && (
          <View className='big-button'>
            <Button type='primary' size='large' block loading={saving && !asking} disabled={saving} onClick={() => answer('granted')}>同意</Button>
          </View>
        )}
        {f.state !== 'refused' && (
          <View className='big-button'>
            <Button size='large' block disabled={saving} onClick={() => setAsking(true)}>不同意</Button>
          </View>
        )}
      </View>

      <Dialog visible={asking} title='确定不同意吗？'
        content={`不同意也没关系，孩子照样受到保护。${keptOnRefusal ?? '我们只保留孩子的姓名、学校和所在村，用于依法保护孩子。'}`}
        confirmText={saving ? '正在提交…' : '确定不同意'} cancelText='再想想' disableConfirmButton={saving}
        onConfirm={() => answer('refused')} onCancel={() => setAsking(false)} onClose={() => setAsking(false)} />
    </Page>
  )
}
