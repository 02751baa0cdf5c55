// The check every packaging app runs, in the page or in a worker: createClient,
// logoutUrl() and hasSession() against the emulator named in the page's query
// (?server=…&client=…). The runner (tests/packaging/matrix.test.mjs) reads the
// outcome from `window.__packaging` or the page's title.
export async function check(sdk, { server, client }) {
  try {
    const instance = await sdk.createClient({ clientId: client, server });
    const logoutUrl = instance.logoutUrl();
    const session = await instance.hasSession();
    return { ok: true, logoutUrl, userStatus: session.userStatus };
  } catch (error) {
    return { ok: false, error: String(error?.stack ?? error), code: error?.code };
  }
}

/** The query's emulator, or null where there is no page (server-side rendering). */
export function world() {
  if (typeof location === 'undefined') return null;
  const query = new URLSearchParams(location.search);
  return { server: query.get('server'), client: query.get('client') };
}

/** Hands the outcome to the runner. */
export function report(result) {
  window.__packaging = result;
  document.title = result.ok ? 'packaging: ok' : 'packaging: failed';
}
