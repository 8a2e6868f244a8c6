/**
 * h5 waits the person sees before a page can draw itself (index.html holds their markup, so they show before any
 * script arrives): the splash on first load, and "正在打开…" between a tap and the page it opens, whose code may
 * take seconds on a slow line. The weapp has WeChat's own start screen and page loading; nothing to do there.
 */
const h5 = process.env.TARO_ENV === 'h5' && typeof document !== 'undefined'

/** The first page has drawn itself: the splash fades and goes. */
export function hideSplash (): void {
  if (!h5) return
  const splash = document.getElementById('chuyan-splash')
  if (!splash || splash.classList.contains('chuyan-splash--gone')) return
  splash.classList.add('chuyan-splash--gone')
  setTimeout(() => splash.remove(), 250)
}

/** A tap is opening another page: show at once that it is on its way. */
export function pageOnItsWay (): void {
  if (!h5) return
  document.getElementById('chuyan-page-wait')?.classList.add('chuyan-page-wait--on')
}

/** A page is on screen (drawn, or shown again): nothing is on its way any more. */
export function pageArrived (): void {
  if (!h5) return
  document.getElementById('chuyan-page-wait')?.classList.remove('chuyan-page-wait--on')
  hideSplash()
}
