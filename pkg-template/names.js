// Every name that crosses the boundary between the wasm and the JavaScript, written from the Rust lists by
// src/names.rs: do not edit. `cargo run -p schacc-sdk --example emit-names -- pkg-template/names.js` writes
// it again; scripts/build.mjs writes the package's copy the same way, and tests/contract.rs fails when this
// one is stale. The wasm passes numbers; these are the words.

// `ErrorCode` (crates/core/src/error.rs): an `SdkError`'s `code`, by the number the wasm passes.
export const CODES = [
  'invalid_config',
  'invalid_argument',
  'network',
  'timeout',
  'http',
  'invalid_response',
  'load',
  'session_renewal',
];
export const CODE_INVALID_CONFIG = 0;
export const CODE_INVALID_ARGUMENT = 1;
export const CODE_NETWORK = 2;
export const CODE_TIMEOUT = 3;
export const CODE_HTTP = 4;
export const CODE_INVALID_RESPONSE = 5;
export const CODE_LOAD = 6;
export const CODE_SESSION_RENEWAL = 7;

// `Message` (crates/core/src/error.rs): an `SdkError`'s `message`, by number.
export const MESSAGES = [
  'createClient expects an options object',
  'clientId must be a non-empty string without whitespace, control or invisible characters',
  'server must be an absolute https URL (http only for localhost)',
  'server must not contain credentials',
  'server must use https (http only for localhost)',
  'server must not contain a query, fragment or whitespace',
  'server is too long',
  'redirectUri must be an absolute http(s) URL without credentials',
  'redirectUri must be a string',
  'timeout must be a number of milliseconds from 1 to 300000',
  "fallback must be 'auto', 'always' or 'never'",
  'crossTab must be a boolean',
  "sessionDomain must be an absolute https URL of the site's session service (http only for localhost)",
  'sessionDomain must be a string',
  "sdrnNamespace must be letters, digits, '.', '-' or '_'",
  'sessionRenewal must be a boolean',
  'beforeSessionRenewal must be a function',
  'cacheTtl must be a number of milliseconds from 0 to 86400000',
  'hasSession expects { fresh: boolean }',
  'Expected an options object { redirectUri, oauthToken }',
  'login needs a state: a non-empty string without control characters',
  "login needs a redirectUri (its own or createClient's)",
  "acrValues must be 'otp-email', or any of password otp sms eid-dk eid-no eid-se eid-fi eid",
  'scope, loginHint, tag, teaser, locale and prompt must be strings without control characters, maxAge a whole number, oneStepLogin a boolean',
  'redirectUri must not contain credentials',
  'redirectUri must be an absolute http(s) URL',
  'oauthToken must be a non-empty string of printable ASCII characters',
  'Could not reach SchAcc (network, CORS or server down)',
  'SchAcc did not answer in time',
  'The browser refused to navigate the top-level page (a cross-origin or sandboxed frame, or no page)',
  'Unexpected HTTP status from SchAcc',
  'SchAcc could not tell who is logged in (LoginException)',
  'SchAcc answered with a redirect, which the SDK does not follow',
  'SchAcc did not answer with JSON',
  'SchAcc answered with JSON of the wrong shape',
  "SchAcc's answer is too large",
  'Unknown client or operation (the loader and the wasm disagree)',
  'This client was destroyed',
  "Renewing the session service's cookie: the page is going there",
  'The session service asked for another renewal within 5 minutes',
  'The session service needs a renewal visit (sessionRenewal is off)',
  'An argument is too long',
  'An option could not be read',
  'Unknown event name (expected SPiD.login, SPiD.logout, …)',
  'The listener must be a function',
];
export const MESSAGE_OPTIONS_NOT_OBJECT = 0;
export const MESSAGE_CLIENT_ID = 1;
export const MESSAGE_SERVER = 2;
export const MESSAGE_SERVER_CREDENTIALS = 3;
export const MESSAGE_SERVER_NOT_HTTPS = 4;
export const MESSAGE_SERVER_QUERY = 5;
export const MESSAGE_SERVER_TOO_LONG = 6;
export const MESSAGE_DEFAULT_REDIRECT_URI = 7;
export const MESSAGE_REDIRECT_URI_NOT_TEXT = 8;
export const MESSAGE_TIMEOUT = 9;
export const MESSAGE_FALLBACK = 10;
export const MESSAGE_CROSS_TAB = 11;
export const MESSAGE_SESSION_DOMAIN = 12;
export const MESSAGE_SESSION_DOMAIN_NOT_TEXT = 13;
export const MESSAGE_SDRN_NAMESPACE = 14;
export const MESSAGE_SESSION_RENEWAL = 15;
export const MESSAGE_BEFORE_SESSION_RENEWAL = 16;
export const MESSAGE_CACHE_TTL = 17;
export const MESSAGE_HAS_SESSION_OPTIONS = 18;
export const MESSAGE_ARGS_NOT_OBJECT = 19;
export const MESSAGE_LOGIN_STATE = 20;
export const MESSAGE_LOGIN_REDIRECT_URI = 21;
export const MESSAGE_ACR_VALUES = 22;
export const MESSAGE_LOGIN_OPTION = 23;
export const MESSAGE_REDIRECT_URI_CREDENTIALS = 24;
export const MESSAGE_REDIRECT_URI = 25;
export const MESSAGE_OAUTH_TOKEN = 26;
export const MESSAGE_NO_ANSWER = 27;
export const MESSAGE_NO_ANSWER_IN_TIME = 28;
export const MESSAGE_NAVIGATION_REFUSED = 29;
export const MESSAGE_UNEXPECTED_STATUS = 30;
export const MESSAGE_LOGIN_EXCEPTION = 31;
export const MESSAGE_REDIRECT = 32;
export const MESSAGE_NOT_JSON = 33;
export const MESSAGE_WRONG_SHAPE = 34;
export const MESSAGE_TOO_LARGE = 35;
export const MESSAGE_UNKNOWN_CALL = 36;
export const MESSAGE_DESTROYED = 37;
export const MESSAGE_RENEWAL_NAVIGATING = 38;
export const MESSAGE_RENEWAL_TOO_SOON = 39;
export const MESSAGE_RENEWAL_OFF = 40;
export const MESSAGE_TOO_LONG = 41;
export const MESSAGE_UNREADABLE = 42;
export const MESSAGE_UNKNOWN_EVENT = 43;
export const MESSAGE_LISTENER_NOT_FUNCTION = 44;

// `Event` (crates/core/src/session.rs): the event names, by the index the wasm fires them with.
export const EVENTS = [
  'SPiD.login',
  'SPiD.logout',
  'SPiD.userChange',
  'SPiD.statusChange',
  'SPiD.sessionChange',
  'SPiD.notLoggedin',
  'SPiD.sessionInit',
  'SPiD.error',
];
export const EVENT_LOGIN = 0;
export const EVENT_LOGOUT = 1;
export const EVENT_USER_CHANGE = 2;
export const EVENT_STATUS_CHANGE = 3;
export const EVENT_SESSION_CHANGE = 4;
export const EVENT_NOT_LOGGED_IN = 5;
export const EVENT_SESSION_INIT = 6;
export const EVENT_ERROR = 7;

// `Reason` (crates/core/src/fallback.rs): `logoutWithFallback()`'s `reason`, by number. A failure (`Reason::Failed`,
// numbered right after these) is passed as that number plus its error's code: `[...REASONS, ...CODES][n]`.
export const REASONS = ['always', 'user_agent', 'confirmed', 'no_session'];

// `Operation` (src/browser/client/operation.rs): what the wasm's `call` runs, by number.
export const HAS_SESSION = 0;
export const LOGOUT = 1;
export const API_LOGOUT = 2;
export const LOGOUT_WITH_FALLBACK = 3;
export const LOGOUT_URL = 4;
export const REDIRECT_LOGOUT = 5;
export const SESSION = 6;
export const DESTROY = 7;
export const LOGIN_URL = 8;
export const LOGIN = 9;

// The option keys the wasm reads (src/browser/client/operation.rs): of `createClient`'s options, and of
// `{ redirectUri, oauthToken }`. The loader copies just these.
export const OPTIONS = [
  'clientId',
  'server',
  'redirectUri',
  'timeout',
  'fallback',
  'crossTab',
  'sessionDomain',
  'sdrnNamespace',
  'sessionRenewal',
  'beforeSessionRenewal',
  'cacheTtl',
];
export const REDIRECT_OPTIONS = ['redirectUri', 'oauthToken'];
export const LOGIN_OPTIONS = [
  'redirectUri',
  'scope',
  'state',
  'acrValues',
  'loginHint',
  'tag',
  'teaser',
  'maxAge',
  'locale',
  'oneStepLogin',
  'prompt',
];

// Limits (crates/core/src/config.rs, crates/core/src/url.rs), in UTF-8 bytes and milliseconds.
export const MAX_URL_LEN = 2048;
export const MAX_CLIENT_ID_LEN = 256;
export const MAX_TOKEN_LEN = 8192;
export const MAX_TIMEOUT_MS = 300000;

// No string argument the SDK accepts is longer than this many UTF-8 bytes, so none longer than this many
// characters (UTF-16 units, never more than its bytes): the loader refuses longer ones before copying
// them into wasm memory, which never shrinks.
export const MAX_TEXT = 8192;

// SPiD JS SDK 2.x's lists (crates/core/src/spid2.rs), for what global.js answers before its wasm is there:
// 2.6.0's option defaults, the storages (the default first), the cache entries' prefix, and the `code` of a
// communication error without an HTTP status.
export const SPID2_DEFAULTS = {
  server: null,
  client_id: null,
  cache: {},
  logging: false,
  useSessionCluster: true,
  https: true,
  setVarnishCookie: null,
  storage: 'localstorage',
  timeout: 5000,
  refresh_timeout: 43200,
  varnish_expiration: 43200,
  cache_time_no_asset: 10,
};
export const SPID2_STORAGES = ['localstorage', 'cookie', 'cache', 'standard'];
export const SPID2_KEY_PREFIX = 'spid_js_';
export const SPID2_NO_STATUS_CODE = 503;
