/** Small pieces the hotline pages share: form fields, the call-mode choice, weekday chips, times, messages. */
import { useState, type PropsWithChildren, type ReactNode } from 'react'
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { CALL_MODE_LABELS, type BookingStatus, type CallMode } from '../../../domain'
import { CloudError } from '../../../services/cloud'
import { Cell } from '../../../components/nut'
import { Checkbox, Picker, Radio } from '../nut'
import { WEEKDAYS } from '../time'

/** A label above, the control, then the field's own message in red. */
export function Field ({ label, error, hint, optional, testId, children }: PropsWithChildren<{
  label: ReactNode, error?: string, hint?: ReactNode, optional?: boolean, testId?: string
}>) {
  return (
    <View className={error ? 'hl-field hl-field--error' : 'hl-field'} data-testid={testId}>
      <View className='hl-field__label'>
        <Text>{label}</Text>{optional && <Text className='hl-field__optional'>（可不填）</Text>}
      </View>
      <View>{children}</View>
      {hint && <View className='hl-field__hint'>{hint}</View>}
      {error && <View className='hl-field__error' data-testid={testId ? `${testId}-error` : 'field-error'}>{error}</View>}
    </View>
  )
}

/** 视频 or 语音: two big buttons. */
export function ModeChoice ({ value, onChange }: { value: CallMode, onChange: (m: CallMode) => void }) {
  return (
    <Radio.Group className='hl-choice' direction='horizontal' value={value} onChange={(v) => onChange(String(v) as CallMode)}>
      {(['video', 'voice'] as const).map((m) => (
        <Radio key={m} shape='button' value={m} data-testid={`mode-${m}`}>{CALL_MODE_LABELS[m]}</Radio>
      ))}
    </Radio.Group>
  )
}

/** Some days of the week, each a button that stays pressed. */
export function WeekdayChips ({ value, onChange }: { value: readonly number[], onChange: (days: number[]) => void }) {
  return (
    <Checkbox.Group className='hl-choice hl-choice--days' direction='horizontal' value={value.map(String)}
      onChange={(v) => onChange(WEEKDAYS.map((d) => d.value).filter((d) => v.includes(String(d))))}>
      {WEEKDAYS.map((d) => <Checkbox key={d.value} shape='button' value={String(d.value)} label={d.label} />)}
    </Checkbox.Group>
  )
}

/** One day of the week. */
export function WeekdayChoice ({ value, onChange }: { value: number | undefined, onChange: (day: number) => void }) {
  return (
    <Radio.Group className='hl-choice hl-choice--days' direction='horizontal' value={value === undefined ? '' : String(value)} onChange={(v) => onChange(Number(v))}>
      {WEEKDAYS.map((d) => <Radio key={d.value} shape='button' value={String(d.value)}>{d.label}</Radio>)}
    </Radio.Group>
  )
}

/** One of a few short options, as buttons. */
export function Choice<T extends string | number> ({ value, options, onChange }: {
  value: T | undefined, options: ReadonlyArray<{ value: T, label: string }>, onChange: (v: T) => void
}) {
  return (
    <Radio.Group className='hl-choice' direction='horizontal' value={value === undefined ? '' : String(value)}
      onChange={(v) => { const o = options.find((x) => String(x.value) === String(v)); if (o) onChange(o.value) }}>
      {options.map((o) => <Radio key={String(o.value)} shape='button' value={String(o.value)}>{o.label}</Radio>)}
    </Radio.Group>
  )
}

const HOURS = Array.from({ length: 24 }, (_x, h) => String(h).padStart(2, '0'))
const MINUTES = Array.from({ length: 12 }, (_x, i) => String(i * 5).padStart(2, '0'))

/** A time of day 'HH:mm' on two wheels (hours, minutes in 5-minute steps); an end time may be 24:00. */
export function TimeField ({ value, onChange, title = '选择时间', end = false, testId }: {
  value: string, onChange: (t: string) => void, title?: string, end?: boolean, testId?: string
}) {
  const [open, setOpen] = useState(false)
  const hours = end ? [...HOURS, '24'] : HOURS
  const [h, m] = /^\d{2}:\d{2}$/.test(value) ? value.split(':') : ['', '']
  return (
    <View className='hl-time' data-testid={testId}>
      <Cell className='hl-picker-cell' title={value ? <Text>{value}</Text> : <Text className='hl-placeholder'>选择</Text>} extra='›' onClick={() => setOpen(true)} />
      <Picker visible={open} title={title}
        options={[hours.map((x) => ({ label: `${x}点`, value: x })), MINUTES.map((x) => ({ label: `${x}分`, value: x }))]}
        value={h ? [h, MINUTES.includes(m) ? m : '00'] : ['19', '00']}
        onConfirm={(_o, v) => {
          const hh = String(v[0] ?? '00')
          onChange(hh === '24' ? '24:00' : `${hh}:${String(v[1] ?? '00')}`)
        }}
        onClose={() => setOpen(false)} />
    </View>
  )
}

const STATUS_CLASS: Record<BookingStatus, string> = {
  booked: 'hl-status--booked', cancelled: 'hl-status--off', held: 'hl-status--held', missedByParent: 'hl-status--missed', childAbsent: 'hl-status--off'
}

/** A call's status as a coloured label. */
export function StatusTag ({ status, label }: { status: BookingStatus, label: string }) {
  return <Text className={`hl-status ${STATUS_CLASS[status]}`} data-testid='status'>{label}</Text>
}

/** A plain message box for a failure the person must read; `children` offers a way on. */
export function ProblemBox ({ message, testId = 'problem', children }: PropsWithChildren<{ message: string, testId?: string }>) {
  return (
    <View className='hl-problem' data-testid={testId}>
      <Text>{message}</Text>
      {children && <View className='hl-problem__actions'>{children}</View>}
    </View>
  )
}

/** The words to show for any failure: a CloudError's Chinese message (or its one field's), or a plain fallback. */
export function messageOf (err: unknown): string {
  if (!(err instanceof CloudError)) return '服务暂时出错，请稍后再试'
  const fields = Object.values(err.fields ?? {})
  // A refused time names its problem in the field; the message is then the generic "please correct".
  if (err.code === 'INVALID_INPUT' && fields.length === 1) return fields[0]
  return err.message
}

/** Short messages as a toast, longer ones in a box the person closes. */
export function tellError (err: unknown): void {
  const message = messageOf(err)
  if (message.length <= 14) Taro.showToast({ title: message, icon: 'none', duration: 3000 })
  else Taro.showModal({ title: '没有成功', content: message, showCancel: false, confirmText: '知道了' }).catch(() => undefined)
}

export function tellDone (title: string): void {
  Taro.showToast({ title, icon: 'success', duration: 2000 })
}

/** True for a failure that never reached the function: the same request may be sent again. */
export function isNetwork (err: unknown): boolean {
  return err instanceof CloudError && err.code === 'NETWORK'
}

export { useAttemptKey } from '../../../hooks/useAttemptKey'

/** Field messages from the server for an object sent under `prefix` ('settings.devices' -> 'devices'). */
export function withoutPrefix (fields: Record<string, string> | undefined, prefix: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(fields ?? {})) out[k.startsWith(prefix + '.') ? k.slice(prefix.length + 1) : k] = v
  return out
}
