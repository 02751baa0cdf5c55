// schacc-sdk/global.js: a drop-in for SPiD JS SDK 2.x. One classic script (no
// bundler, no module, no other file): it defines `window.SPiD` and
// `window.SPiD_Uri`, and carries the whole SDK with its wasm inlined, so it works
// from any origin without CORS, concatenated into a vendor bundle, or imported
// through a bundler (`import 'schacc-sdk/global.js'`).
//
//   <script src="https://cdn.example/schacc-sdk/global.js"></script>
//   <script>SPiD.init({ client_id: 'abc123', server: 'login.schacc.example' });</script>
//
// A page may load the wasm from a URL of its own instead (fetched, so CORS
// applies): `<script src=".../global.js" data-wasm="/static/schacc_sdk_bg.wasm">`,
// or `window.SPiD_wasmUrl = '…'` set before the script runs.
//
// scripts/build.mjs bundles this file with index.js, the glue and the inlined
// wasm into one IIFE (esbuild). The logouts and sessions are the module API's
// (index.js and the wasm); this file is the 2.x surface on top, and decides
// what that surface needs: 2.x's options and callbacks mapped onto a client,
// which client a call runs on (calls run in order, each on the client current
// when it was made; SPiD.init replaces it), its own listener lists (so
// subscriptions may precede init), where the wasm comes from (data-wasm, else
// the inlined copy), and, synchronously, the option checks of init() and the
// SPiD_Uri link builders, which apply the core's rules here (see "The core's
// rules"). Event names, error codes and limits come from names.js, which the
// build writes from the Rust lists.
import { createClient, load, SdkError } from './index.js';
import { CODE_INVALID_ARGUMENT, CODE_INVALID_CONFIG, CODES, EVENTS, MAX_CLIENT_ID_LEN, MAX_TIMEOUT_MS, MAX_URL_LEN } from './names.js';
import { isPlainObject } from './shell.js';

// In server-side rendering (imported through a bundler) there is no page: define nothing.
if (typeof window === 'object') (function (window, document) {
  'use strict';
  if (window.SPiD && window.SPiD.__schacc) return; // the tag appears twice

  // Replaced by the build (scripts/build.mjs) with pkg/package.json's version.
  var VERSION = typeof SCHACC_VERSION === 'string' ? SCHACC_VERSION : '0.0.0-dev';
  // 2.x options this SDK has no use for are accepted and ignored: useSessionCluster,
  // cache, storage, refresh_timeout, varnish_expiration, setVarnishCookie,
  // cache_time_no_asset, prod.

  // The page's own wasm location, if it gives one (relative to the page).
  var script = document.currentScript;
  var wasmUrl = (script && script.getAttribute('data-wasm')) || window.SPiD_wasmUrl || null;

  var options = null; // the options of the current SPiD.init
  var uri = null; // [client_id, server base] of the latest SPiD_Uri.init or SPiD.init
  // The current client: a promise of the ESM client (rejects with the SdkError).
  // Each SPiD.init makes a new one; a call runs on the one current when it was made.
  var current = null;
  var first; // calls made before any init run on the first one's client
  var firstClient = new Promise(function (resolve) {
    first = resolve;
  });
  firstClient.catch(function () {});
  // Calls (and the destruction of replaced clients) run one after another in call order.
  var chain = Promise.resolve();
  var listeners = {}; // name → [fn], kept here so subscriptions may precede init()

  // ---- The core's rules (src/core/url.rs, src/core/config.rs) ----
  // The same rules on top of the same URL parser, so that init() and SPiD_Uri
  // need not wait for the wasm; tests/e2e/spid2.test.mjs runs a corpus of
  // hostile inputs through both and asserts they agree.
  var CONFIG = CODES[CODE_INVALID_CONFIG];
  var ARGUMENT = CODES[CODE_INVALID_ARGUMENT];
  // Errors name the option or parameter; the rules are in the README ("Migrating from SPiD JS SDK 2.x").
  function fail(code, text) {
    throw new SdkError(code, '[SPiD] ' + text);
  }

  function utf8Length(text) {
    return new TextEncoder().encode(text).length;
  }

  // core::url::check_http_url: the URL the browser reads from `input`, or null.
  // `http://` or `https://`, then a host without `@`; no backslash, no
  // surrounding whitespace and none of core::url::is_invisible's characters
  // (controls, format characters, line and paragraph separators, U+FFFD; a
  // lone surrogate reaches the core as U+FFFD).
  function httpUrl(input) {
    var url = null;
    if (typeof input == 'string' && /^https?:\/\/[^/?#@]+([/?#]|$)/i.test(input) &&
      !/[\\\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\ufffd]|^\s|\s$/u.test(input) && utf8Length(input) <= MAX_URL_LEN) {
      try {
        url = new URL(input);
      } catch (error) {}
    }
    // Port 0 parses, but no browser fetches or navigates there.
    return url && url.hostname && !url.username && !url.password && url.port != '0' ? url : null;
  }

  // core::config::normalize_server: origin and path without trailing slashes, or null.
  function serverBase(input) {
    var url = httpUrl(input);
    var base = url && (url.protocol == 'https:' || /^(localhost|127\.0\.0\.1|\[::1\])$/.test(url.hostname)) &&
      !/[?#\s]/.test(input) && url.origin + url.pathname.replace(/\/+$/, '');
    return base && base.length <= MAX_URL_LEN ? base : null;
  }

  // core::config::is_client_id
  function isClientId(id) {
    return /^[^\s\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\ufffd]+$/u.test(id) && utf8Length(id) <= MAX_CLIENT_ID_LEN;
  }

  // 2.x's `server` is a host name (optionally :port); the scheme comes from
  // `https` (default true). A full http(s) URL is taken as it is. Returns
  // [client_id, server base], or throws invalid_config.
  function uriConfig(opts) {
    if (!isPlainObject(opts)) fail(CONFIG, 'init needs an options object');
    var id = String(opts.client_id || '');
    var server = String(opts.server || '');
    if (!/^https?:\/\//i.test(server)) server = (opts.https === false ? 'http://' : 'https://') + server;
    server = serverBase(server);
    if (!isClientId(id)) fail(CONFIG, 'invalid client_id');
    if (!server) fail(CONFIG, 'invalid server');
    return [id, server];
  }

  var loaded = null; // the wasm, once loaded (from wasmUrl or the inlined copy)
  function loadWasm() {
    if (!loaded) {
      // The page's own copy where it names one; where that fails (stalls, 404, another version), the inlined one.
      loaded = wasmUrl ? load(new URL(wasmUrl, document.baseURI)).catch(function (error) {
        console.error('[SPiD] data-wasm failed, using the inlined copy:', error);
        return load();
      }) : Promise.resolve();
      loaded.catch(function () {
        loaded = null;
      });
    }
    return loaded;
  }

  function log() {
    if (options && options.logging) console.log.apply(console, arguments);
  }

  function dispatch(name, payload) {
    log('[SPiD] ' + name, payload);
    var list = (listeners[name] || []).slice();
    for (var i = 0; i < list.length; i++) {
      try {
        list[i](payload);
      } catch (error) {
        console.error(error);
      }
    }
  }

  // Runs `call(client)` on the client current now, after every earlier call,
  // then `callback(err, data)`.
  function enqueue(call, callback) {
    var client = current || firstClient;
    var done = function (err, data) {
      if (typeof callback !== 'function') return;
      try {
        callback(err, data);
      } catch (error) {
        console.error(error);
      }
    };
    chain = chain.then(function () {
      return client.then(call);
    }).then(function (data) {
      done(null, data);
    }, function (err) {
      if (!callback) log('[SPiD] call failed', err);
      done(err, undefined);
    });
  }

  var SPiD = {
    __schacc: true,

    /**
     * Checks every option by the core's rules first: bad options throw an
     * SdkError (invalid_config) and change nothing. Otherwise a new client
     * becomes current; the one it replaces finishes the calls made under it
     * and is then destroyed, its events no longer reaching SPiD listeners.
     */
    init: function (opts) {
      var uriOptions = uriConfig(opts);
      var redirectUri = opts.redirect_uri ? String(opts.redirect_uri) : null;
      if (redirectUri && !httpUrl(redirectUri)) fail(CONFIG, 'invalid redirect_uri');
      if (opts.timeout != null && !(typeof opts.timeout == 'number' && opts.timeout >= 1 && opts.timeout <= MAX_TIMEOUT_MS)) fail(CONFIG, 'invalid timeout');
      if (opts.sessionDomain != null && !serverBase(opts.sessionDomain)) fail(CONFIG, 'invalid sessionDomain');
      options = opts;
      uri = uriOptions;
      var config = { clientId: uriOptions[0], server: uriOptions[1], redirectUri: redirectUri, timeout: opts.timeout, sessionDomain: opts.sessionDomain };
      var previous = current;
      var created = current = loadWasm().then(function () {
        return createClient(config);
      }).then(function (client) {
        for (var i = 0; i < EVENTS.length; i++) {
          (function (name) {
            client.on(name, function (payload) {
              if (current === created) dispatch(name, payload);
            });
          })(EVENTS[i]);
        }
        log('[SPiD] ready', VERSION);
        return client;
      });
      created.catch(function (error) {
        console.error('[SPiD] init failed:', error);
      });
      first(created);
      // After the calls made under it (once it exists, if it ever does).
      if (previous) {
        chain = chain.then(function () {
          return previous.then(function (client) {
            client.destroy();
          }, function () {});
        });
      }
      return SPiD;
    },

    /** The JS SDK logout: `callback(err, data)` with the logged-out session. */
    logout: function (callback) {
      enqueue(function (client) {
        return client.logout();
      }, callback);
    },

    /** Asks SchAcc who is logged in: `callback(err, data)` with the session. */
    hasSession: function (callback) {
      enqueue(function (client) {
        return client.hasSession();
      }, callback);
    },

    version: function () {
      return VERSION;
    },

    options: function () {
      return options;
    },

    event: {
      subscribe: function (name, fn) {
        if (typeof fn !== 'function') fail(ARGUMENT, 'SPiD.event.subscribe needs a function');
        (listeners[name] = listeners[name] || []).push(fn);
      },
      unsubscribe: function (name, fn) {
        var list = listeners[name];
        if (!list) return;
        var at = list.indexOf(fn);
        if (at !== -1) list.splice(at, 1);
      },
    },
  };

  // ---- SPiD_Uri: the 2.x link builders, synchronous ----
  function encode(value) {
    try {
      return encodeURIComponent(value).replace(/[!'()*]/g, function (c) {
        return '%' + c.charCodeAt(0).toString(16).toUpperCase();
      });
    } catch (error) { // a lone surrogate
      fail(ARGUMENT, 'invalid link parameter (a lone surrogate)');
    }
  }

  // Every part is percent-encoded; redirect_uri and client_id must pass the core's rules.
  function build(path, params) {
    if (!uri) fail(CONFIG, 'call SPiD_Uri.init or SPiD.init first');
    var query = [];
    for (var key in params) {
      var value = params[key];
      if (!value) continue;
      value = String(value);
      if (key == 'redirect_uri' ? !httpUrl(value) : key == 'client_id' && !isClientId(value)) fail(ARGUMENT, 'invalid ' + key);
      query.push(encode(key) + '=' + encode(value));
    }
    return uri[1] + '/' + String(path || '').replace(/^\/+/, '').split('/').map(encode).join('/') + '?' + query.join('&');
  }

  function params(code, redirectUri, clientId, extra) {
    var p = {};
    if (code) p.response_type = 'code';
    if (extra && extra.flow) p.flow = extra.flow;
    p.client_id = clientId || uri && uri[0];
    p.redirect_uri = redirectUri || location.href;
    for (var key in extra) if (key !== 'flow') p[key] = extra[key];
    return p;
  }

  function link(path, code) {
    return function (redirectUri, clientId) {
      return build(path, params(code, redirectUri, clientId));
    };
  }

  var SPiD_Uri = {
    init: function (opts) {
      uri = uriConfig(opts);
      return SPiD_Uri;
    },
    build: build,
    login: link('flow/login', true),
    auth: link('flow/auth', true),
    signup: link('flow/signup', true),
    // The module API's logoutUrl(): 2.x's response_type=code, which /logout ignores, is left out.
    logout: link('logout', false),
    account: link('account/summary', true),
    purchaseHistory: link('account/purchasehistory', false),
    subscriptions: link('account/subscriptions', false),
    products: link('account/products', false),
    redeem: function (voucherCode, redirectUri, clientId) {
      return build('account/redeem', params(false, redirectUri, clientId, { voucher_code: voucherCode }));
    },
    purchaseProduct: function (productId, redirectUri, clientId) {
      return build('flow/checkout', params(true, redirectUri, clientId, { flow: 'payment', product_id: productId }));
    },
    purchaseCampaign: function (campaignId, productId, voucherCode, redirectUri, clientId) {
      return build('flow/checkout', params(true, redirectUri, clientId, {
        flow: 'payment', campaign_id: campaignId, product_id: productId, voucher_code: voucherCode,
      }));
    },
  };

  SPiD.Uri = SPiD_Uri; // 2.0's spelling
  window.SPiD = SPiD;
  window.SPiD_Uri = SPiD_Uri;
  // 2.x's asynchronous loading hook: defined before the script loads, called once it has.
  if (typeof window.asyncSPiD === 'function') window.asyncSPiD();
})(window, document);
