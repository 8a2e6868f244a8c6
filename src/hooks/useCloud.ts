import { useCallback, useEffect, useRef, useState } from 'react'
import { CloudError } from '../services/cloud'

export interface Loaded<T> {
  data: T | undefined
  error: CloudError | undefined
  loading: boolean
  reload: () => void
  /** Replaces what was loaded with what the page already knows (an action's answer), without calling the cloud again. */
  update: (change: (data: T) => T) => void
}

/** Runs a cloud call for a page and keeps its three states (loading, failed, loaded) for the page to show. */
export function useCloud<T> (load: () => Promise<T>, deps: unknown[] = []): Loaded<T> {
  const [state, setState] = useState<{ data?: T, error?: CloudError, loading: boolean }>({ loading: true })
  const seq = useRef(0)
  const run = useCallback(() => {
    const mine = ++seq.current
    setState((s) => ({ data: s.data, loading: true }))
    load().then(
      (data) => { if (mine === seq.current) setState({ data, loading: false }) },
      (err) => {
        if (mine !== seq.current) return
        const error = err instanceof CloudError ? err : new CloudError('INTERNAL', '服务暂时出错，请稍后再试')
        setState({ error, loading: false })
      }
    )
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller names what the load depends on
  }, deps)
  useEffect(run, [run])
  const update = useCallback((change: (data: T) => T) => {
    ++seq.current // a load still on its way would bring back what was there before
    setState((s) => (s.data === undefined ? s : { data: change(s.data), loading: false }))
  }, [])
  return { data: state.data, error: state.error, loading: state.loading, reload: run, update }
}
