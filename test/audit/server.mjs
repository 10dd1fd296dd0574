/**
 * The audit tests' web: one loopback server answering by Host header, reached under real-looking
 * names through Chromium's --host-resolver-rules (`hostRules`): www.oph31.fr serves the fixture
 * sites, the built drop-in and the repository's demo; tracker.example and ads.example are the
 * third parties. `hang` is a second server that accepts connections and never answers.
 */
import { createServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.gif': 'image/gif', '.png': 'image/png' };
const FIXTURES = 'test/audit/fixtures';

function fileFor(host, path) {
  if (host === 'tracker.example' || host === 'ads.example') return join(FIXTURES, 'tracker', path);
  if (path === '/oph-consent.min.js') return 'dist/oph-consent.min.js';
  if (/^\/(demo|dist|catalog)\//.test(path)) return join('.', path);
  return join(FIXTURES, path);
}

export async function startSites() {
  const server = createServer(async (req, res) => {
    const host = (req.headers.host ?? '').split(':')[0];
    let path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (path.endsWith('/')) path += 'index.html';
    try {
      const body = await readFile(fileFor(host, path));
      const headers = { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-store' };
      // A planted fault the server makes: an analytics cookie set by the page's own response, before any choice.
      if (host === 'www.oph31.fr' && path === '/faulty/page2.html') headers['set-cookie'] = 'srv_visit=1; Max-Age=3600; Path=/; HttpOnly';
      // One the browser refuses (SameSite=None without Secure): never stored, so never reported as a cookie.
      if (host === 'ads.example') headers['set-cookie'] = 'tk_uid=1; Max-Age=86400; Path=/; SameSite=None';
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  const sockets = new Set();
  const hang = createTcpServer((socket) => sockets.add(socket)); // accepts, never answers
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  await new Promise((r) => hang.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  const hostRules = `--host-resolver-rules=MAP www.oph31.fr 127.0.0.1:${port}, MAP tracker.example 127.0.0.1:${port}, MAP ads.example 127.0.0.1:${port}, MAP slow.oph31.fr 127.0.0.1:${hang.address().port}`;
  return {
    hostRules,
    close() {
      for (const s of sockets) s.destroy();
      server.closeAllConnections?.();
      server.close();
      hang.close();
    },
  };
}
