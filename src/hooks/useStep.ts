import { useState } from 'react'
import Taro from '@tarojs/taro'

/**
 * One step a handler takes on a case (acknowledge, decide, record, close…): busy while the call runs, its failure
 * kept for the form to show (by field with fieldsOf, or in words with messageOf), a toast once it went through.
 * `run` resolves true then.
 */
export function useStep (): { busy: boolean, err: unknown, setErr: (err: unknown) => void, run: (work: () => Promise<unknown>, done: string) => Promise<boolean> } {
  const [busy, setBusy] = useState(false)
  const [err, setErr] = useState<unknown>()
  async function run (work: () => Promise<unknown>, done: string): Promise<boolean> {
    setBusy(true)
    setErr(undefined)
    try {
      await work()
      Taro.showToast({ title: done, icon: 'success' })
      return true
    } catch (e) {
      setErr(e)
      return false
    } finally {
      setBusy(false)
    }
  }
  return { busy, err, setErr, run }
}
