// `node examples/fastify/server.js` (PORT, HITPAY_SALT from the environment).
// Listens on 127.0.0.1 only.
import { pathToFileURL } from 'node:url';
import { createApp } from './app.js';

export async function start(port = Number(process.env.PORT ?? 3000), hitpaySalt = process.env.HITPAY_SALT) {
  const app = createApp({ hitpaySalt });
  await app.listen({ port, host: '127.0.0.1' });
  return app;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const app = await start();
  console.log(`listening on http://127.0.0.1:${app.server.address().port}`);
}
