// `npm start`: the SchAcc emulator on http://localhost:9000, its first-party
// session service on http://127.0.0.1:9001 and the demo on
// http://127.0.0.1:8080. SchAcc is another site than the demo, as in
// production; the session service is the demo's own site (a site ignores
// ports), as `id.news.example` is for `www.news.example`.
// SCHACC_PORT, SESSION_PORT and DEMO_PORT override the ports (0 picks free ones).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { buildEmulator } from './emulator.mjs';
import { serveStatic } from './static-server.mjs';

const root = new URL('..', import.meta.url).pathname;
const schaccPort = process.env.SCHACC_PORT ?? '9000';
const sessionPort = process.env.SESSION_PORT ?? '9001';
const demoPort = Number(process.env.DEMO_PORT ?? 8080);
// `npm run build` builds only the SDK: the emulator is built here (cargo does nothing when it is up to date).
const emulatorBinary = buildEmulator();

const demo = await serveStatic({
  root: join(root, 'examples/demo'),
  mounts: { '/pkg': join(root, 'pkg') },
  port: demoPort,
});
const env = { ...process.env };
delete env.SCHACC_SESSION_LISTEN; // the flag below says it
const emulator = spawn(emulatorBinary, [
  '--listen', `127.0.0.1:${schaccPort}`,
  '--session-listen', `127.0.0.1:${sessionPort}`,
  '--client', 'demo', '--redirect-uri', `${demo.origin}/`,
], { stdio: ['ignore', 'pipe', 'inherit'], env });

// The first line names SchAcc, the second the session service (docs/PROTOCOL.md, CLI).
const lines = createInterface({ input: emulator.stdout });
const banner = [];
lines.on('line', (line) => {
  if (banner.length >= 2) return console.log(line);
  banner.push(line);
  console.log(line);
  if (banner.length < 2) return;
  const port = banner[0].match(/:(\d+)$/)?.[1];
  const server = `http://localhost:${port}`;
  const session = banner[1].match(/listening on (\S+)$/)?.[1];
  const query = new URLSearchParams();
  if (server !== 'http://localhost:9000') query.set('server', server);
  if (session !== 'http://127.0.0.1:9001') query.set('session', session);
  console.log(`demo serving on ${demo.origin}`);
  console.log(`\nOpen ${demo.origin}/${query.size ? `?${query}` : ''}\n`);
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
