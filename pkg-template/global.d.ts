// Types of schacc-sdk/global.js, the SPiD JS SDK 2.x drop-in (a classic script
// that defines `window.SPiD` and `window.SPiD_Uri`). In a bundled app,
// `import 'schacc-sdk/global.js'` brings them; for a script tag,
// `/// <reference types="schacc-sdk/global" />`.

export interface SPiDOptions {
  /** Your SchAcc client id. Required. */
  client_id: string;
  /**
   * SchAcc's host name, optionally with `:port` and a path (`login.schacc.example`), or a full http(s) URL.
   * Required. The module API's rules apply: no credentials, query, fragment, whitespace or invisible characters.
   */
  server: string;
  /** `false` talks to `http://server`, allowed only for localhost, 127.0.0.1 and [::1]. Default `true`. */
  https?: boolean;
  /** Default post-logout redirect of the redirect flow: an absolute http(s) URL without credentials. */
  redirect_uri?: string;
  /** The site's first-party session service, as `createClient`'s `sessionDomain` (recommended where the site can host it). */
  sessionDomain?: string;
  /** Milliseconds per request, 1–300000. Default 5000. */
  timeout?: number;
  /** `console.log` every event (so does `?spid_debug=1` in the page's URL). */
  logging?: boolean;
  /**
   * Where the session cache lives: `'localstorage'` (the default; key `spid_js_<client_id>`), `'cookie'` (cookie
   * `spid_js_<client_id>`), `'cache'` (memory, for the page's life) or `'standard'` (none).
   */
  storage?: 'localstorage' | 'cookie' | 'cache' | 'standard';
  /** `{ hasSession: { ttlSeconds } }`: keep every `hasSession` answer (logged out too) for `ttlSeconds`. `true` (2.0) is accepted. */
  cache?: { hasSession?: { ttlSeconds?: number } } | boolean;
  /** Seconds (or, 60000 and more, milliseconds) to keep a granted `hasProduct`/`hasSubscription` answer. Default 43200. */
  refresh_timeout?: number;
  /** Seconds to keep a refused one. Default 10. */
  cache_time_no_asset?: number;
  /** Set the Varnish cookie `SP_ID` (default: only with `storage: 'cookie'`). */
  setVarnishCookie?: boolean | null;
  /** Seconds `SP_ID` lives. Default 43200; `0`: the session's `expiresIn`. */
  varnish_expiration?: number;
  /** Accepted and ignored: this SDK asks `{server}/ajax/hasSession.json`, never the session cluster. */
  useSessionCluster?: boolean;
  /** Accepted and ignored. */
  prod?: unknown;
}

/**
 * A 2.x callback's `err`: SchAcc's `error` object (logged out: `{ code: 401, type: 'UserException', description }`),
 * or, where SchAcc's answer could not be had, `{ type: 'communication', code, description }` (`code`: the HTTP
 * status, else 503).
 */
export interface SPiDError {
  code: number;
  type: string;
  description: string;
}

/** What SchAcc answered (a session, a product's answer, …): a plain object, the page's to keep; `{}` after a communication error. */
export type SPiDData = Record<string, any>;

export type SPiDCallback = (err: SPiDError | null, data?: SPiDData) => void;

/** 2.x's session cache: `suffix` names another entry (`spid_js_<client_id>_<suffix>`). */
export interface SPiDSessionCache {
  get(suffix?: string): SPiDData | null;
  set(value: SPiDData, expiresInSeconds?: number, suffix?: string): void;
  clear(suffix?: string): void;
}

/**
 * A 2.x link builder: `redirect_uri` defaults to `location.href`, `client_id` to the configured one. Throws an
 * `SdkError`: `invalid_argument` where `redirect_uri` (given or `location.href`) is not an absolute http(s) URL of
 * at most 2048 bytes without credentials, control or invisible characters, or where `client_id` is not a valid
 * client id; `invalid_config` before `SPiD_Uri.init` or `SPiD.init`.
 */
export type UriBuilder = (redirect_uri?: string, client_id?: string) => string;

export interface SPiDUri {
  /** Configures the links; throws `SdkError` `invalid_config` (and changes nothing) for a bad `client_id`, `server` or `https`. */
  init(options: SPiDOptions): SPiDUri;
  /** `{server}/{path}?{params}`, every part percent-encoded; `redirect_uri` and `client_id` checked as by the builders. */
  build(path: string, params: Record<string, string | null | undefined>): string;
  login: UriBuilder;
  auth: UriBuilder;
  signup: UriBuilder;
  /** `{server}/logout?client_id=…&redirect_uri=…`: the module API's `logoutUrl({ redirectUri })`, same rules, same URL. */
  logout: UriBuilder;
  account: UriBuilder;
  purchaseHistory: UriBuilder;
  subscriptions: UriBuilder;
  products: UriBuilder;
  redeem(voucher_code?: string, redirect_uri?: string, client_id?: string): string;
  purchaseProduct(product_id?: string, redirect_uri?: string, client_id?: string): string;
  purchaseCampaign(campaign_id?: string, product_id?: string, voucher_code?: string, redirect_uri?: string, client_id?: string): string;
}

export interface SPiDGlobal {
  /**
   * Configures the SDK. Every option is checked by the module API's rules first: a bad one throws `SdkError`
   * `invalid_config` and changes nothing. Otherwise a new client becomes current: calls made before run on the
   * client they were made under, which is destroyed once they are done; from now on only the new client's
   * events reach `SPiD.event` listeners. `callback()` runs once `init` has returned.
   */
  init(options: SPiDOptions, callback?: () => void): SPiDGlobal;
  /** The JS SDK logout; `data` is SchAcc's answer: `result: true` when it deleted a session. */
  logout(callback?: SPiDCallback): void;
  /** Who is logged in: the cached answer, or SchAcc's. Logged out, `err` is SchAcc's 401 `UserException`. */
  hasSession(callback?: SPiDCallback): void;
  /** Whether the logged-in user has `productId`: `data.result`. */
  hasProduct(productId: string | number, callback?: SPiDCallback): void;
  /** Whether the logged-in user subscribes to `productId`: `data.result`, `data.subscriptionId`. */
  hasSubscription(productId: string | number, callback?: SPiDCallback): void;
  /** Accepts the client's terms, forgets the cached session, then `hasSession(callback)`. */
  acceptAgreement(callback?: SPiDCallback): void;
  /** 2.0's traits: sends nothing, calls back `(null, {})`. */
  setTraits(traits: unknown, callback?: SPiDCallback): void;
  readonly sessionCache: SPiDSessionCache;
  /** Whether `init` was called (and did not throw). */
  initiated(): boolean;
  /** `{server}/` of the current `init`, or `null`. */
  server(): string | null;
  /** 2.x's session endpoint (`https://session.{server}/rpc/hasSession.js`, or the core's without `useSessionCluster`); informational. */
  sessionEndpoint(): string | null;
  /** 2.x's core session endpoint, `{server}/ajax/hasSession.js`; informational. */
  coreEndpoint(): string | null;
  /** Whether the page has the Varnish cookie `SP_ID`. */
  hasVarnishCookie(): boolean;
  /** The package version. */
  version(): string;
  /** The options of the current `init`, with 2.6.0's defaults filled in (`{}` before any). */
  options(): SPiDOptions;
  readonly event: {
    /** Throws `SdkError` `invalid_argument` if `listener` is not a function. */
    subscribe(name: string, listener: (...payload: any[]) => void): void;
    unsubscribe(name: string, listener: (...payload: any[]) => void): void;
    /** Calls every listener of `name` with the other arguments. */
    fire(name: string, ...payload: any[]): void;
  };
  /** 2.0's spelling of `SPiD_Uri`. */
  readonly Uri: SPiDUri;
  /**
   * 2.x's JSONP transport, present so no 2.x page throws: this SDK fetches instead, so `request` calls back
   * asynchronously with a communication error saying so, and `response` does nothing.
   */
  readonly Talk: {
    request(server: string, path: string, params: object | null, callback: (err: SPiDError, data: object) => void): void;
    response(id: string, data: unknown): void;
  };
}

declare global {
  interface Window {
    SPiD: SPiDGlobal;
    SPiD_Uri: SPiDUri;
    /** Called once by global.js after it has run, if defined, then marked `hasRun` (2.x's asynchronous loading hook). */
    asyncSPiD?: (() => void) & { hasRun?: boolean };
    /** Where global.js loads its wasm (`global.wasm`) from instead of its inlined copy, if set before it runs (like `data-wasm`). */
    SPiD_wasmUrl?: string;
  }
  var SPiD: SPiDGlobal;
  var SPiD_Uri: SPiDUri;
}
