// How the browser's own URL parser reads a string: the authority on what a URL
// means. It decides nothing: the wasm (src/core/url.rs), which imports this
// module, applies the SDK's rules to these fields.

/** `[protocol, hasCredentials, hostname, origin, pathname, hasQueryOrFragment]`, or `null` where `URL` throws. */
export function readUrl(input) {
  try {
    const url = new URL(input);
    return [url.protocol, !!(url.username || url.password), url.hostname, url.origin, url.pathname, !!(url.search || url.hash)];
  } catch {
    return null;
  }
}
