// The Hono app as a Cloudflare Worker: wrangler bundles 'payhook' through its
// workerd condition. Secrets: `wrangler secret put HITPAY_SALT` (and SR_USER,
// SR_PASSWORD).
import { app } from './app.js';

export default app;
