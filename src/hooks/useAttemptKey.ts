import { useRef } from 'react'
import { uniqueId } from '../services/cloud'

/**
 * One idempotency key per request: asking again for the same thing (a retry after a lost connection, or
 * confirming "not a duplicate") sends the same key, so the server answers with what it did the first time;
 * anything else gets a new key. `what` is the request's content (its JSON); `done` forgets it once it went through
 * (docs/ARCHITECTURE.md, "Idempotency").
 */
export function useAttemptKey (): { keyFor: (what: string) => string, done: () => void } {
  const attempt = useRef<{ what: string, key: string } | undefined>()
  return {
    keyFor (what: string) {
      if (!attempt.current || attempt.current.what !== what) attempt.current = { what, key: uniqueId() }
      return attempt.current.key
    },
    done () { attempt.current = undefined }
  }
}
