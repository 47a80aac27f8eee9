// `payhook/hapi` for browsers and bundlers (such as Vite): only the HAPI Elements
// functions, over a wasm that has only their exports (gen/payhook_hapi_bg.wasm,
// about a quarter of the full one). Fetches and instantiates it with a top-level
// await, as browser.js does, so no init call is needed. PayhookError is the same
// class as `payhook`'s (common.js).
import init, * as raw from './gen/payhook_hapi.js';
import * as hapi from './hapi-api.js';

await init({ module_or_path: new URL('./gen/payhook_hapi_bg.wasm', import.meta.url) });

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

