// Rollup with nodeResolve({ browser: true }): the package then resolves to index.js, whose dynamic imports
// Rollup cannot put in one output.file and whose wasm file it does not copy. The package README's one line:
// import from 'schacc-sdk/inline' (src/main-inline.js).
import { nodeResolve } from '@rollup/plugin-node-resolve';

export default { input: 'src/main-inline.js', output: { file: 'dist/browser-bundle.js' }, plugins: [nodeResolve({ browser: true })] };
