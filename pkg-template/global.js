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
// applies): `<script src=".../global.js" data-wasm="/static/global.wasm">`,
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
// build writes from the Rust lists. What 2.x itself decided — what a callback
// gets, what is cached and for how long, when the Varnish cookie is set and
// where, which events a change of session fires — the core decides
// (crates/core/src/spid2.rs), through this file's own wasm, built with the
// `spid2` feature; spid2.js reads and shapes for it, and answers what 2.x
// answered synchronously (options(), sessionCache) from the core's lists. This
// file does what they say: the session cache (localStorage, cookie, memory),
// SP_ID, hasProduct/hasSubscription/acceptAgreement over the SDK's transport.
import { createClient, load, SdkError } from './index.js';
import {
  CODE_INVALID_ARGUMENT, CODE_INVALID_CONFIG, CODES, EVENT_ERROR, EVENT_LOGOUT, EVENTS, MAX_CLIENT_ID_LEN, MAX_TIMEOUT_MS, MAX_URL_LEN,
  MESSAGE_LOGIN_EXCEPTION, MESSAGES,
} from './names.js';
import { isPlainObject, request } from './shell.js';
import * as spid2 from './spid2.js';

// In server-side rendering (imported through a bundler) there is no page: define nothing.
if (typeof window === 'object') (function (window, document) {
  'use strict';
  if (window.SPiD && window.SPiD.__schacc) return; // the tag appears twice

  // Replaced by the build (scripts/build.mjs) with pkg/package.json's version.
  var VERSION = typeof SCHACC_VERSION === 'string' ? SCHACC_VERSION : '0.0.0-dev';

  // The page's own wasm location, if it gives one (relative to the page).
  var script = document.currentScript;
  var wasmUrl = (script && script.getAttribute('data-wasm')) || window.SPiD_wasmUrl || null;

  var uri = null; // [client_id, server base] of the latest SPiD_Uri.init or SPiD.init
  // What one SPiD.init made (`context()`): its 2.x options, the promise of its client (rejecting with the
  // SdkError), and the session as its page has seen it. Each SPiD.init makes a new one; a call runs on the one
  // current when it was made, and calls before any init on the first one's.
  var current = null;
  var first = context();
  // Calls (and the destruction of replaced clients) run one after another in call order. `last` is the latest
  // call until it has called back: a call of the same kind (hasSession, or hasProduct of one product) made
  // meanwhile joins it, one request for both (2.x's spid-callbacks).
  var chain = Promise.resolve();
  var last = null;
  var listeners = {}; // name → [fn], kept here so subscriptions may precede init()
  var noop = function () {};
  var LOGOUT = EVENTS[EVENT_LOGOUT];
  var ERROR = EVENTS[EVENT_ERROR];

  // ---- The core's rules (crates/core/src/url.rs, crates/core/src/config.rs) ----
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
  var ready = false; // whether it is, so the 2.x rules (spid2.js) may run
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

  function context() {
    var c = { opts: {}, user: null, status: 'unknown', seen: false, memory: {} };
    c.client = new Promise(function (resolve) {
      c.start = resolve;
    });
    c.client.catch(noop);
    return c;
  }

  function log() {
    if (current && current.opts.logging || location.href.indexOf('spid_debug=1') != -1) console.log.apply(console, arguments);
  }

  // SPiD.event.fire: every listener of `name`, with the arguments after it.
  function fire(name) {
    var args = [].slice.call(arguments, 1);
    log('[SPiD] ' + name, args[0]);
    var list = (listeners[name] || []).slice();
    for (var i = 0; i < list.length; i++) {
      try {
        list[i].apply(null, args);
      } catch (error) {
        console.error(error);
      }
    }
  }

  // An event of the calls of `c`: only the current context's reach the listeners.
  function emit(c, name, payload) {
    if (c === current) fire(name, payload);
  }

  // Calls `callback(...args)`; what it throws is logged and stops nothing.
  function safe(callback) {
    if (typeof callback !== 'function') return;
    try {
      callback.apply(null, [].slice.call(arguments, 1));
    } catch (error) {
      console.error(error);
    }
  }

  // Runs `run(c)` (a promise of [err, data]) on the context current now, after every earlier call, then
  // `callback(err, data)` with the callbacks of the same `key` that joined it.
  function call(key, run, callback) {
    var c = current || first;
    if (key && last && last.c === c && last.key === key) return void last.callbacks.push(callback);
    var op = last = { c: c, key: key, callbacks: [callback] };
    chain = chain.then(function () {
      return run(c);
    }).then(null, function (error) {
      return [spid2.communication(String(error)), {}];
    }).then(function (pair) {
      if (last === op) last = null;
      op.callbacks.forEach(function (callback) {
        safe(callback, pair[0], pair[1]);
      });
    });
  }

  // ---- 2.x's cookies and session cache (spid-cookie.js, spid-persist.js), as spid2.js rules ----
  // Writes a cookie as 2.x did; quietly nothing where the page may have none (a sandboxed frame).
  // `domain`: the core's verdict on an answer's baseDomain (`domainOf`), or none (the page's host alone).
  function cookie(name, value, seconds, domain) {
    try {
      document.cookie = name + '=' + value + '; expires=' + new Date(seconds > 0 ? Date.now() + seconds * 1000 : 0).toUTCString() +
        '; path=/' + (domain ? '; domain=.' + domain : '');
    } catch (error) {}
  }

  // Expires cookie `name` on the page's host and on `.domain`.
  function expire(name, domain) {
    cookie(name, '', 0);
    cookie(name, '', 0, domain);
  }

  // The Domain of 2.x's cookies for an answer's `baseDomain` (the core's rule, so only once the wasm is there).
  function domainOf(baseDomain) {
    return ready ? spid2.cookieDomain(baseDomain, location.hostname) : null;
  }

  function readCookie(name) {
    var parts = ('; ' + document.cookie).split('; ' + name + '=');
    return parts.length == 2 ? parts.pop().split(';').shift() : null;
  }

  // sessionCache: `get`, `set` (for `seconds`) or `clear` the entry `spid_js_<client_id>[_suffix]` in the
  // storage of `c`'s options. A stale entry reads as none, and goes.
  function persist(c, op, suffix, value, seconds) {
    var key = spid2.cacheKey(c.opts.client_id, suffix);
    var mode = spid2.storage(c.opts);
    var text = null;
    try {
      if (op == 'set') {
        value = { ...value };
        if (seconds) value._expires = new Date(Date.now() + seconds * 1000);
        text = JSON.stringify(value);
        if (mode == 'localstorage') localStorage.setItem(key, text);
        if (mode == 'cookie') cookie(key, escape(text), seconds, c.domain = domainOf(value.baseDomain) || c.domain);
        if (mode == 'cache') c.memory[key] = text;
      } else if (op == 'clear') {
        if (mode == 'localstorage') localStorage.removeItem(key);
        if (mode == 'cookie') expire(key, c.domain), expire('SP_ID', c.domain);
        delete c.memory[key];
      } else {
        text = mode == 'localstorage' ? localStorage.getItem(key) : mode == 'cookie' ? unescape(readCookie(key) || '') : c.memory[key];
        var entry = text ? JSON.parse(text) : null;
        if (entry && typeof entry == 'object' && spid2.fresh(entry, Date.now())) return entry;
        if (entry) persist(c, 'clear', suffix);
      }
    } catch (error) {
      log('[SPiD] sessionCache', error);
    }
    return null;
  }

  // A logout: everything 2.x kept for this client goes, in every storage (the session, products and
  // subscriptions), and SP_ID.
  function forget(c) {
    var prefix = spid2.cacheKey(c.opts.client_id);
    var mine = function (name) {
      return name == prefix || name.indexOf(prefix + '_') == 0;
    };
    c.memory = {};
    try {
      for (var i = localStorage.length; i--;) if (mine(localStorage.key(i))) localStorage.removeItem(localStorage.key(i));
    } catch (error) {}
    try {
      document.cookie.split('; ').forEach(function (pair) {
        var name = pair.split('=')[0];
        if (mine(name)) expire(name, c.domain);
      });
    } catch (error) {}
    expire('SP_ID', c.domain);
  }

  // ---- Sessions as 2.x's pages see them (spid-sdk.js, spid-event-trigger.js) ----

  // The session of `c` becomes `data`: the events of the change (from `previous`, else what the page saw).
  function update(c, data, previous) {
    var next = { user: spid2.userOf(data), status: data.userStatus };
    var names = spid2.events(previous || c, next, c.seen);
    c.user = next.user;
    c.status = next.status;
    c.seen = c.seen || next.user != null;
    if (names.indexOf(LOGOUT) != -1) forget(c);
    if (data.visitor) emit(c, 'SPiD.visitor', data.visitor);
    names.forEach(function (name) {
      emit(c, name, data);
    });
  }

  function respond(c, err, data) {
    if (!err && data.result === true) {
      var domain = domainOf(data.baseDomain);
      c.domain = domain || c.domain;
      if (spid2.varnish(c.opts, data)) cookie('SP_ID', data.sp_id, spid2.varnishTtl(c.opts, data), domain);
    }
    update(c, data);
    return [err, data];
  }

  // An SdkError (or a failed load) as a 2.x callback's `err`.
  function failure(error) {
    return spid2.communication(error.message, error.status);
  }

  // One hasSession as 2.x did it: the cached answer, else SchAcc's (one request for concurrent callers; a
  // logged-out 401 is `err`, fired as SPiD.error), then the cache, the Varnish cookie and the events.
  // Resolves [err, data].
  function check(c) {
    return c.asking || (c.asking = c.client.then(function (client) {
      var cached = persist(c, 'get');
      if (cached) return respond(c, null, cached);
      return client.hasSession().then(null, function (error) {
        if (error.status != 401 || error.message != MESSAGES[MESSAGE_LOGIN_EXCEPTION]) throw error;
        // 2.x's LoginException (SchAcc could not tell): SPiD.loginException, then SchAcc is asked once more.
        emit(c, 'SPiD.loginException');
        return client.hasSession();
      }).then(function (session) {
        var data = { ...session };
        var err = spid2.errorOf(data);
        if (err) emit(c, ERROR, err);
        var seconds = spid2.sessionTtl(c.opts, err, data);
        var kept = { ...data };
        delete kept.error;
        if (seconds) persist(c, 'set', '', kept, seconds);
        return respond(c, err, data);
      });
    }).then(null, function (error) {
      var err = failure(error);
      emit(c, ERROR, err);
      return [err, {}];
    }).finally(function () {
      c.asking = null;
    }));
  }

  // A GET of `path` at SchAcc with the cookie, through the SDK's transport; resolves [err, data].
  function ask(c, path, params) {
    var query = Object.keys(params).map(function (key) {
      return encode(key) + '=' + encode(params[key]);
    });
    return c.client.then(function () {
      return request(c.base + '/' + path + '?' + query.join('&'), false, '', c.opts.timeout, 65536);
    }).then(function (reply) {
      return spid2.answer(reply[1] ? 0 : reply[0], reply[2], reply[3]);
    }, function (error) {
      return [error instanceof SdkError ? failure(error) : spid2.unreachable(error && error.name), {}];
    });
  }

  // hasProduct and hasSubscription: a hasSession first; the cached answer while it is the same user's (uuid),
  // else SchAcc's, kept for refresh_timeout or cache_time_no_asset.
  function asset(kind, productId, callback) {
    var key = kind + productId;
    call(key, function (c) {
      var found = function (data) {
        var event = { productId: data.productId, result: data.result };
        if (kind == 'sub') event = { subscriptionId: data.subscriptionId, productId: data.productId, result: data.result };
        emit(c, kind == 'sub' ? 'SPiD.hasSubscription' : 'SPiD.hasProduct', event);
        return [null, data];
      };
      return check(c).then(function (pair) {
        var session = pair[1];
        if (pair[0]) return [pair[0]];
        var cached = persist(c, 'get', key);
        if (cached && cached.uuid === session.uuid) return found(cached);
        var params = { client_id: c.opts.client_id, product_id: productId };
        if (session.sp_id) params.sp_id = session.sp_id;
        return ask(c, kind == 'sub' ? 'ajax/hassubscription.json' : 'ajax/hasproduct.json', params).then(function (pair) {
          if (pair[0]) return pair;
          persist(c, 'set', key, pair[1], spid2.assetTtl(c.opts, pair[1]));
          return found(pair[1]);
        });
      });
    }, callback);
  }

  // 2.x's endpoints as it computed them (it asked them with JSONP; this SDK fetches `{server}/ajax/*.json`).
  function endpoint(cluster) {
    var base = current && current.base;
    return base ? (cluster && current.opts.useSessionCluster ? base.replace('://', '://session.') + '/rpc' : base + '/ajax') + '/hasSession.js' : null;
  }

  var SPiD = {
    __schacc: true,

    /**
     * Checks every option by the core's rules first: bad options throw an
     * SdkError (invalid_config) and change nothing. Otherwise a new client
     * becomes current; the one it replaces finishes the calls made under it
     * and is then destroyed, its events no longer reaching SPiD listeners.
     * `callback()` runs once init has returned.
     */
    init: function (opts, callback) {
      var uriOptions = uriConfig(opts);
      var redirectUri = opts.redirect_uri ? String(opts.redirect_uri) : null;
      if (redirectUri && !httpUrl(redirectUri)) fail(CONFIG, 'invalid redirect_uri');
      if (opts.timeout != null && !(typeof opts.timeout == 'number' && opts.timeout >= 1 && opts.timeout <= MAX_TIMEOUT_MS)) fail(CONFIG, 'invalid timeout');
      if (opts.sessionDomain != null && !serverBase(opts.sessionDomain)) fail(CONFIG, 'invalid sessionDomain');
      uri = uriOptions;
      var c = current ? context() : first;
      c.opts = spid2.options(opts);
      c.base = uriOptions[1];
      // 'never': logoutWithFallback() is the JS SDK logout that tells whether SchAcc confirmed it.
      // cacheTtl 0: 2.x's own session cache (storage, cache) is the one that answers 2.x's pages.
      var config = { clientId: uriOptions[0], server: uriOptions[1], redirectUri: redirectUri, timeout: opts.timeout, sessionDomain: opts.sessionDomain, fallback: 'never', cacheTtl: 0 };
      var previous = current;
      current = c;
      var created = loadWasm().then(function () {
        return createClient(config);
      }).then(function (client) {
        // A logout the client saw that no call of this file is waiting for (another tab's, a re-check's, a
        // logout()'s own): the three events, and 2.x's traces go.
        client.on(LOGOUT, function (session) {
          if (!c.asking) update(c, { ...session }, spid2.beforeLogout(c));
        });
        ready = true;
        log('[SPiD] ready', VERSION);
        return client;
      });
      created.catch(function (error) {
        console.error('[SPiD] init failed:', error);
      });
      c.start(created);
      // After the calls made under it (once it exists, if it ever does).
      if (previous) {
        chain = chain.then(function () {
          return previous.client.then(function (client) {
            client.destroy();
          }, noop);
        });
      }
      if (typeof callback === 'function') setTimeout(safe, 0, callback);
      return SPiD;
    },

    /** The JS SDK logout: `callback(err, data)`, `data` SchAcc's answer (`result: true` when it deleted a session). */
    logout: function (callback) {
      call('', function (c) {
        return c.client.then(function (client) {
          return client.logoutWithFallback();
        }).then(function (outcome) {
          forget(c);
          return [null, { ...outcome.session, result: outcome.confirmed }];
        }, function (error) {
          return [failure(error), {}];
        });
      }, callback);
    },

    /** Who is logged in: `callback(err, data)`, the cached answer or SchAcc's; logged out, `err` is SchAcc's 401 error. */
    hasSession: function (callback) {
      call('session', check, callback);
    },

    hasProduct: function (productId, callback) {
      asset('prd', productId, callback);
    },

    hasSubscription: function (productId, callback) {
      asset('sub', productId, callback);
    },

    /** Accepts the terms at SchAcc, forgets the cached session and SP_ID, then `hasSession(callback)`. */
    acceptAgreement: function (callback) {
      call('', function (c) {
        return ask(c, 'ajax/acceptAgreement.json', { client_id: c.opts.client_id }).then(function () {
          persist(c, 'clear');
          expire('SP_ID', c.domain);
          return check(c);
        });
      }, callback);
    },

    /** 2.0's traits (gone in 2.6.0): sends nothing, calls back `(null, {})`. */
    setTraits: function (traits, callback) {
      call('', function () {
        return [null, {}];
      }, callback);
    },

    sessionCache: {
      get: function (suffix) {
        return persist(current || first, 'get', suffix);
      },
      set: function (value, seconds, suffix) {
        persist(current || first, 'set', suffix, value, seconds);
      },
      clear: function (suffix) {
        persist(current || first, 'clear', suffix);
      },
    },

    initiated: function () {
      return !!current;
    },

    server: function () {
      return current && current.base + '/';
    },

    sessionEndpoint: function () {
      return endpoint(true);
    },

    coreEndpoint: function () {
      return endpoint(false);
    },

    hasVarnishCookie: function () {
      return document.cookie.indexOf('SP_ID=') > -1;
    },

    version: function () {
      return VERSION;
    },

    /**
     * 2.x's JSONP transport. This SDK fetches JSON instead (a deliberate difference): `request` calls back
     * asynchronously with a 2.x communication error saying so, `response` (a JSONP answer's call) does nothing.
     */
    Talk: {
      request: function (server, path, params, callback) {
        setTimeout(safe, 0, callback, spid2.communication('SPiD.Talk (JSONP) is not provided: use SPiD.hasSession, hasProduct, hasSubscription'), {});
      },
      response: noop,
    },

    /** 2.6.0's options: the page's, with 2.x's defaults filled in. */
    options: function () {
      return (current || first).opts;
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
      fire: fire,
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
  // 2.x's asynchronous loading hook: defined before the script loads, called once, after it has run.
  setTimeout(function () {
    var hook = window.asyncSPiD;
    if (typeof hook === 'function' && !hook.hasRun) {
      hook();
      hook.hasRun = true;
    }
  });
})(window, document);
