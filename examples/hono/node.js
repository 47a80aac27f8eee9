// The Hono app in Node: `node examples/hono/node.js` (PORT, HITPAY_SALT, SR_USER,
// SR_PASSWORD from the environment). Listens on 127.0.0.1 only.
import { pathToFileURL } from 'node:url';
import { serve } from '@hono/node-server';
import { app } from './app.js';

export function start(port = Number(process.env.PORT ?? 3000)) {
  return serve({ fetch: (request) => app.fetch(request, process.env), port, hostname: '127.0.0.1' });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const server = start();
  server.on('listening', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
}
