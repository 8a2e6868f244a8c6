/** Text boxes sized for thumbs and tired eyes. */
import { View } from '@tarojs/components'
import { Input } from './nut-forms/Input'
import { TextArea } from './nut-forms/TextArea'

/** A text box sized for thumbs; digits-only boxes bring up the number keyboard. */
export function TextInput ({ value, onChange, placeholder, type = 'text', maxLength, testId }: {
  value: string, onChange: (v: string) => void, placeholder?: string, type?: 'text' | 'number' | 'idcard' | 'digit', maxLength?: number, testId?: string
}) {
  return (
    <View className='text-input' data-testid={testId}>
      <Input value={value} onChange={onChange} placeholder={placeholder} type={type} maxLength={maxLength} clearable={false} />
    </View>
  )
}

/** A few lines of text; how many characters are left shows once most are used. */
export function LongText ({ value, onChange, placeholder, maxLength, rows = 4, autoSize = true, testId }: {
  value: string, onChange: (v: string) => void, placeholder?: string, maxLength: number, rows?: number, autoSize?: boolean, testId?: string
}) {
  return (
    <View className='text-input' data-testid={testId}>
      <TextArea value={value} onChange={onChange} placeholder={placeholder} maxLength={maxLength} rows={rows} autoSize={autoSize} showCount={value.length > maxLength * 0.8} />
    </View>
  )
}
