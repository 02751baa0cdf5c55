#!/usr/bin/env python3
"""Writes the hand-made seeds of fuzz/corpus/<target>/seed-* in the byte
encoding of fuzz/checks/src/input.rs (Input): a string is a length byte (0xFF: then a
big-endian u16) + UTF-8 bytes; a Raw is a tag byte (0 absent, 1 text, 2 number,
3 bool, 4 other); a number is a tag byte < 24 (table) or >= 24 + 8 LE bytes."""
import os, struct

HERE = os.path.dirname(os.path.abspath(__file__))

def s(text):
    b = text.encode('utf-8', 'surrogatepass') if isinstance(text, str) else text
    if len(b) < 0xFF:
        return bytes([len(b)]) + b
    return bytes([0xFF]) + struct.pack('>H', len(b)) + b

ABSENT, OTHER = b'\x00', b'\x04'
def text(t): return b'\x01' + s(t)
def num_tab(i): return b'\x02' + bytes([i])
def num(f): return b'\x02' + bytes([0xFE]) + struct.pack('<d', f)
def boolean(v): return b'\x03' + bytes([1 if v else 0])

def write(target, name, data):
    d = os.path.join(HERE, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, 'seed-' + name), 'wb') as f:
        f.write(data)

GOOD = text('e2e-client') + text('http://localhost:9000/')
NO_ARGS = b'\x00'
def args(uri, token): return b'\x02' + uri + token

# config: clientId, server, redirectUri, timeout, fallback, crossTab, then redirect args.
config = {
    'valid-defaults': GOOD + ABSENT * 4 + NO_ARGS,
    'valid-all': GOOD + text('https://news.example/a?b=1#c') + num_tab(15) + text('never') + boolean(False)
                 + args(text('http://127.0.0.1:8080/bl\u00e5 b\u00e6r?a=1&b=2+3#f'), text('tok+en=&#x')),
    'path-prefix': text('a&b') + text('https://x.example/sso//') + ABSENT * 4 + args(ABSENT, text('t')),
    'ipv6-loopback': text('a') + text('http://[::1]:1/x') + ABSENT * 4 + NO_ARGS,
    'http-not-loopback': text('a') + text('http://x.example') + ABSENT * 4,
    'credentials': text('a') + text('https://u:p@x.example') + ABSENT * 4,
    'query-in-server': text('a') + text('https://x.example/?q=1') + ABSENT * 4,
    'javascript-server': text('a') + text('javascript:alert(1)') + ABSENT * 4,
    'space-in-client-id': text('has space') + text('https://x.example') + ABSENT * 4,
    'nul-in-client-id': text('a\x00') + text('https://x.example') + ABSENT * 4,
    'long-client-id': text('a' * 257) + text('https://x.example') + ABSENT * 4,
    'nan-timeout': GOOD + ABSENT + num_tab(4) + ABSENT * 2,
    'inf-timeout': GOOD + ABSENT + num_tab(5) + ABSENT * 2,
    'max-timeout': GOOD + ABSENT + num_tab(7) + ABSENT * 2 + NO_ARGS,
    'max-plus-half': GOOD + ABSENT + num_tab(8) + ABSENT * 2 + NO_ARGS,
    'half-ms': GOOD + ABSENT + num_tab(10) + ABSENT * 2,
    'string-timeout': GOOD + ABSENT + text('5000') + ABSENT * 2,
    'unknown-fallback': GOOD + ABSENT * 2 + text('sometimes') + ABSENT,
    'text-cross-tab': GOOD + ABSENT * 3 + text('yes'),
    'relative-redirect': GOOD + text('/relative') + ABSENT * 3,
    'object-redirect': GOOD + OTHER + ABSENT * 3,
    'args-not-object': GOOD + ABSENT * 4 + b'\x01',
    'args-javascript': GOOD + ABSENT * 4 + args(text('javascript:alert(1)'), ABSENT),
    'args-credentials': GOOD + ABSENT * 4 + args(text('https://u:p@evil.example/'), ABSENT),
    'args-newline-token': GOOD + ABSENT * 4 + args(ABSENT, text('a\nb')),
    'args-long-token': GOOD + ABSENT * 4 + args(ABSENT, text('t' * 8193)),
    'args-bool-token': GOOD + ABSENT * 4 + args(ABSENT, boolean(True)),
}
for k, v in config.items(): write('config', k, v)

# url: one string, then base, path and three optional values for build().
def url(t, rest=b''): return s(t) + rest
BUILD = s('https://x.example') + s('/logout') + b'\x01' + s('c 1') + b'\x00' + b'\x01' + s('a&b=c#d+e f\u00e6\U0001F600%')
urls = {
    'https-upper': url('HTTPS://login.example:8443/prefix/?q#f', BUILD),
    'ipv6': url('http://[::1]:9000'),
    'leading-space': url(' https://a.example/'),
    'trailing-newline': url('https://a.example/\n'),
    'backslash-at': url('https://a.example\\@b.example/'),
    'javascript': url('javascript:alert(1)'),
    'data': url('data:text/html,x'),
    'protocol-relative': url('//a.example/'),
    'ftp': url('ftp://a.example/'),
    'credentials': url('https://u:p@a.example/'),
    'at-in-path': url('https://a.example/@b'),
    'empty-host': url('https:///path'),
    'space-host': url('https://a b.example/'),
    'open-bracket': url('https://[::1/'),
    'empty-port': url('https://a.example:/'),
    'port-zero': url('https://a.example:0/'),
    'port-too-big': url('https://a.example:65536/'),
    'port-letters': url('https://a.example:80a/'),
    'unicode-host': url('https://bl\u00e5b\u00e6r.example/'),
    'nbsp-host': url('https://a\u00a0b.example/'),
    'line-separator': url('https://a.example/\u2028'),
    'too-long': url('https://a.example/' + 'a' * 2048),
    'exactly-max': url('https://a.example/' + 'a' * (2048 - 18)),
    'invalid-utf8': url(b'https://a.example/\xc3\x28'),
    'dot-host': url('https://.example/'),
}
for k, v in urls.items(): write('url', k, v)

# response: status selector (0 → 200, 1 → 401, else 2 LE bytes), body selector (0 not object,
# 1 not JSON, 2 too large, ≥ 3 object: result, userId, userStatus, error.type selector, code).
def obj(result, user_id, status, etype, code): return b'\x03' + result + user_id + status + etype + code
responses = {
    'logged-in': b'\x00' + obj(boolean(True), num_tab(18), text('connected'), b'\x02' + ABSENT, ABSENT),
    'text-user': b'\x00' + obj(boolean(True), text('abc'), text('connected'), b'\x02' + ABSENT, ABSENT),
    'empty-text-user': b'\x00' + obj(boolean(True), text(''), text('connected'), b'\x02' + ABSENT, ABSENT),
    'nan-user': b'\x00' + obj(boolean(True), num_tab(4), text('connected'), b'\x02' + ABSENT, ABSENT),
    '200-no-session': b'\x00' + obj(boolean(False), ABSENT, text('notConnected'), b'\x02' + ABSENT, ABSENT),
    '401-user-exception': b'\x01' + obj(boolean(False), ABSENT, text('notConnected'), b'\x00', ABSENT),
    '401-empty-object': b'\x01' + obj(ABSENT, ABSENT, ABSENT, b'\x02' + ABSENT, ABSENT),
    '401-not-json': b'\x01\x01',
    '200-not-json': b'\x00\x01',
    '200-not-object': b'\x00\x00',
    '200-too-large': b'\x00\x02',
    '500': b'\x02' + struct.pack('<H', 500) + obj(boolean(True), ABSENT, ABSENT, b'\x02' + ABSENT, ABSENT),
    '204': b'\x02' + struct.pack('<H', 204) + b'\x01',
    'api-ok': b'\x00' + obj(ABSENT, ABSENT, ABSENT, b'\x02' + ABSENT, num_tab(16)),
    'api-almost-200': b'\x00' + obj(ABSENT, ABSENT, ABSENT, b'\x02' + ABSENT, num_tab(17)),
    'api-string-200': b'\x00' + obj(ABSENT, ABSENT, ABSENT, b'\x02' + ABSENT, text('200')),
    'logout-string-true': b'\x00' + obj(text('true'), ABSENT, ABSENT, b'\x02' + ABSENT, ABSENT),
}
for k, v in responses.items(): write('response', k, v)

# session: previous, next (user selector 0/1 none, 2 number, 3 text, 4 unknown; status selector), seen, name.
def sess(user, status): return user + status
NONE, UNK = b'\x00', b'\x04'
def nid(i): return b'\x02' + bytes([i])
sessions = {
    'first-login': sess(NONE, b'\x02') + sess(nid(18), b'\x00') + b'\x00' + s('SPiD.login'),
    'logout': sess(nid(18), b'\x00') + sess(NONE, b'\x01') + b'\x01' + s('SPiD.logout'),
    'user-change-number-text': sess(nid(2), b'\x00') + sess(b'\x03' + s('1'), b'\x00') + b'\x01' + s('SPiD.userChange'),
    'unknown-user': sess(UNK, b'\x00') + sess(NONE, b'\x01') + b'\x01' + s('SPiD.logut'),
    'same-user': sess(nid(18), b'\x00') + sess(nid(18), b'\x00') + b'\x01' + s('logout'),
    'zero-and-minus-zero': sess(nid(0), b'\x00') + sess(nid(1), b'\x00') + b'\x01' + s('SPiD.notLoggedin'),
    'custom-status': sess(NONE, b'\x03' + s('weird')) + sess(NONE, b'\x01') + b'\x00' + s('SPiD.error'),
    'not-connected-user': sess(nid(18), b'\x01') + sess(NONE, b'\x01') + b'\x01' + s('spid.logout'),
}
for k, v in sessions.items(): write('session', k, v)

agents = {
    'safari-mac': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
    'crios': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/123.0.6312.52 Mobile/15E148 Safari/604.1',
    'chrome': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    'android-webview': 'Mozilla/5.0 (Linux; Android 4.4.2; Nexus 5 Build/KOT49H) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/30.0.0.0 Mobile Safari/537.36',
    'firefox': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
    'webkitgtk': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15',
    'empty': '',
    'webkit-no-slash': 'AppleWebKit 605',
}
for k, v in agents.items(): write('user_agent', k, s(v))
