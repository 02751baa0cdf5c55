// The session objects the page sees. Server fields are copied with object
// spread, which defines own data properties: a `"__proto__"` key stays a plain
// field and never reaches the prototype, and no setter runs. Every object is
// frozen. The wasm (src/browser/js.rs) decides what goes in.

/** The server's session, with `userId: null` where it sent none. */
export const sessionObject = (json) => Object.freeze({ userId: null, ...json });

/** `{ ...base, result: false, userStatus: status, userId: null }`; `base` is an object or `undefined`. */
export const loggedOutObject = (base, status) => Object.freeze({ ...base, result: false, userStatus: status, userId: null });
