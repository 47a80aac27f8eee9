// What `payhook/hapi` exports, over the HAPI-only wasm's generated functions
// (gen/api-hapi.js); its entries (hapi.js for browsers, hapi-node.js for Node)
// only load that wasm. PayhookError is the same class as `payhook`'s (common.js).
import { buildHapiCallbackUrl } from './gen/api-hapi.js';
import * as hapi from './hapi-api.js';

export { PayhookError } from './common.js';
export { buildHapiCallbackUrl, parseHapiCallback } from './gen/api-hapi.js';

/**
 * Builds the callback URL and sets it on `window.hapi.wallet.state` now, or when
 * HAPI fires `hapi:load:script`. Resolves to the URL set.
 */
export function setHapiSuccessCallbackUrl(base, params) {
  return hapi.setHapiSuccessCallbackUrl(buildHapiCallbackUrl, base, params);
}
