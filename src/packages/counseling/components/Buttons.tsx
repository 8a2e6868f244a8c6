/** Counselling's big round buttons: one of a few, any of a few, and numbers to call with one tap. */
import { View } from '@tarojs/components'
import { call } from '../../../services/nav'
import { Button } from '../../../components/nut'

/** One of a few, as big round buttons, one under the other (a ten-year-old's thumb, a grandmother's eyes). */
export function BigChoice<T extends string> ({ options, value, onChange, testId }: {
  options: ReadonlyArray<{ value: T, label: string }>, value?: T, onChange: (v: T) => void, testId?: string
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
export function ToggleButtons<T extends string | number> ({ options, value, onChange }: {
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

/** The colour of the other numbers: clearly not the red of 110. */
const CALM = '#1c7ed6'

/** Numbers to call with one tap, 110 red; the station's line says who answers rather than its digits. */
export function CallButtons ({ numbers }: { numbers: ReadonlyArray<{ number: string, name: string }> }) {
  return (
    <View className='cs-call' data-testid='call-numbers'>
      {numbers.map((n) => {
        const help = n.number === '110' || n.number === '12355'
        return (
          <View key={n.number}>
            <Button block size='large' shape='round' type={n.number === '110' ? 'danger' : 'default'}
              fill={n.number === '110' ? 'solid' : 'outline'} color={n.number === '110' ? undefined : CALM}
              data-testid={`call-${n.number}`} onClick={() => call(n.number)}>
              {help ? `拨打 ${n.number}` : '打给值班辅导员'}
            </Button>
            <View className='cs-call__what'>{help ? n.name : `${n.name}：${n.number}`}</View>
          </View>
        )
      })}
    </View>
  )
}

interface ContactLine { phone: string, label: string, kind: string, caution?: string, avoid: boolean }

/**
 * The numbers that may reach a child, for a counsellor to call with one tap, in the order to try them. A group of
 * numbers to be careful with (the family, when the home is pointed at) says why once, in red, above the group.
 */
export function ContactList ({ contacts, testId = 'contacts' }: { contacts: readonly ContactLine[], testId?: string }) {
  if (contacts.length === 0) return <View className='cs-small' data-testid={testId}>档案里没有可以打的电话。请打 110 请民警上门看看孩子。</View>
  return (
    <View className='cs-contacts' data-testid={testId}>
      {contacts.map((c, i) => (
        <View key={c.phone}>
          {c.caution && c.caution !== contacts[i - 1]?.caution && <View className='cs-contact__caution' data-testid='contact-caution'>⚠ {c.caution}</View>}
          <View className={c.caution ? 'cs-contact cs-contact--careful' : 'cs-contact'} data-testid='contact' data-kind={c.kind}>
            <View className='cs-contact__main'>
              <View className='cs-contact__label'>{c.label}</View>
              <View className='cs-contact__phone' data-testid='contact-phone'>{c.phone}</View>
              {c.avoid && <View className='cs-contact__flag' data-testid='contact-avoid'>家里的电话：先别打</View>}
            </View>
            <Button size='large' shape='round' type={c.kind === 'police' ? 'danger' : c.caution ? 'default' : 'primary'} fill={c.caution ? 'outline' : 'solid'}
              onClick={() => call(c.phone)} data-testid='contact-call'>拨打</Button>
          </View>
        </View>
      ))}
    </View>
  )
}
