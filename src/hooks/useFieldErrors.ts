import { useCallback, useState, type SetStateAction } from 'react'
import { newAttempt, scrollToFirstError } from '../components/Field'

type Errors = Record<string, string>

/**
 * A form's field errors (the Field of each shows its own). Setting them anew (a submit that failed) is a new
 * attempt: every Field shows its error again, even one hidden because the person changed that field since, and the
 * first one scrolls into view. An update function (clearing one field) is not a new attempt.
 */
export function useFieldErrors (): [Errors, (next: SetStateAction<Errors>) => void] {
  const [errors, set] = useState<Errors>({})
  const setErrors = useCallback((next: SetStateAction<Errors>) => {
    set(next)
    if (typeof next === 'function') return
    newAttempt()
    if (Object.keys(next).length > 0) scrollToFirstError()
  }, [])
  return [errors, setErrors]
}
