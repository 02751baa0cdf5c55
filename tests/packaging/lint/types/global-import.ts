// global.js imported through a bundler: its import brings the globals' types.
import 'schacc-sdk/global.js';

window.SPiD_wasmUrl = '/static/global.wasm';

SPiD.init({ client_id: 'abc123', server: 'login.schacc.example' });
export const url: string = window.SPiD_Uri.logout('https://news.example/');
SPiD.hasSession((err, data) => console.log(err?.code, data?.userStatus));
