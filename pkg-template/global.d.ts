// Types of schacc-sdk/global.js, the SPiD JS SDK 2.x drop-in (a classic script
// that defines `window.SPiD` and `window.SPiD_Uri`). In a bundled app,
// `import 'schacc-sdk/global.js'` brings them; for a script tag,
// `/// <reference types="schacc-sdk/global" />`.
import type { EventName, Listener, SdkError, Session } from './index.js';

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
  /** `console.log` every event. */
  logging?: boolean;
  /** 2.x options that are accepted and ignored. */
  useSessionCluster?: unknown;
  cache?: unknown;
  storage?: unknown;
  refresh_timeout?: unknown;
  varnish_expiration?: unknown;
  setVarnishCookie?: unknown;
  cache_time_no_asset?: unknown;
  prod?: unknown;
}

export type SPiDCallback = (err: SdkError | null, data?: Session) => void;

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
   * events reach `SPiD.event` listeners.
   */
  init(options: SPiDOptions): SPiDGlobal;
  /** The JS SDK logout; `data` is the logged-out session. */
  logout(callback?: SPiDCallback): void;
  /** Asks SchAcc who is logged in. */
  hasSession(callback?: SPiDCallback): void;
  /** The package version. */
  version(): string;
  /** The options of the last `init` that did not throw, or `null`. */
  options(): SPiDOptions | null;
  readonly event: {
    /** Throws `SdkError` `invalid_argument` if `listener` is not a function. */
    subscribe<N extends EventName>(name: N, listener: Listener<N>): void;
    unsubscribe<N extends EventName>(name: N, listener: Listener<N>): void;
  };
  /** 2.0's spelling of `SPiD_Uri`. */
  readonly Uri: SPiDUri;
}

declare global {
  interface Window {
    SPiD: SPiDGlobal;
    SPiD_Uri: SPiDUri;
    /** Called by global.js once loaded, if defined (2.x's asynchronous loading hook). */
    asyncSPiD?: () => void;
    /** Where global.js loads the wasm from instead of its inlined copy, if set before it runs (like `data-wasm`). */
    SPiD_wasmUrl?: string;
  }
  var SPiD: SPiDGlobal;
  var SPiD_Uri: SPiDUri;
}
