/**
 * The offer of large text on first use, to the people it is for (services/textSize.ts, offersLargeText): asked once
 * on this phone, on the home page, in WeChat's own dialog (its text follows WeChat's font size).
 */
import { useEffect } from 'react'
import Taro from '@tarojs/taro'
import { callCloud } from '../services/cloud'
import { markOffered, shouldOffer, storedChoice, systemFontSize, wasOffered } from '../services/textSize'

/** One look per app run at whether to offer (a whoami), not one per page shown. */
let looked = false

export function useLargeTextOffer (set: (on: boolean) => void): void {
  useEffect(() => {
    if (looked) return
    const path = Taro.getCurrentInstance().router?.path ?? ''
    if (!path.includes('pages/home/index')) return
    looked = true
    if (wasOffered() || storedChoice() !== undefined) return
    callCloud('account', 'whoami', {}).then(async (me) => {
      if (!me.registered || !shouldOffer(me.roles, { offered: wasOffered(), choice: storedChoice(), systemFontSize: systemFontSize() })) return
      markOffered()
      const r = await Taro.showModal({
        title: '把字放大吗？',
        content: '字和按钮都会变大，看得更清楚。以后可以在「我的」里的「大字模式」改。',
        confirmText: '放大',
        cancelText: '不用了'
      })
      if (r.confirm) set(true)
    }).catch(() => { looked = false }) // not reached: ask on the next home visit
  }, [set])
}
