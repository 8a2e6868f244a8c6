/** Big chips a thumb can hit, clearly on or off (styles in app.scss). */
import { View, Text } from '@tarojs/components'

interface Option<T extends string> { value: T, label: string }

/** Big chips, each a tap to choose and again to un-choose; `testId-value` names each. */
export function Chips<T extends string> ({ options, value, onChange, testId }: {
  options: ReadonlyArray<Option<T>>, value: readonly T[], onChange: (v: T[]) => void, testId: string
}) {
  return (
    <View className='chips' data-testid={testId}>
      {options.map((o) => {
        const on = value.includes(o.value)
        return (
          <View key={o.value} className={on ? 'chip chip--on' : 'chip'} data-testid={`${testId}-${o.value}`}
            onClick={() => onChange(on ? value.filter((v) => v !== o.value) : [...value, o.value])}>
            {on && <Text className='chip__tick'>✓ </Text>}{o.label}
          </View>
        )
      })}
    </View>
  )
}

/** One of a few: the same chips, one on at a time. */
export function OneOf<T extends string> ({ options, value, onChange, testId }: {
  options: ReadonlyArray<Option<T>>, value: T | undefined, onChange: (v: T) => void, testId: string
}) {
  return <Chips options={options} value={value ? [value] : []} onChange={(v) => { const last = v[v.length - 1]; if (last) onChange(last) }} testId={testId} />
}
