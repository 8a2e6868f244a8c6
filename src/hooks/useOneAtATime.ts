import { useRef, useState } from 'react'

/**
 * One cloud call at a time from a page's buttons: a press while one runs joins the run under way and sends nothing.
 * Held in a ref as well as in state, because two quick taps can both land before the page redraws the button as
 * loading. `running` names what runs: its button shows `loading`, the others are `disabled`.
 */
export function useOneAtATime<K extends string = string> (): { running: K | undefined, run: (what: K, work: () => Promise<unknown>) => Promise<void> } {
  const current = useRef<Promise<void>>()
  const [running, setRunning] = useState<K>()
  return {
    running,
    run (what, work) {
      if (!current.current) {
        setRunning(what)
        current.current = work().then(() => undefined).finally(() => {
          current.current = undefined
          setRunning(undefined)
        })
      }
      return current.current
    }
  }
}
