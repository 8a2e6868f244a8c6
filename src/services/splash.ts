/**
 * h5: the splash in index.html stays until the first page has drawn itself, then fades and goes. The weapp has
 * WeChat's own start screen; nothing to do there.
 */
export function hideSplash (): void {
  if (process.env.TARO_ENV !== 'h5' || typeof document === 'undefined') return
  const splash = document.getElementById('chuyan-splash')
  if (!splash || splash.classList.contains('chuyan-splash--gone')) return
  splash.classList.add('chuyan-splash--gone')
  setTimeout(() => splash.remove(), 250)
}
