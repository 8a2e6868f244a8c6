/**
 * What is wrong on the visible page, as a person would see it: the page check's eyes (test/e2e/page-check.test.ts),
 * also used by the walks of single pages. `inspect` runs in the page (page.evaluate).
 */
import type { Page } from 'playwright-core'

export interface Finding { kind: string, what: string }

/**
 * Runs in the page: what is wrong on the visible page, in words a person could act on. Only the page on top counts
 * (Taro's h5 router keeps earlier pages in the document, hidden).
 */
export function inspect ({ allowed, patterns }: { allowed: string[], patterns: string[] }): Finding[] {
  const found: Array<{ kind: string, what: string }> = []
  const frames = [...document.querySelectorAll('.page')].filter((e) => (e as HTMLElement).checkVisibility())
  const root = frames[frames.length - 1] as HTMLElement | undefined
  if (!root) return [{ kind: 'blank', what: 'no page shown' }]
  const label = (el: Element): string => ((el as HTMLElement).innerText || (el as HTMLInputElement).value || (el as HTMLInputElement).placeholder || '').trim().replace(/\s+/g, ' ').slice(0, 40)
  const textRects = (el: Element): DOMRect[] => {
    const rects: DOMRect[] = []
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT)
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.textContent?.trim()) continue
      const parent = n.parentElement
      if (!parent || !parent.checkVisibility()) continue
      const range = document.createRange()
      range.selectNodeContents(n)
      rects.push(...[...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0))
    }
    return rects
  }
  for (const el of root.querySelectorAll<HTMLElement>('*')) {
    if (!el.checkVisibility()) continue
    const cs = getComputedStyle(el)
    const fontSize = parseFloat(cs.fontSize)
    if (el instanceof HTMLTextAreaElement) {
      if (el.value && el.scrollHeight > el.clientHeight + 2) found.push({ kind: 'clipped', what: `text box does not grow with its text: ${label(el)}` })
      continue
    }
    if (el instanceof HTMLInputElement) {
      if (el.type !== 'hidden' && el.type !== 'checkbox' && el.type !== 'radio' && el.clientHeight < fontSize * 1.15) found.push({ kind: 'clipped', what: `text box shorter than its letters (${el.clientHeight}px for ${fontSize}px text): ${label(el)}` })
      continue
    }
    const hidesX = cs.overflowX === 'hidden' || cs.overflowX === 'clip'
    const hidesY = cs.overflowY === 'hidden' || cs.overflowY === 'clip'
    const clamp = cs.getPropertyValue('-webkit-line-clamp')
    const overflowsY = el.scrollHeight > el.clientHeight + 1
    const overflowsX = el.scrollWidth > el.clientWidth + 1
    if (cs.textOverflow === 'ellipsis' && overflowsX && hidesX) { found.push({ kind: 'clipped', what: `ellipsis cuts: ${label(el)}` }); continue }
    if (clamp && clamp !== 'none' && overflowsY) { found.push({ kind: 'clipped', what: `line clamp cuts: ${label(el)}` }); continue }
    if ((hidesY && overflowsY) || (hidesX && overflowsX)) {
      const box = el.getBoundingClientRect()
      const out = textRects(el).some((r) => (hidesY && (r.bottom > box.bottom + 1 || r.top < box.top - 1)) || (hidesX && (r.right > box.right + 1 || r.left < box.left - 1)))
      if (out) found.push({ kind: 'clipped', what: `text cut off by its box: ${label(el)}` })
    }
  }
  // One character alone on the last line of a short label (a button, a choice, a field's label).
  for (const el of root.querySelectorAll<HTMLElement>('.nut-button, .nut-radio-button, .nut-checkbox-button, .chip, .field__label, .nut-cell-title, .la-choice')) {
    if (!el.checkVisibility()) continue
    const text = (el.innerText || '').replace(/\s+/g, '')
    if (text.length < 3 || text.length > 24) continue
    const rects = textRects(el)
    const lines = new Map<number, number>()
    for (const r of rects) {
      const top = [...lines.keys()].find((t) => Math.abs(t - r.top) < r.height / 2) ?? r.top
      lines.set(top, (lines.get(top) ?? 0) + r.width)
    }
    if (lines.size < 2) continue
    const last = Math.max(...lines.keys())
    const fontSize = parseFloat(getComputedStyle(el).fontSize)
    if ((lines.get(last) ?? 0) < fontSize * 1.5) found.push({ kind: 'orphan', what: `one character wraps alone: ${text}` })
  }
  // Targets a thumb can hit.
  for (const el of root.querySelectorAll<HTMLElement>('.nut-button, .nut-radio-button, .nut-checkbox-button, .chip')) {
    if (!el.checkVisibility()) continue
    const r = el.getBoundingClientRect()
    if (r.height < 44 - 0.5 || r.width < 44 - 0.5) found.push({ kind: 'small', what: `target ${Math.round(r.width)}×${Math.round(r.height)} px: ${label(el)}` })
  }
  // Words a person should not have to read: Latin-letter tokens (ids, enum values, English), but the allowed ones.
  const words = (root.innerText.match(/[A-Za-z][A-Za-z0-9_.:/-]*/g) ?? []).filter((w) => !allowed.includes(w) && !patterns.some((p) => new RegExp(p).test(w)))
  for (const w of [...new Set(words)]) found.push({ kind: 'words', what: `raw code or English on screen: ${w}` })
  return found
}

/** What is wrong on the visible page, one line each; `allowed` are the Latin words the page may show. */
export async function findingsOn (page: Page, allowed: string[] = ['PDF']): Promise<string[]> {
  return (await page.evaluate(inspect, { allowed, patterns: [] })).map((f) => `${f.kind}: ${f.what}`)
}
