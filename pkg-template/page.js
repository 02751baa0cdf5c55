// The few things the SDK does to the page itself, plainer in JS than through
// bindings. They decide nothing: the wasm (src/browser/) calls them with what
// the core decided.

/** Sends the page to `url`; `false` where there is no page to send (a worker) or the browser refuses. */
export function navigate(url) {
  try {
    location.assign(url);
    return true;
  } catch {
    return false;
  }
}

/** The browser's user agent, for the core's rule on who withholds third-party cookies. */
export const userAgent = () => globalThis.navigator?.userAgent ?? '';

/**
 * Applies `document.cookie` assignments and removes a localStorage entry; quietly nothing where the page has
 * no cookies or storage (workers, sandboxed frames, storage disabled).
 */
export function forget(hostCookie, domainCookie, storageKey) {
  try {
    document.cookie = hostCookie;
    if (domainCookie) document.cookie = domainCookie;
  } catch {}
  try {
    localStorage.removeItem(storageKey);
  } catch {}
}

/** `[window, document]` for the page's `pageshow` and `visibilitychange`, or `null` where there is no page (a worker). */
export const targets = () => (typeof document === 'object' ? [window, document] : null);
