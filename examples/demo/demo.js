// The demo: every SDK flow on a button, a live log of every event, and a
// switch between asking SchAcc directly and the site's first-party session
// service (`sessionDomain`).
import { createClient } from '/pkg/index.js';

const params = new URLSearchParams(location.search);
// Kept for the tab: SchAcc sends the login door back to the registered page, without this query.
const setting = (name, fallback) => {
  const value = params.get(name) ?? sessionStorage.getItem(`demo-${name}`) ?? fallback;
  sessionStorage.setItem(`demo-${name}`, value);
  return value;
};
const server = setting('server', 'http://localhost:9000');
const sessionDomain = setting('session', 'http://127.0.0.1:9001');
const clientId = params.get('clientId') ?? 'demo';
// The page itself is a registered redirect URI of the demo client.
const here = location.origin + location.pathname;
const $ = (id) => document.getElementById(id);
const EVENTS = ['SPiD.login', 'SPiD.logout', 'SPiD.userChange', 'SPiD.statusChange',
  'SPiD.sessionChange', 'SPiD.notLoggedin', 'SPiD.sessionInit', 'SPiD.error'];
const MODES = { direct: 'SchAcc direct', service: 'the first-party session service' };
// ?mode=direct|service, kept in the URL and the tab (a redirect logout comes back to the bare
// registered URI); the session service by default.
let mode = (params.get('mode') ?? sessionStorage.getItem('demo-mode')) === 'direct' ? 'direct' : 'service';

let token = sessionStorage.getItem('demo-token');
const showToken = () => ($('held').textContent = token ? `${token.slice(0, 8)}…` : 'none');

function log(name, payload) {
  const item = document.createElement('li');
  const time = new Date().toISOString().slice(11, 23);
  const body = payload instanceof Error ? { code: payload.code, status: payload.status, message: payload.message } : payload;
  item.textContent = `${time} ${name} ${JSON.stringify(body)}`;
  if (name === 'SPiD.error') item.className = 'error';
  $('log').prepend(item);
}

function showSession(session) {
  const asked = mode === 'direct' ? 'SchAcc, asked directly' : 'the session service';
  $('who').textContent = session.result
    ? `Logged in as ${session.displayName ?? 'user'} (userId ${session.userId}), says ${asked}`
    : session.userStatus === 'unknown' ? 'Not checked yet' : `Nobody is logged in, says ${asked}`;
}

async function act(label, run) {
  $('outcome').textContent = `${label}…`;
  try {
    const result = await run();
    $('outcome').textContent = `${label}: done`;
    return result;
  } catch (error) {
    $('outcome').textContent = `${label} failed: ${error.code} — ${error.message}`;
  }
}

let client;

/** The options of the client in `mode`: the same, plus `sessionDomain` for the session service. */
function options() {
  return mode === 'service' ? { clientId, server, sessionDomain, redirectUri: here } : { clientId, server, redirectUri: here };
}

/** (Re)creates the client for `mode`: the old one is destroyed, listeners go on the new one. */
async function useMode(next) {
  mode = next;
  sessionStorage.setItem('demo-mode', mode);
  const url = new URL(location.href);
  url.searchParams.set('mode', mode);
  history.replaceState(null, '', url);
  for (const input of document.querySelectorAll('input[name="mode"]')) input.checked = input.value === mode;
  const { redirectUri, ...shown } = options();
  $('options').textContent = `createClient(${JSON.stringify({ ...shown, redirectUri: 'this page' }, null, 2)})`;
  // The dev login of the door this mode asks, posted from this page (one click); either sets both
  // cookies (one session, two doors).
  const door = mode === 'service' ? sessionDomain : server;
  // The login also grants the product `premium`, which the SPiD 2.x paywall page checks (paywall.html).
  $('login-form').action = `${door}/__emulator/login?user_id=1001&products=premium&return_to=${encodeURIComponent(location.href)}`;
  client?.destroy();
  client = await createClient(options());
  for (const name of EVENTS) client.on(name, (payload) => log(name, payload));
  client.on('SPiD.sessionChange', showSession);
  client.on('SPiD.notLoggedin', showSession);
  window.client = client;
  showSession(client.session);
}

for (const input of document.querySelectorAll('input[name="mode"]')) {
  input.onchange = () => act(`Switch to ${MODES[input.value]}`, async () => {
    await useMode(input.value);
    log(`— now asking ${MODES[mode]} —`, options());
    await client.hasSession();
  });
}
$('paywall').search = new URLSearchParams({ server, clientId });
for (const element of document.querySelectorAll('[data-show]')) {
  element.textContent = element.dataset.show === 'server' ? server : sessionDomain;
}
await useMode(mode);
showToken();

$('check').onclick = () => act('hasSession', () => client.hasSession());
$('login-form').onsubmit = () => sessionStorage.setItem('demo-dev-login', '1');
// SchAcc's login door: /oauth/authorize, back here with `code` and the `state` sent (checked, then dropped from
// the address bar). The page it comes back to asks, whatever the session cache holds.
$('door').onclick = () => act('Log in (login door)', () => {
  const state = crypto.randomUUID();
  sessionStorage.setItem('demo-state', state);
  client.login({ state });
});
const back = new URLSearchParams(location.search);
if (back.has('code')) {
  const expected = sessionStorage.getItem('demo-state');
  sessionStorage.removeItem('demo-state');
  log(back.get('state') === expected ? 'Back from the login door' : 'Back with a state this page did not send', { code: back.get('code') });
  const url = new URL(location.href);
  url.searchParams.delete('code');
  url.searchParams.delete('state');
  history.replaceState(null, '', url);
}
$('logout').onclick = () => act('JS SDK logout', () => client.logout());
$('redirect').onclick = () => act('Redirect logout', () => {
  const oauthToken = token ?? undefined;
  sessionStorage.removeItem('demo-token');
  client.redirectLogout({ oauthToken });
});
$('token').onclick = () => act('Get a token', async () => {
  const response = await fetch(`${server}/__emulator/token?user_id=1001&client_id=${encodeURIComponent(clientId)}`, { method: 'POST' });
  token = (await response.json()).access_token;
  sessionStorage.setItem('demo-token', token);
  showToken();
});
$('api').onclick = () => act('API logout', async () => {
  if (!token) throw Object.assign(new Error('Get a token first'), { code: 'no_token' });
  await client.apiLogout(token);
  token = null;
  sessionStorage.removeItem('demo-token');
  showToken();
});
$('fallback').onclick = async () => {
  const result = await act('Log out everywhere', () => client.logoutWithFallback({ oauthToken: token ?? undefined }));
  if (result) {
    const text = result.redirected
      ? `Log out everywhere: redirected to SchAcc to finish the logout (reason: ${result.reason})`
      : `Log out everywhere: done without a redirect (reason: ${result.reason})`;
    $('outcome').textContent = text;
    // Shown again when SchAcc sends the browser back here.
    if (result.redirected) sessionStorage.setItem('demo-outcome', text);
  }
};
$('clear').onclick = () => ($('log').textContent = '');

$('outcome').textContent = sessionStorage.getItem('demo-outcome') ?? '';
sessionStorage.removeItem('demo-outcome');
// Back from the emulator's dev login (a form this page posted, so no sign of SchAcc the SDK could see): ask,
// not the session cache. (A login through SchAcc's own page or the login door is noticed by the SDK itself.)
const devLogin = sessionStorage.getItem('demo-dev-login');
sessionStorage.removeItem('demo-dev-login');
await client.hasSession({ fresh: !!devLogin }).catch(() => {});
document.body.dataset.ready = 'true';
