// The demo: every SDK flow on a button, and a live log of every event.
import { createClient } from '/pkg/index.js';

const params = new URLSearchParams(location.search);
const server = params.get('server') ?? 'http://localhost:9000';
const clientId = params.get('clientId') ?? 'demo';
// The page itself is a registered redirect URI of the demo client.
const here = location.origin + location.pathname;
const $ = (id) => document.getElementById(id);
const EVENTS = ['SPiD.login', 'SPiD.logout', 'SPiD.userChange', 'SPiD.statusChange',
  'SPiD.sessionChange', 'SPiD.notLoggedin', 'SPiD.sessionInit', 'SPiD.error'];

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
  $('who').textContent = session.result
    ? `Logged in as ${session.displayName ?? 'user'} (userId ${session.userId})`
    : session.userStatus === 'unknown' ? 'Not checked yet' : 'Nobody is logged in at SchAcc';
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

const client = await createClient({ clientId, server, redirectUri: here });
for (const name of EVENTS) client.on(name, (payload) => log(name, payload));
client.on('SPiD.sessionChange', showSession);
client.on('SPiD.notLoggedin', showSession);
window.client = client;
showToken();

$('login').href = `${server}/__emulator/login?user_id=1001&return_to=${encodeURIComponent(location.href)}`;
$('check').onclick = () => act('hasSession', () => client.hasSession());
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
showSession(client.session);
await client.hasSession().catch(() => {});
document.body.dataset.ready = 'true';
