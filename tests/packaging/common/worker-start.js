// With ?worker in the query: starts a module worker (bundled by the app's
// tool) that runs the check there; the outcome lands in window.__packagingWorker.
import { world } from './check.js';

if (new URLSearchParams(location.search).has('worker')) {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = (event) => (window.__packagingWorker = event.data);
  worker.onerror = (event) => (window.__packagingWorker = { ok: false, error: event.message || 'the worker failed to start' });
  worker.postMessage(world());
}
