import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import { CALL_MODE_LABELS, callTimeLabel, fieldErrors, hotlineContract, type BookingView } from '../../../domain'
import { callCloud, isNetworkError } from '../../../services/cloud'
import { Button } from '../../../components/nut'
import { Dialog } from '../../../components/nut-forms/Dialog'
import { Input } from '../../../components/nut-forms/Input'
import { showDone, showError } from '../../../components/States'

const CANCEL_REASONS = ['要加班', '孩子有事', '换个时间再约']

/** A call to come: its time, child and room; 改时间 opens the move, 取消 asks why first. */
export function BookingCard ({ booking: b, onMove, onCancelled }: { booking: BookingView, onMove: () => void, onCancelled: () => void }) {
  const [asking, setAsking] = useState(false)
  const [reason, setReason] = useState('')
  const [error, setError] = useState<string | undefined>()

  async function cancel () {
    const parsed = hotlineContract.cancel.input.safeParse({ bookingId: b.id, reason })
    if (!parsed.success) {
      setError(fieldErrors(parsed.error).reason ?? '请说一下取消的原因')
      throw new Error('invalid') // keeps the dialog open
    }
    try {
      await callCloud('hotline', 'cancel', parsed.data)
      showDone('已取消')
      onCancelled()
    } catch (err) {
      showError(err, { oneField: true })
      if (isNetworkError(err)) throw err
      onCancelled()
    }
  }

  return (
    <View className='hl-card' data-testid='upcoming'>
      <View className='hl-row'>
        <Text className='hl-name'>{callTimeLabel(b.start)}</Text>
        {b.standing && <Text className='hl-week hl-week--booked'>每周固定</Text>}
      </View>
      <View className='hl-sub'>和{b.childName} · {CALL_MODE_LABELS[b.mode]} · {b.roomName}</View>
      <View className='hl-buttons'>
        <Button size='large' type='primary' fill='outline' onClick={onMove}>改时间</Button>
        <Button size='large' onClick={() => { setReason(''); setError(undefined); setAsking(true) }}>取消</Button>
      </View>
      <Dialog visible={asking} title='取消这次通话？' confirmText='确认取消' cancelText='不取消'
        onConfirm={cancel} onCancel={() => setAsking(false)} onClose={() => setAsking(false)}>
        {asking && (
          <View className='hl-confirm'>
            <View className='hl-confirm__who'>{callTimeLabel(b.start)}，和{b.childName}</View>
            <View className='hl-confirm__label'>为什么取消？</View>
            <View className='hl-chips'>
              {CANCEL_REASONS.map((r) => (
                <Text key={r} className={reason === r ? 'hl-chip hl-chip--on' : 'hl-chip'} onClick={() => { setReason(r); setError(undefined) }}>{r}</Text>
              ))}
            </View>
            <View className='hl-input'>
              <Input value={reason} onChange={(v) => { setReason(v); setError(undefined) }} placeholder='或者自己写' maxLength={100} clearable={false} />
            </View>
            {error && <View className='field__error' data-testid='cancel-error'>{error}</View>}
          </View>
        )}
      </Dialog>
    </View>
  )
}
