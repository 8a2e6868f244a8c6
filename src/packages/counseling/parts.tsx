/** Pieces the counseling pages share: big choices, one-tap numbers, urgency tags, times, failures. */
import type { PropsWithChildren, ReactNode } from 'react'
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { Page } from '../../components/Page'
import { Button, Tag } from '../../components/nut'
import { CloudError } from '../../services/cloud'
import { HELP_NUMBERS, addDays, callTimeLabel, shanghaiWall, toDateKey, type Urgency } from '../../domain'
import './counseling.scss'

export { Failure, messageOf } from '../../components/States'
export { todayString as today } from '../../services/format'

export const PACKAGE = '/packages/counseling/pages'

/** Every counseling page's frame: the app's Page (large-text mode) with this package's big buttons. */
export function CsPage ({ testId, children }: PropsWithChildren<{ testId?: string }>) {
  return <Page testId={testId}><View className='cs'>{children}</View></Page>
}

/** The numbers a crisis shows before anything has loaded: they never wait for the cloud. */
export const FIRST_NUMBERS = ['110', '12355'].map((n) => {
  const h = HELP_NUMBERS.find((x) => x.number === n)!
  return { number: h.number, name: h.name }
})

export interface Choice<T extends string> { value: T, label: string }

/** One of a few, as big round buttons, one under the other (a ten-year-old's thumb, a grandmother's eyes). */
export function BigChoice<T extends string> ({ options, value, onChange, testId }: {
  options: ReadonlyArray<Choice<T>>, value?: T, onChange: (v: T) => void, testId?: string
}) {
  return (
    <View className='cs-choices' data-testid={testId}>
      {options.map((o) => (
        <Button key={o.value} block shape='round' size='large' type={o.value === value ? 'primary' : 'default'}
          data-testid={`choice-${o.value}`} onClick={() => onChange(o.value)}>{o.label}</Button>
      ))}
    </View>
  )
}

/** Any of a few as buttons that stay pressed. */
export function Chips<T extends string | number> ({ options, value, onChange }: {
  options: ReadonlyArray<{ value: T, label: string }>, value: readonly T[], onChange: (v: T[]) => void
}) {
  return (
    <View className='cs-chips'>
      {options.map((o) => {
        const on = value.includes(o.value)
        return (
          <Button key={String(o.value)} shape='round' size='normal' type={on ? 'primary' : 'default'}
            onClick={() => onChange(on ? value.filter((v) => v !== o.value) : [...value, o.value])}>{o.label}</Button>
        )
      })}
    </View>
  )
}

export function call (number: string): void {
  Taro.makePhoneCall({ phoneNumber: number }).catch(() => undefined)
}

/** The colour of the other numbers: clearly not the red of 110. */
const CALM = '#1c7ed6'

/** Numbers to call with one tap, 110 red. */
export function CallButtons ({ numbers }: { numbers: ReadonlyArray<{ number: string, name: string }> }) {
  return (
    <View className='cs-call' data-testid='call-numbers'>
      {numbers.map((n) => (
        <View key={n.number}>
          <Button block size='large' shape='round' type={n.number === '110' ? 'danger' : 'default'}
            fill={n.number === '110' ? 'solid' : 'outline'} color={n.number === '110' ? undefined : CALM}
            data-testid={`call-${n.number}`} onClick={() => call(n.number)}>
            {`拨打 ${n.number}`}
          </Button>
          <View className='cs-call__what'>{n.name}</View>
        </View>
      ))}
    </View>
  )
}

const URGENCY_TAG: Record<Urgency, 'danger' | 'warning' | undefined> = { crisis: 'danger', soon: 'warning', routine: undefined }

export function UrgencyTag ({ urgency, label }: { urgency: Urgency, label: string }) {
  const type = URGENCY_TAG[urgency]
  return type ? <Tag type={type} data-testid='urgency'>{label}</Tag> : <SoftTag testId='urgency'>{label}</SoftTag>
}

/** A quiet grey tag (NutUI's default one is black). */
export function SoftTag ({ children, testId }: PropsWithChildren<{ testId?: string }>) {
  return <Tag background='#eee6e0' color='#4a3b33' data-testid={testId}>{children}</Tag>
}

export function Section ({ title, extra, children, testId }: PropsWithChildren<{ title: string, extra?: ReactNode, testId?: string }>) {
  return (
    <View data-testid={testId}>
      <View className='section-title cs-between'><Text>{title}</Text>{extra}</View>
      {children}
    </View>
  )
}

/** The message a failure gives one field, if it names it. */
export function fieldMessage (err: unknown, field: string): string | undefined {
  return err instanceof CloudError ? err.fields?.[field] : undefined
}

// ---- Times, all in Asia/Shanghai ----

/** 12月6日 周六 09:00–09:50 */
export function sessionTime (start: Date, end: Date): string {
  return `${callTimeLabel(start)}–${shanghaiWall(end).format('HH:mm')}`
}

/** 12月6日 周六 09:00, or 今天 09:00 / 昨天 09:00 for the last two days. */
export function whenLabel (at: Date, now: Date = new Date()): string {
  const day = toDateKey(at)
  const today = toDateKey(now)
  const hm = shanghaiWall(at).format('HH:mm')
  if (day === today) return `今天 ${hm}`
  if (day === addDays(today, -1)) return `昨天 ${hm}`
  return callTimeLabel(at)
}

/** YYYY-MM-DD -> 12月10日 周四 */
export { dayLabel } from '../../services/format'

/** A YYYY-MM-DD picked on the phone's local-time wheels, without shifting it by the phone's zone. */
export { dayToLocalDate } from '../../services/format'

/** A fresh key for one submission; kept for retries of the same submission so nothing is done twice. */
export function newKey (): string {
  const rand = () => Math.floor(Math.random() * 0x100000000).toString(36)
  return `${Date.now().toString(36)}-${rand()}${rand()}`
}

export interface CrisisNumbers { numbers: Array<{ number: string, name: string }> }

/**
 * The ask page hands the crisis page what `ask` returned, so the numbers (with the station's duty line) show in
 * the very first frame. Kept in memory for this run of the app only: nothing about a child's crisis is written
 * to the phone.
 */
const crisisSeen = new Map<string, CrisisNumbers>()
export function rememberCrisis (requestId: string, crisis: CrisisNumbers): void { crisisSeen.set(requestId, crisis) }
export function recalledCrisis (requestId: string): CrisisNumbers | undefined { return crisisSeen.get(requestId) }

/** The station's duty line among a crisis's numbers (not 110, not 12355). */
export function dutyLineOf (numbers: ReadonlyArray<{ number: string }>): string | undefined {
  return numbers.find((n) => n.number !== '110' && n.number !== '12355')?.number
}
