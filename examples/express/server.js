// `node examples/express/server.js` (PORT, HITPAY_SALT from the environment).
// Listens on 127.0.0.1 only.
import { pathToFileURL } from 'node:url';
import { createApp } from './app.js';

export function start(port = Number(process.env.PORT ?? 3000), hitpaySalt = process.env.HITPAY_SALT) {
  return createApp({ hitpaySalt }).listen(port, '127.0.0.1');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const server = start();
  server.on('listening', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
}
