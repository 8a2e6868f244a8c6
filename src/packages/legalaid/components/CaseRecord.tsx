/** What a legal-aid case has on record: its steps in time, the exemptions the law grants, a refusal and how to object. */
import { View } from '@tarojs/components'
import { whenWords } from '../../../services/format'
import { call } from '../../../services/nav'
import { Button } from '../../../components/nut'

/** Each step in plain words with its time, oldest first; the newest marked. */
export function Timeline ({ entries }: { entries: ReadonlyArray<{ at: Date, text: string }> }) {
  return (
    <View className='la-card la-timeline' data-testid='timeline'>
      {entries.map((e, i) => {
        const last = i === entries.length - 1
        return (
          <View key={`${e.at.getTime()}-${i}`} className='la-tl' data-testid='timeline-step'>
            <View className='la-tl__rail'>
              <View className={last ? 'la-tl__dot la-tl__dot--last' : 'la-tl__dot'} />
              {!last && <View className='la-tl__line' />}
            </View>
            <View className='la-tl__body'>
              <View className='la-tl__text'>{e.text}</View>
              <View className='la-tl__time'>{whenWords(e.at)}</View>
            </View>
          </View>
        )
      })}
    </View>
  )
}

/** The exemptions from the economic-hardship check the law grants this request, each with its article. */
export function Exemptions ({ list }: { list: ReadonlyArray<{ label: string, article: string }> }) {
  if (list.length === 0) return null
  return (
    <View className='la-card' data-testid='exemptions'>
      {list.map((e) => (
        <View key={e.article} className='la-exemption' data-testid='exemption'>
          <View>✓ {e.label}</View>
          <View className='la-law'>依据：{e.article}</View>
        </View>
      ))}
    </View>
  )
}

/** A refusal's reason and how to object, with the legal hotline one tap away. */
export function Refusal ({ refusal }: { refusal: { reason: string, howToObject: string } }) {
  return (
    <View className='la-danger' data-testid='refusal'>
      <View className='la-strong'>不予援助的理由</View>
      <View>{refusal.reason}</View>
      <View className='la-strong la-gap'>不同意怎么办</View>
      <View>{refusal.howToObject}</View>
      <View className='la-gap'>
        <Button block size='large' type='primary' onClick={() => call('12348')}>拨打 12348 法律服务热线</Button>
      </View>
    </View>
  )
}
