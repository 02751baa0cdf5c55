// Makes the SDK's errors for the wasm (src/browser/js.rs): instances of the
// loader's `SdkError` class, so `instanceof SdkError` holds in the page.
// Without the loader (the shell's own tests) a plain `Error` with the same fields.

let ErrorClass;

/** Called once by the loader (through the wasm's `setErrorClass`). */
export function useErrorClass(Class) {
  ErrorClass = Class;
}

export function sdkError(code, message, status) {
  if (ErrorClass) return new ErrorClass(code, message, status);
  const error = Object.assign(new Error(message), { name: 'SdkError', code });
  if (status !== undefined) error.status = status;
  return error;
}
