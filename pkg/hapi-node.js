// `payhook/hapi` in Node: the HAPI Elements functions over the HAPI-only wasm,
// loaded synchronously at import as node.js does. PayhookError is the same class
// as `payhook`'s (common.js).
import { readFileSync } from 'node:fs';
import * as raw from './gen/payhook_hapi.js';
import * as hapi from './hapi-api.js';

raw.initSync({ module: readFileSync(new URL('./gen/payhook_hapi_bg.wasm', import.meta.url)) });

export { PayhookError } from './common.js';

/** The value for `window.hapi.wallet.state.paymentIntentSuccessCallbackUrl`. */
export function buildHapiCallbackUrl(base, params) {
  return hapi.buildHapiCallbackUrl(raw, base, params);
}

/** Parses the URL of an incoming HAPI callback (absolute, or a path starting with `/`). */
export function parseHapiCallback(url) {
  return hapi.parseHapiCallback(raw, url);
}

/**
 * Builds the callback URL and sets it on `window.hapi.wallet.state` now, or when
 * HAPI fires `hapi:load:script`. Resolves to the URL set.
 */
export function setHapiSuccessCallbackUrl(base, params) {
  return hapi.setHapiSuccessCallbackUrl(buildHapiCallbackUrl, base, params);
}

