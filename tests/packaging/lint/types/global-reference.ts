// global.js loaded by a script tag: a reference directive brings the globals' types.
// Both spellings resolve; `schacc-sdk/global.d.ts` does not (not exported).
/// <reference types="REFERENCE" />

SPiD.init({ client_id: 'abc123', server: 'login.schacc.example' });
export const url: string = SPiD_Uri.logout('https://news.example/');
