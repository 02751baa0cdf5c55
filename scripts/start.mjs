// `npm start`: the SchAcc emulator on http://localhost:9000 and the demo on
// http://127.0.0.1:8080 — two different sites, as in production.
// SCHACC_PORT and DEMO_PORT override the ports (0 picks free ones).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { serveStatic } from './static-server.mjs';

const root = new URL('..', import.meta.url).pathname;
const schaccPort = process.env.SCHACC_PORT ?? '9000';
const demoPort = Number(process.env.DEMO_PORT ?? 8080);

const demo = await serveStatic({
  root: join(root, 'examples/demo'),
  mounts: { '/pkg': join(root, 'pkg') },
  port: demoPort,
});
const emulator = spawn(join(root, 'target/debug/schacc-emulator'), [
  '--listen', `127.0.0.1:${schaccPort}`,
  '--client', 'demo', '--redirect-uri', `${demo.origin}/`,
], { stdio: ['ignore', 'pipe', 'inherit'] });

const lines = createInterface({ input: emulator.stdout });
lines.once('line', (first) => {
  console.log(first);
  const port = first.match(/:(\d+)$/)?.[1];
  const server = `http://localhost:${port}`;
  const query = server === 'http://localhost:9000' ? '' : `?server=${encodeURIComponent(server)}`;
  console.log(`demo serving on ${demo.origin}`);
  console.log(`\nOpen ${demo.origin}/${query}\n`);
  lines.on('line', (line) => console.log(line));
});
emulator.on('exit', (code) => {
  console.error(`schacc-emulator exited (${code})`);
  process.exit(code ?? 1);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    emulator.kill();
    process.exit(0);
  });
}
