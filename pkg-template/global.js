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
// wasm into one IIFE (esbuild). Everything is decided in the wasm except what
// 2.x pages need synchronously: option checks in init() and the SPiD_Uri link
// builders.
import { createClient, load } from './index.js';

// In server-side rendering (imported through a bundler) there is no page: define nothing.
if (typeof window === 'object') (function (window, document) {
  'use strict';
  if (window.SPiD && window.SPiD.__schacc) return; // the tag appears twice

  // Replaced by the build (scripts/build.mjs) with pkg/package.json's version.
  var VERSION = typeof SCHACC_VERSION === 'string' ? SCHACC_VERSION : '0.0.0-dev';
  var EVENTS = ['SPiD.login', 'SPiD.logout', 'SPiD.userChange', 'SPiD.statusChange',
    'SPiD.sessionChange', 'SPiD.notLoggedin', 'SPiD.sessionInit', 'SPiD.error'];
  // 2.x options this SDK has no use for are accepted and ignored: useSessionCluster,
  // cache, storage, refresh_timeout, varnish_expiration, setVarnishCookie,
  // cache_time_no_asset, prod.

  // The page's own wasm location, if it gives one (relative to the page).
  var script = document.currentScript;
  var wasmUrl = (script && script.getAttribute('data-wasm')) || window.SPiD_wasmUrl || null;

  var options = null; // the SPiD.init options
  var uriOptions = null; // the SPiD_Uri.init (or SPiD.init) options
  var clientPromise = null; // resolves with the ESM client (rejects with the SdkError)
  var initialized;
  // Calls run one after another in call order; those made before init() wait for it.
  var chain = new Promise(function (resolve) {
    initialized = resolve;
  });
  var listeners = {}; // name → [fn], kept here so subscriptions may precede init()

  function typeError(message) {
    return new TypeError('[SPiD] ' + message);
  }

  function checkOptions(opts, who) {
    if (!opts || typeof opts !== 'object') throw typeError(who + ' needs an options object');
    if (!opts.client_id) throw typeError(who + ': client_id is required');
    if (!opts.server) throw typeError(who + ': server is required');
  }

  // 2.x's `server` is a host name (optionally :port); the scheme comes from `https`
  // (default true). A full http(s) URL is accepted as it is.
  function serverUrl(opts) {
    var server = String(opts.server);
    if (!/^https?:\/\//i.test(server)) server = (opts.https === false ? 'http' : 'https') + '://' + server;
    return server.replace(/\/+$/, '');
  }

  var loaded = null; // the wasm, once loaded (from wasmUrl or the inlined copy)
  function loadWasm() {
    if (!loaded) {
      loaded = wasmUrl ? load(new URL(wasmUrl, document.baseURI)) : Promise.resolve();
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

  // Runs `call(client)` after every earlier call, then `callback(err, data)`.
  function enqueue(call, callback) {
    var done = function (err, data) {
      if (typeof callback !== 'function') return;
      try {
        callback(err, data);
      } catch (error) {
        console.error(error);
      }
    };
    chain = chain.then(function () {
      return clientPromise.then(call);
    }).then(function (data) {
      done(null, data);
    }, function (err) {
      if (!callback) log('[SPiD] call failed', err);
      done(err, undefined);
    });
  }

  var SPiD = {
    __schacc: true,

    init: function (opts) {
      checkOptions(opts, 'SPiD.init');
      options = opts;
      SPiD_Uri.init(opts);
      var previous = clientPromise;
      clientPromise = loadWasm().then(function () {
        var config = { clientId: String(opts.client_id), server: serverUrl(opts) };
        if (opts.redirect_uri) config.redirectUri = opts.redirect_uri;
        if (opts.timeout !== undefined) config.timeout = opts.timeout;
        if (opts.sessionDomain !== undefined) config.sessionDomain = opts.sessionDomain;
        return createClient(config);
      }).then(function (client) {
        for (var i = 0; i < EVENTS.length; i++) {
          (function (name) {
            client.on(name, function (payload) {
              if (clientPromise === current) dispatch(name, payload);
            });
          })(EVENTS[i]);
        }
        if (previous) previous.then(function (old) { old.destroy(); }, function () {});
        log('[SPiD] ready', VERSION);
        return client;
      });
      var current = clientPromise;
      clientPromise.catch(function (error) {
        console.error('[SPiD] init failed:', error);
      });
      initialized();
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
        if (typeof fn !== 'function') throw typeError('SPiD.event.subscribe needs a function');
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
    return encodeURIComponent(value).replace(/[!'()*]/g, function (c) {
      return '%' + c.charCodeAt(0).toString(16).toUpperCase();
    });
  }

  function build(path, params) {
    if (!uriOptions) throw typeError('call SPiD_Uri.init({ client_id, server }) or SPiD.init first');
    var query = [];
    for (var key in params) {
      if (params[key]) query.push(key + '=' + encode(params[key]));
    }
    return serverUrl(uriOptions) + '/' + String(path || '').replace(/^\/+/, '') + '?' + query.join('&');
  }

  function params(code, redirectUri, clientId, extra) {
    var p = {};
    if (code) p.response_type = 'code';
    if (extra && extra.flow) p.flow = extra.flow;
    p.client_id = clientId || uriOptions && uriOptions.client_id;
    p.redirect_uri = redirectUri || window.location.href;
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
      checkOptions(opts, 'SPiD_Uri.init');
      uriOptions = opts;
      return SPiD_Uri;
    },
    build: build,
    login: link('flow/login', true),
    auth: link('flow/auth', true),
    signup: link('flow/signup', true),
    logout: link('logout', true),
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
