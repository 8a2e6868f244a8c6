/**
 * Finding what a person sees on the page on top — by visible text or by test id (`data-testid`), never by
 * component names or CSS classes — and acting on it. A Locator is a query, run again at each use against the
 * current rendering (like Playwright's); actions wait for their element to appear.
 */
import type { MiniProgram } from './miniprogram'
import { elements, isTappable, textOf, visible, type VElement } from './view'

export type Query =
  | { kind: 'testId', id: string }
  | { kind: 'text', text: string | RegExp }
  | { kind: 'hasText', text: string | RegExp }
  | { kind: 'tag', tag: string }
  | { kind: 'button', text: string | RegExp }
  | { kind: 'nth', index: number }

/** Generous: a function's first call starts its instance, which takes seconds on a busy 2-core machine. */
const DEFAULT_TIMEOUT = 20000
const flat = (s: string): string => s.replace(/\s+/g, '')

function matches (el: VElement, text: string | RegExp, exact: boolean): boolean {
  const t = textOf(el)
  if (typeof text !== 'string') return text.test(t)
  return exact ? flat(t) === flat(text) : flat(t).includes(flat(text))
}

export class Locator {
  constructor (private readonly mp: MiniProgram, private readonly queries: Query[]) {}

  private with (q: Query): Locator {
    return new Locator(this.mp, [...this.queries, q])
  }

  /** Descendants with this test id. */
  byTestId (id: string): Locator { return this.with({ kind: 'testId', id }) }
  /** Descendants whose own text is `text` (the innermost such elements). */
  byText (text: string | RegExp): Locator { return this.with({ kind: 'text', text }) }
  /** Descendants to tap (buttons, elements taking taps) whose text is `text` (the innermost such). */
  button (text: string | RegExp): Locator { return this.with({ kind: 'button', text }) }
  /** Of these, the ones whose text contains `text` (or matches it). */
  filter (opts: { hasText: string | RegExp }): Locator { return this.with({ kind: 'hasText', text: opts.hasText }) }
  /** Descendant elements of a WXML tag: input, textarea, button, image. */
  byTag (tag: string): Locator { return this.with({ kind: 'tag', tag }) }
  nth (index: number): Locator { return this.with({ kind: 'nth', index }) }
  first (): Locator { return this.nth(0) }

  /** The matching visible elements, now. */
  resolve (): VElement[] {
    let current: VElement[] | undefined
    for (const q of this.queries) {
      const scope: VElement[] = current === undefined ? [...elements(this.mp.top().nodes())] : current.flatMap((el) => [...elements(el.children)])
      const candidates = scope.filter((el) => visible(el))
      switch (q.kind) {
        case 'testId':
          current = unique(candidates.filter((el) => this.mp.testIdOf(el) === q.id))
          break
        case 'text': {
          const hits = candidates.filter((el) => matches(el, q.text, true))
          // The innermost: drop an element when a descendant of it matches too.
          current = unique(hits.filter((el) => !hits.some((other) => other !== el && isAncestor(el, other))))
          break
        }
        case 'button': {
          const hits = candidates.filter((el) => isTappable(el) && matches(el, q.text, true))
          current = unique(hits.filter((el) => !hits.some((other) => other !== el && isAncestor(el, other))))
          break
        }
        case 'hasText':
          current = (current ?? candidates).filter((el) => matches(el, q.text, false))
          break
        case 'tag':
          current = unique(candidates.filter((el) => el.tag === q.tag))
          break
        case 'nth': {
          const all = current ?? candidates
          const el = q.index < 0 ? all[all.length + q.index] : all[q.index]
          current = el ? [el] : []
          break
        }
      }
    }
    return current ?? []
  }

  describe (): string {
    return this.queries.map((q) => q.kind === 'testId' ? `testId=${q.id}` : q.kind === 'nth' ? `nth=${q.index}` : q.kind === 'tag' ? `tag=${q.tag}` : q.kind === 'button' ? `button=${String(q.text)}` : `${q.kind}=${String(q.text)}`).join(' > ')
  }

  async count (): Promise<number> {
    await this.mp.synced()
    return this.resolve().length
  }

  /** Waits for one matching element (the only one, or fails naming how many matched). */
  async one (timeoutMs = DEFAULT_TIMEOUT): Promise<VElement> {
    let many = 0
    try {
      return await this.mp.waitUntil(() => {
        if (!this.mp.inSync()) return undefined
        const found = this.resolve()
        many = found.length
        return found.length === 1 ? found[0] : undefined
      }, `exactly one element matching ${this.describe()}`, timeoutMs)
    } catch (err) {
      if (many > 1) throw new Error(`${many} elements match ${this.describe()}: narrow the query (filter, nth)\n${this.mp.screen()}`)
      throw err
    }
  }

  async waitFor (opts: { state?: 'visible' | 'hidden', timeoutMs?: number } = {}): Promise<void> {
    if (opts.state === 'hidden') {
      await this.mp.waitUntil(() => this.mp.inSync() && this.resolve().length === 0, `${this.describe()} to go away`, opts.timeoutMs ?? DEFAULT_TIMEOUT)
      return
    }
    await this.mp.waitUntil(() => this.mp.inSync() && this.resolve().length > 0, this.describe(), opts.timeoutMs ?? DEFAULT_TIMEOUT)
  }

  /** The element's text as a person reads it. */
  async text (): Promise<string> {
    return textOf(await this.one())
  }

  async allTexts (): Promise<string[]> {
    await this.mp.synced()
    return this.resolve().map((el) => textOf(el))
  }

  /** The element's `data-*` props as the app set them (e.g. dataset().held for data-held). */
  async dataset (): Promise<Record<string, unknown>> {
    return this.mp.datasetOf(await this.one())
  }

  /** The value shown in an input or textarea (this element, or the one inside it). */
  async value (): Promise<string> {
    return this.mp.valueOf(this.mp.top(), await this.field())
  }

  async tap (): Promise<void> {
    this.mp.tapElement(await this.one())
    await new Promise((resolve) => setTimeout(resolve, 0))
  }

  /** Types `value` into the input or textarea (this element, or the only one inside it), replacing its text. */
  async fill (value: string): Promise<void> {
    this.mp.typeInto(await this.field(), value)
    await new Promise((resolve) => setTimeout(resolve, 0))
  }

  private async field (): Promise<VElement> {
    const el = await this.one()
    if (el.tag === 'input' || el.tag === 'textarea') return el
    const inner = [...elements(el.children)].filter((e) => e.tag === 'input' || e.tag === 'textarea')
    if (inner.length !== 1) throw new Error(`${this.describe()} holds ${inner.length} inputs: cannot tell which to use`)
    return inner[0]
  }
}

function isAncestor (a: VElement, b: VElement): boolean {
  for (let n = b.parent; n; n = n.parent) if (n === a) return true
  return false
}

function unique (list: VElement[]): VElement[] {
  return [...new Set(list)]
}
