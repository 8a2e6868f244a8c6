import { useCallback, useEffect, useRef, useState } from 'react'
import { useDidHide, useDidShow, useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { CALLBACK_WHOSE, CALLBACK_WHOSE_LABELS, HURT_BY, HURT_BY_LABELS, type CallBackWhose, type HurtBy } from '../../../../domain'
import { callCloud } from '../../../../services/cloud'
import { whenWords } from '../../../../services/format'
import { replace, routeParam } from '../../../../services/nav'
import { useAttemptKey } from '../../../../hooks/useAttemptKey'
import { Page } from '../../../../components/Page'
import { Button } from '../../../../components/nut'
import { Field } from '../../../../components/Field'
import { OneOf } from '../../../../components/Chips'
import { LongText, TextInput } from '../../../../components/TextInput'
import { ProblemBox, fieldsOf, messageOf } from '../../../../components/States'
import { CallButtons } from '../../components/Buttons'
import { FIRST_NUMBERS, WHO_WILL_KNOW, pendingAsk } from '../../crisis'
import '../../counseling.scss'
import { useFieldErrors } from '../../../../hooks/useFieldErrors'

const MINE = '/packages/counseling/pages/mine/index'
/** On this screen red is 110's alone: the other buttons are a calm blue. */
const CALM = '#1c7ed6'

/** How often the page asks whether a counsellor has taken the crisis. */
const REFRESH_MS = 15000

type Asker = 'child' | 'adult'
type Numbers = Array<{ number: string, name: string }>
interface Live {
  found?: boolean, acknowledged: boolean, message?: string, acknowledgedAt?: Date, numbers?: Numbers,
  callBack?: { phone: string, whose: CallBackWhose, fromFile: boolean }, toldMore?: boolean
}

/** Words for the child (你) or for a grown-up asking for a child (您). */
const WORDS = {
  child: { hug: '谢谢你告诉我们。你不是一个人，我们和你在一起。', waiting: '值班辅导员马上会给你打电话。', keep: '请把手机放在身边，留意来电。这里会自动更新。', callMe: '辅导员会打这个电话找你', whichPhone: '辅导员打哪个电话能找到你？', whose: '这是谁的电话？', more: '我还想告诉辅导员…', who: '是谁伤害你、让你害怕？（可以不选）', note: '想说的话（可以不写）', notePlaceholder: '想说什么都可以写', told: '辅导员会看到你说的话。' },
  adult: { hug: '谢谢您告诉我们。', waiting: '值班辅导员马上会给您打电话。', keep: '请把手机放在身边，留意来电。这里会自动更新。', callMe: '辅导员会打这个电话找您', whichPhone: '辅导员打哪个电话能找到您？', whose: '这是谁的电话？', more: '补充孩子的情况…', who: '是谁伤害孩子？（可以不选）', note: '补充的情况（可以不写）', notePlaceholder: '孩子现在在哪里、和谁在一起', told: '辅导员会看到您补充的情况。' }
} as const

/**
 * A child in danger, the screen after her first danger answer: the numbers to call with one tap show in the first
 * frame (110 first, in red; 12355; the station's duty line), never waiting for the cloud. Under them one sentence
 * of what happens next, and the number the counsellor will call (hers on file, or one she leaves). Then who will
 * know what she said, honestly; and, once help is on its way, a place to tell more if she wants. The request is
 * filed from here (the ask page hands over the answers) and asked about again every 15 seconds until a counsellor
 * has taken it.
 */
export default function Crisis () {
  const { params } = useRouter()
  const token = routeParam(params.pending)
  const asked = token ? pendingAsk(token) : undefined
  // Only digits and dashes are taken from the address: it becomes a number to dial.
  const line = params.line && /^[\d-]{3,20}$/.test(routeParam(params.line) ?? '') ? routeParam(params.line) : undefined
  const [requestId, setRequestId] = useState<string | undefined>(routeParam(params.requestId) ?? asked?.requestId)
  const [asker, setAsker] = useState<Asker>(params.who === 'adult' ? 'adult' : 'child')
  const [filing, setFiling] = useState<'sending' | 'failed'>()
  const [live, setLive] = useState<Live>({ acknowledged: false })
  const [trouble, setTrouble] = useState<string>()
  const [checking, setChecking] = useState(false)
  const shown = useRef(true)
  const acked = useRef(false)
  const w = WORDS[asker]

  const numbers: Numbers = live.numbers ?? asked?.numbers ?? [
    ...FIRST_NUMBERS,
    ...(line ? [{ number: line, name: '心理健康辅导站值班电话' }] : [])
  ]

  /** Files the answers the ask page handed over; the same key makes a retry the same request. */
  const file = useCallback(async () => {
    if (!asked || asked.requestId) return
    setFiling('sending')
    try {
      const res = await callCloud('counseling', 'ask', { childId: asked.childId, answers: asked.answers, idempotencyKey: asked.idempotencyKey })
      asked.requestId = res.requestId
      asked.numbers = res.crisis?.numbers
      setRequestId(res.requestId)
      if (res.crisis) setLive((l) => ({ ...l, found: true, message: res.crisis!.message, numbers: res.crisis!.numbers, callBack: res.crisis!.callBack }))
      setFiling(undefined)
    } catch (err) {
      setTrouble(messageOf(err))
      setFiling('failed')
    }
  }, [asked])

  const check = useCallback(async () => {
    if (!requestId) return
    setChecking(true)
    try {
      const { requests } = await callCloud('counseling', 'myRequests', {})
      const mine = requests.find((r) => r.id === requestId)
      if (!mine?.crisis) {
        // Not a crisis of mine (an old link, another person's phone): the numbers stay, the status goes.
        acked.current = true
        setLive({ found: false, acknowledged: false })
      } else {
        acked.current = mine.crisis.acknowledged
        setAsker(mine.forSelf ? 'child' : 'adult')
        setLive({ found: true, acknowledged: mine.crisis.acknowledged, message: mine.crisis.message, acknowledgedAt: mine.crisis.acknowledgedAt, numbers: mine.crisis.numbers, callBack: mine.crisis.callBack, toldMore: mine.crisis.toldMore })
      }
      setTrouble(undefined)
    } catch (err) {
      setTrouble(messageOf(err))
    } finally {
      setChecking(false)
    }
  }, [requestId])

  useEffect(() => { file() }, [file])
  useEffect(() => {
    check()
    const timer = setInterval(() => { if (shown.current && !acked.current) check() }, REFRESH_MS)
    return () => clearInterval(timer)
  }, [check])
  const first = useRef(true)
  useDidShow(() => {
    shown.current = true
    if (!first.current && !acked.current) check()
    first.current = false
  })
  useDidHide(() => { shown.current = false })

  const filed = Boolean(requestId) && live.found !== false
  return (
    <Page testId='crisis' className='cs'>
      <View className='cs-hug'>{w.hug}</View>
      <Status asker={asker} filing={filing} filed={filed} live={live} trouble={trouble} onRetry={file} />
      <View className='section-title'>{asker === 'child' ? '现在有危险？先打 110' : '孩子现在有危险？先打 110'}</View>
      <CallButtons numbers={numbers} />
      {filed && requestId && <CallBackBox requestId={requestId} asker={asker} current={live.callBack} onSaved={check} />}
      <View className='cs-honest' data-testid='who-will-know'>{WHO_WILL_KNOW[asker]}</View>
      {filed && requestId && <TellMore requestId={requestId} asker={asker} already={Boolean(live.toldMore)} onSaved={check} />}
      {filed && !live.acknowledged && (
        <View className='big-button'>
          <Button block fill='outline' loading={checking} disabled={checking} onClick={check}>看看辅导员接了没有</Button>
        </View>
      )}
      <View className='big-button'>
        <Button block fill='none' onClick={() => replace(MINE)}>{asker === 'child' ? '我的求助' : '我的求助记录'}</Button>
      </View>
    </Page>
  )
}

/** One plain sentence of what happens next, and whether it has happened. */
function Status ({ asker, filing, filed, live, trouble, onRetry }: { asker: Asker, filing?: 'sending' | 'failed', filed: boolean, live: Live, trouble?: string, onRetry: () => void }) {
  const w = WORDS[asker]
  if (filing === 'sending') {
    return <View className='cs-status cs-status--waiting' data-testid='crisis-status' data-acknowledged='false'><View className='cs-status__main'><Text className='cs-pulse' />正在告诉值班辅导员…</View></View>
  }
  if (filing === 'failed') {
    return (
      <View className='cs-status cs-status--waiting' data-testid='crisis-status' data-acknowledged='false'>
        <View className='cs-status__main'>还没告诉到辅导员{trouble ? `（${trouble}）` : ''}</View>
        <View className='cs-status__small'>下面的电话可以直接打。</View>
        <Button block type='primary' color={CALM} onClick={onRetry} data-testid='file-again'>再试一次</Button>
      </View>
    )
  }
  if (!filed) return null
  if (live.acknowledged) {
    return (
      <View className='cs-status cs-status--ok' data-testid='crisis-status' data-acknowledged='true'>
        <View className='cs-status__main'>✓ {live.message}</View>
        {live.acknowledgedAt && <View className='cs-status__small'>{whenWords(live.acknowledgedAt)} 接手。请把手机放在身边，留意来电。</View>}
      </View>
    )
  }
  return (
    <View className='cs-status cs-status--waiting' data-testid='crisis-status' data-acknowledged='false'>
      <View className='cs-status__main'><Text className='cs-pulse' />{w.waiting}</View>
      <View className='cs-status__small'>{trouble ? `暂时连不上（${trouble}），电话可以直接打。` : w.keep}</View>
    </View>
  )
}

/** Digits in threes and fours, as people read a phone number aloud. */
const spaced = (phone: string) => (/^1\d{10}$/.test(phone) ? `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}` : phone)

/** The number the counsellor will call: the one on file or left before, or a box to leave one. */
function CallBackBox ({ requestId, asker, current, onSaved }: { requestId: string, asker: Asker, current?: Live['callBack'], onSaved: () => void }) {
  const w = WORDS[asker]
  const [editing, setEditing] = useState(false)
  const [phone, setPhone] = useState('')
  const [whose, setWhose] = useState<CallBackWhose>()
  const [errors, setErrors] = useFieldErrors()
  const [failure, setFailure] = useState<string>()
  const [saving, setSaving] = useState(false)

  async function save () {
    setErrors({})
    setFailure(undefined)
    if (!whose) { setErrors({ whose: '请选是谁的电话' }); return }
    setSaving(true)
    try {
      await callCloud('counseling', 'setCallBack', { requestId, phone, whose })
      setEditing(false)
      onSaved()
    } catch (err) {
      const f = fieldsOf(err)
      if (f.phone || f.whose) setErrors(f)
      else setFailure(messageOf(err))
    } finally {
      setSaving(false)
    }
  }

  if (current && !editing) {
    return (
      <View className='cs-callback' data-testid='callback'>
        <View className='cs-callback__label'>{w.callMe}：</View>
        <View className='cs-callback__phone' data-testid='callback-phone'>{spaced(current.phone)}</View>
        <View className='cs-small'>{current.fromFile ? '（档案里你的电话）' : `（${CALLBACK_WHOSE_LABELS[current.whose]}电话）`}</View>
        <Button fill='outline' onClick={() => { setEditing(true); setPhone(current.phone); setWhose(current.whose) }}>换一个号码</Button>
      </View>
    )
  }
  return (
    <View className='cs-callback' data-testid='callback-form'>
      <Field label={w.whichPhone} error={errors.phone} testId='callback-number' hint={asker === 'child' ? '可以是你自己的，也可以是邻居、老师、亲戚的。' : undefined} hintAbove>
        <TextInput value={phone} onChange={setPhone} type='number' maxLength={13} placeholder='写电话号码' />
      </Field>
      <Field label={w.whose} error={errors.whose} testId='callback-whose'>
        <OneOf testId='whose' value={whose} onChange={setWhose} options={CALLBACK_WHOSE.map((x) => ({ value: x, label: CALLBACK_WHOSE_LABELS[x] }))} />
      </Field>
      <ProblemBox message={failure} />
      <Button block size='large' type='primary' color={CALM} loading={saving} disabled={saving} onClick={save} data-testid='save-callback'>就打这个电话</Button>
      {current && <Button block fill='none' onClick={() => setEditing(false)}>不换了</Button>}
    </View>
  )
}

/** After help is on its way, more if they want: who hurts the child, and a note. */
function TellMore ({ requestId, asker, already, onSaved }: { requestId: string, asker: Asker, already: boolean, onSaved: () => void }) {
  const w = WORDS[asker]
  const [open, setOpen] = useState(false)
  const [hurtBy, setHurtBy] = useState<HurtBy>()
  const [words, setWords] = useState('')
  const [sent, setSent] = useState(false)
  const [failure, setFailure] = useState<string>()
  const [saving, setSaving] = useState(false)
  const attempt = useAttemptKey()

  async function send () {
    setFailure(undefined)
    const more = { requestId, ...(hurtBy ? { hurtBy } : {}), ...(words.trim() ? { words: words.trim() } : {}) }
    setSaving(true)
    try {
      await callCloud('counseling', 'tellMore', { ...more, idempotencyKey: attempt.keyFor(JSON.stringify(more)) })
      attempt.done()
      setSent(true)
      setOpen(false)
      setHurtBy(undefined)
      setWords('')
      onSaved()
    } catch (err) {
      setFailure(fieldsOf(err).words ?? messageOf(err))
    } finally {
      setSaving(false)
    }
  }

  if (!open) {
    return (
      <View data-testid='tell-more'>
        {(sent || already) && <View className='cs-ack' data-testid='told'>✓ {w.told}</View>}
        <View className='big-button'>
          <Button block fill='outline' onClick={() => setOpen(true)} data-testid='open-tell-more'>{sent || already ? '再说几句' : w.more}</Button>
        </View>
      </View>
    )
  }
  return (
    <View className='cs-card' data-testid='tell-more'>
      <Field label={w.who} testId='hurt-by'>
        <OneOf testId='hurt' value={hurtBy} onChange={setHurtBy} options={HURT_BY.map((x) => ({ value: x, label: HURT_BY_LABELS[x] }))} />
      </Field>
      <Field label={w.note} testId='more-words'>
        <LongText value={words} onChange={setWords} placeholder={w.notePlaceholder} maxLength={500} rows={3} autoSize />
      </Field>
      <ProblemBox message={failure} />
      <Button block size='large' type='primary' color={CALM} loading={saving} disabled={saving} onClick={send} data-testid='send-more'>告诉辅导员</Button>
      <Button block fill='none' onClick={() => setOpen(false)}>先不说了</Button>
    </View>
  )
}
