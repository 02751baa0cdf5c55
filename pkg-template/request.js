// The transport under every request the SDK sends: one fetch that follows no
// redirect, with a timeout that covers the body, whose body is read only while
// it stays within `max` bytes. It decides nothing: what the answer means is the
// wasm's (src/core/response.rs), which imports this module.

/**
 * Resolves `[status, redirected, contentType, text]`, `text` being `null` once
 * the body passed `max` bytes (the rest is not downloaded). Rejects as fetch
 * does: a `TimeoutError` after `timeout` ms, anything else for the network.
 */
export async function request(url, post, token, timeout, max) {
  const init = { cache: 'no-store', redirect: 'manual', signal: AbortSignal.timeout(timeout), credentials: token ? 'omit' : 'include' };
  if (post) init.method = 'POST';
  if (token) init.headers = { Authorization: `Bearer ${token}` };
  const response = await fetch(url, init);
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  for (let step; reader && !(step = await reader.read()).done; ) {
    size += step.value.length;
    if (size > max) {
      reader.cancel().catch(() => {});
      text = null;
      break;
    }
    text += decoder.decode(step.value, { stream: true });
  }
  return [response.status, response.type === 'opaqueredirect', response.headers.get('content-type'), text && text + decoder.decode()];
}
