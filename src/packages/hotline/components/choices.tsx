/** The hotline's own choices: how to call, which days of the week, a time of day. */
import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import { CALL_MODE_LABELS, type CallMode } from '../../../domain'
import { Cell } from '../../../components/nut'
import { Checkbox } from '../../../components/nut-forms/Checkbox'
import { Picker } from '../../../components/nut-forms/Picker'
import { Radio } from '../../../components/nut-forms/Radio'
import { WEEKDAY_OPTIONS } from '../../../services/format'

/** 视频 or 语音: two big buttons. */
export function ModeChoice ({ value, onChange }: { value: CallMode, onChange: (m: CallMode) => void }) {
  return (
    <Radio.Group className='choice' direction='horizontal' value={value} onChange={(v) => onChange(String(v) as CallMode)}>
      {(['video', 'voice'] as const).map((m) => (
        <Radio key={m} shape='button' value={m} data-testid={`mode-${m}`}>{CALL_MODE_LABELS[m]}</Radio>
      ))}
    </Radio.Group>
  )
}

/** Some days of the week, each a button that stays pressed. */
export function WeekdayChips ({ value, onChange }: { value: readonly number[], onChange: (days: number[]) => void }) {
  return (
    <Checkbox.Group className='choice choice--days' direction='horizontal' value={value.map(String)}
      onChange={(v) => onChange(WEEKDAY_OPTIONS.map((d) => d.value).filter((d) => v.includes(String(d))))}>
      {WEEKDAY_OPTIONS.map((d) => <Checkbox key={d.value} shape='button' value={String(d.value)} label={d.label} />)}
    </Checkbox.Group>
  )
}

/** One day of the week. */
export function WeekdayChoice ({ value, onChange }: { value: number | undefined, onChange: (day: number) => void }) {
  return (
    <Radio.Group className='choice choice--days' direction='horizontal' value={value === undefined ? '' : String(value)} onChange={(v) => onChange(Number(v))}>
      {WEEKDAY_OPTIONS.map((d) => <Radio key={d.value} shape='button' value={String(d.value)}>{d.label}</Radio>)}
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
      <Cell className='picker-cell' title={value ? <Text>{value}</Text> : <Text className='placeholder'>选择</Text>} extra='›' onClick={() => setOpen(true)} />
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
