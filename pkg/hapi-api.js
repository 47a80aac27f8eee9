// setHapiSuccessCallbackUrl over a given build function: gen/api.js's
// buildHapiCallbackUrl in core.js (`payhook`), gen/api-hapi.js's (the HAPI-only
// wasm) in hapi.js and hapi-node.js (`payhook/hapi`). Same code, same results and
// errors in both.
import { PayhookError } from './common.js';

/**
 * Builds the callback URL with `build(base, params)` and sets it on
 * `window.hapi.wallet.state` now, or when HAPI fires `hapi:load:script`. Resolves
 * to the URL set.
 */
export function setHapiSuccessCallbackUrl(build, base, params) {
  let url;
  try {
    url = build(base, params);
  } catch (e) {
    return Promise.reject(e);
  }
  const w = globalThis.window ?? globalThis;
  const state = () => w.hapi?.wallet?.state;
  return new Promise((resolve, reject) => {
    const set = () => {
      const s = state();
      if (!s) return false;
      s.paymentIntentSuccessCallbackUrl = url;
      resolve(url);
      return true;
    };
    if (set()) return;
    if (typeof w.addEventListener !== 'function') {
      reject(new PayhookError('INVALID_FIELD', 'there is no window.hapi.wallet.state and no window to wait on: call this in the browser page that loads HAPI Elements', 'window'));
      return;
    }
    const onLoad = () => {
      if (set()) w.removeEventListener('hapi:load:script', onLoad);
    };
    w.addEventListener('hapi:load:script', onLoad);
  });
}
