// The setting the package README offers for Vite's workers: ES-module worker bundles can split off the inlined
// copy, which the default IIFE worker bundle carries along. Built by the matrix with --config into dist-es/.
export default { worker: { format: 'es' }, build: { outDir: 'dist-es' } };
