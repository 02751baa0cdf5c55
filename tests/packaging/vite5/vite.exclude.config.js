// The one-line setting the package README offers for Vite 5–7's dev server, to load the wasm file in dev as
// in production (without it, pre-bundling moves the package away from the file and the inlined copy loads).
// Not the app's config (vite.config.js would be): the matrix starts a second dev server with --config, and
// its own cacheDir keeps it from sharing pre-bundled files with the first.
export default { optimizeDeps: { exclude: ['schacc-sdk'] }, cacheDir: 'node_modules/.vite-exclude' };
