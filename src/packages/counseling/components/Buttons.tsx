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
