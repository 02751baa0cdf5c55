/** What went wrong; stable across versions. */
export type SdkErrorCode =
  | 'load'
  | 'invalid_config'
  | 'invalid_argument'
  | 'network'
  | 'timeout'
  | 'http'
  | 'invalid_response'
  | 'session_renewal';

/** Every failure of the SDK rejects (or throws) one of these. */
export declare class SdkError extends Error {
  constructor(code: SdkErrorCode, message: string, status?: number, url?: string);
  readonly name: 'SdkError';
  readonly code: SdkErrorCode;
  /** The HTTP status, for `http` (and `invalid_response`) errors; absent for a redirect, which is never followed. */
  readonly status?: number;
  /** For `session_renewal`: where the session service's renewal visit goes (or would go). */
  readonly url?: string;
}

export interface ClientOptions {
  /** Your SchAcc client id. Non-empty, no whitespace or control characters. */
  clientId: string;
  /** SchAcc's base URL: absolute https (http only for localhost, 127.0.0.1, [::1]); a path prefix is allowed. */
  server: string;
  /** Default post-logout redirect for the redirect flow; must be registered for the client. */
  redirectUri?: string;
  /** Milliseconds per request, 1–300000. Default 5000. */
  timeout?: number;
  /** When `logoutWithFallback` finishes the logout by redirect. Default `'auto'`. */
  fallback?: 'auto' | 'always' | 'never';
  /** Tell other tabs of this origin about logouts, and hear theirs. Default `true`. */
  crossTab?: boolean;
  /**
   * The site's first-party session service (e.g. `https://id.news.example`, same site as the page), asked as
   * account-sdk-browser 5 asks it: `hasSession()` sends `GET {sessionDomain}/v2/session` (or
   * `{sessionDomain}/session` when it has a path) with `client_sdrn`, `redirect_uri`, `sdk_version`, `tabId` and
   * `client_id`; `logout()` sends `POST {sessionDomain}/v2/logout` (this project's addition: against a service
   * without it, `logout()` rejects and `logoutWithFallback()` finishes through SchAcc's `/logout`). Both carry its
   * cookie, which no browser withholds. Validated like `server`.
   */
  sessionDomain?: string;
  /**
   * The SDRN namespace of `client_sdrn` (`sdrn:{namespace}:client:{clientId}`). Default: SchAcc's, from `server`
   * (`login.schibsted.com` → `schibsted.com`, `payment.schibsted.no` → `spid.no`, …), else its host name.
   */
  sdrnNamespace?: string;
  /**
   * Whether the page follows the session service's `{ redirectURL }` (a top-level visit that renews its cookie),
   * at most once in 5 minutes per site. Default `true`; with `false`, `hasSession()` rejects `session_renewal`
   * with the `url` instead.
   */
  sessionRenewal?: boolean;
  /** Awaited before a renewal visit, with its URL (what it throws or rejects with stops nothing). */
  beforeSessionRenewal?: (url: string) => void | Promise<void>;
  /**
   * How long (ms, 0–86400000) `hasSession()` answers are kept for the site's tabs in `localStorage`; never past a
   * session's `expiresIn`. Default 300000 (5 minutes); 0 turns the cache off.
   */
  cacheTtl?: number;
}

/** `loginUrl()` and `login()`, as account-sdk-browser 5's `loginUrl` takes them. */
export interface LoginOptions {
  /** Required: a non-empty string, echoed back to `redirectUri` (check it there). */
  state: string;
  /** Where SchAcc sends the browser with `code` and `state`; default `createClient`'s `redirectUri`. */
  redirectUri?: string;
  /** Default `'openid'`. */
  scope?: string;
  /** `'otp-email'`, or any of `password otp sms eid-dk eid-no eid-se eid-fi eid`, space-separated. */
  acrValues?: string;
  loginHint?: string;
  tag?: string;
  teaser?: string;
  /** Whole seconds. */
  maxAge?: number;
  locale?: string;
  oneStepLogin?: boolean;
  /** Default `'select_account'`; left out when `acrValues` is given. */
  prompt?: string;
}

/** The session as SchAcc describes it: these fields plus any other the server sent. */
export interface Session {
  /** `true` while a user is logged in. */
  readonly result: boolean;
  /** `'connected'`, `'notConnected'`, `'unknown'` (nothing known yet) or what SchAcc says. */
  readonly userStatus: 'connected' | 'notConnected' | 'unknown' | (string & {});
  readonly userId: number | string | null;
  readonly displayName?: string;
  readonly expiresIn?: number;
  readonly baseDomain?: string;
  readonly serverTime?: number;
  /** Whether this answer came from the session cache (non-enumerable: not a field of SchAcc's). */
  readonly fromCache: boolean;
  /** How old the answer is, in ms (0: the server's, now; non-enumerable). */
  readonly age: number;
  readonly [field: string]: unknown;
}

export interface RedirectOptions {
  /** Where SchAcc sends the browser afterwards; must be an absolute http(s) URL registered for the client. */
  redirectUri?: string;
  /**
   * An OAuth token SchAcc should revoke too. The redirect flow sends it as `oauth_token`; `logoutWithFallback`
   * revokes it with the API logout when it does not redirect (and, under `'auto'`, redirects with it when that
   * revocation is not confirmed).
   */
  oauthToken?: string;
}

export interface FallbackResult {
  session: Session;
  /** `true` when the page is being sent to SchAcc's `/logout`. */
  redirected: boolean;
  /** Whether SchAcc confirmed it deleted the session during the fetch. */
  confirmed: boolean;
  /**
   * Whether SchAcc's API logout confirmed it revoked `oauthToken`. `false` without a token, when the revocation
   * failed (under `'never'`), and when redirecting (the redirect flow revokes it, out of the page's sight).
   */
  tokenRevoked: boolean;
  /**
   * Why: `'confirmed'`, `'no_session'` (SchAcc saw no session: cookie withheld or already gone),
   * `'user_agent'` (Safari/iOS), `'always'`, or the error code of a failed fetch (the logout, or the token's
   * revocation).
   */
  reason: 'confirmed' | 'no_session' | 'user_agent' | 'always' | SdkErrorCode;
}

/** Every event name; a listener for `SPiD.error` receives the `SdkError`, all others the `Session`. */
export type SessionEventName =
  | 'SPiD.login'
  | 'SPiD.logout'
  | 'SPiD.userChange'
  | 'SPiD.statusChange'
  | 'SPiD.sessionChange'
  | 'SPiD.notLoggedin'
  | 'SPiD.sessionInit';
export type EventName = SessionEventName | 'SPiD.error';

export type Listener<N extends EventName> = (payload: N extends 'SPiD.error' ? SdkError : Session) => void;

export interface Client {
  /** The last known session; initially `{ result: false, userStatus: 'unknown', userId: null }`. */
  readonly session: Session;
  /**
   * Who is logged in: the site's session cache while its answer holds (see `cacheTtl`), else SchAcc or the session
   * service, with the cookie. `{ fresh: true }` asks whatever the cache holds.
   */
  hasSession(options?: { fresh?: boolean }): Promise<Session>;
  /** JS SDK logout: deletes the SchAcc session with a fetch carrying the cookie. Resolves with the logged-out session. */
  logout(): Promise<Session>;
  /** The redirect-flow URL `{server}/logout?client_id=…[&redirect_uri=…][&oauth_token=…]`. */
  logoutUrl(options?: RedirectOptions): string;
  /**
   * SchAcc's authorization URL, as account-sdk-browser builds it:
   * `{server}/oauth/authorize?client_id&redirect_uri&response_type=code&scope&state…`. Throws `invalid_argument`.
   */
  loginUrl(options: LoginOptions): string;
  /** Sends the top-level page to `loginUrl(options)`. Throws `invalid_argument`, or `network` in a frame that may not. */
  login(options: LoginOptions): void;
  /** Fires the logout events, tells other tabs, and sends the page to `logoutUrl(options)`. */
  redirectLogout(options?: RedirectOptions): void;
  /** API logout: revokes `oauthToken` at SchAcc; touches no browser session. */
  apiLogout(oauthToken: string): Promise<unknown>;
  /**
   * `logout()`, then the redirect flow wherever the session is not proven gone.
   * When it redirects, the page unloads: do not count on the promise settling.
   */
  logoutWithFallback(options?: RedirectOptions): Promise<FallbackResult>;
  /** Adds a listener; returns a function that removes it. */
  on<N extends EventName>(name: N, listener: Listener<N>): () => void;
  /** Adds a listener called at most once; returns a function that removes it. */
  once<N extends EventName>(name: N, listener: Listener<N>): () => void;
  off<N extends EventName>(name: N, listener: Listener<N>): void;
  /** SPiD 2.x spelling of `on`/`off`. */
  readonly event: {
    subscribe<N extends EventName>(name: N, listener: Listener<N>): () => void;
    unsubscribe<N extends EventName>(name: N, listener: Listener<N>): void;
  };
  /**
   * Removes every listener (once it returns, nothing of this client runs, even when called from one of its own
   * listeners) and closes what the client holds open. Idempotent; later calls of other methods throw
   * `invalid_argument`. Until then the client lives, whether or not the page keeps a reference to it.
   */
  destroy(): void;
}

/**
 * Creates a client; loads the wasm on first use (once per page). Rejects with `invalid_config`, or with `load`
 * when the wasm cannot be loaded (the message names the cause: not a browser, file not found, not wasm, CSP).
 * Outside a browser (server-side rendering) the rejection is not reported as unhandled if nobody awaits it.
 */
export declare function createClient(options: ClientOptions): Promise<Client>;

/**
 * Loads the wasm from `input` (a URL to fetch, a `Response`, the bytes, or a compiled `WebAssembly.Module`)
 * instead of the package's own copy; rejects with `load`. Optional: `createClient` calls it without `input`.
 * In Node, where there is nothing to fetch, pass the bytes:
 * `load(readFileSync(new URL(import.meta.resolve('schacc-sdk/schacc_sdk_bg.wasm'))))`.
 */
export declare function load(input?: string | URL | Request | Response | BufferSource | WebAssembly.Module): Promise<void>;
