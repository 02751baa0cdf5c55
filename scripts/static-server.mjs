// A small static file server for the demo and the browser tests.
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.ts': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
};

/**
 * Serves `root` (and `mounts`: URL prefix → directory) on host:port.
 * Resolves with { server, origin } once listening; port 0 picks a free port.
 * `tls: { key, cert }` (PEM) serves HTTPS instead of HTTP.
 */
export function serveStatic({ root, mounts = {}, host = '127.0.0.1', port = 0, tls = null }) {
  const handler = async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      let base = root;
      let rest = path;
      for (const [prefix, dir] of Object.entries(mounts)) {
        if (path === prefix || path.startsWith(prefix + '/')) {
          base = dir;
          rest = path.slice(prefix.length) || '/';
          break;
        }
      }
      let file = normalize(join(base, rest));
      if (file !== base && !file.startsWith(base.endsWith(sep) ? base : base + sep)) throw Object.assign(new Error(), { status: 403 });
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
      res.end(body);
    } catch (error) {
      res.writeHead(error.status ?? 404, { 'content-type': 'text/plain' });
      res.end(error.status === 403 ? 'Forbidden' : 'Not found');
    }
  };
  const server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, handler) : createServer(handler);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: bound } = server.address();
      resolve({ server, origin: `${tls ? 'https' : 'http'}://${host}:${bound}` });
    });
  });
}
