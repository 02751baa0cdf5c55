// tests/packaging/load.test.mjs drives the SDK from here (window.sdk).
import * as sdk from '/pkg/index.js';

window.sdk = sdk;
window.ready = true;
