// The HAPI Elements functions (buildHapiCallbackUrl, parseHapiCallback,
// setHapiSuccessCallbackUrl) over a given glue module: the full one in core.js
// (`payhook`), the HAPI-only one (gen/payhook_hapi.js, a wasm with only
// hapi_build_callback_url and hapi_parse_callback) in hapi.js and hapi-node.js
// (`payhook/hapi`). Same code, same results and errors in both.
import {
  PayhookError, URL_LIMIT, check, fail, isWellFormed, item, items, pairsToObject, plainObject, text, whatwg,
} from './common.js';

// The custom parameters as a list for the core ([k, v, …] items, see item()).
function paramList(params) {
  if (params === undefined || params === null) return '';
  const p = plainObject(params, 'params');
  const entries = Object.entries(p);
  // Each parameter adds at least "&k=": this many can only give a URL over 2048
  // characters (refused here rather than after a long scan).
  if (entries.length > 682) fail('INVALID_URL', 'the URL would be longer than 2048 characters', 'params');
  let flat = '';
  let total = 0;
  for (const [k, v] of entries) {
    total += k.length + (typeof v === 'string' ? v.length : 0);
    if (total > 2048) fail('INVALID_URL', 'the URL would be longer than 2048 characters', 'params');
    if (!isWellFormed(k)) fail('INVALID_FIELD', 'a parameter name contains a lone UTF-16 surrogate', k);
    flat += item(k) + item(text(v, k));
  }
  return flat;
}

// Each function takes the glue as its first argument (`raw`: an initialised
// wasm-bindgen glue module with `hapi_build_callback_url` and `hapi_parse_callback`,
// or an object with just those two); the entries bind it. Plain module-level
// functions, so a bundler drops the ones an app does not use (a Worker never
// needs setHapiSuccessCallbackUrl).

/** The value for `window.hapi.wallet.state.paymentIntentSuccessCallbackUrl`. */
export function buildHapiCallbackUrl(raw, base, params) {
  const href = whatwg(base, 'base');
  const flat = paramList(params);
  return check(raw.hapi_build_callback_url(href, flat), 'base');
}

/** Parses the URL of an incoming HAPI callback (absolute, or a path starting with `/`). */
export function parseHapiCallback(raw, url) {
  const u = text(url, 'url', URL_LIMIT, 'the URL');
  const list = items(check(raw.hapi_parse_callback(u)));
  const result = { kind: list[0], amount: list[1], walletId: list[2] };
  if (list[3] === '1') result.draftCampaignId = list[4];
  result.params = pairsToObject(list, 5, list.length);
  return result;
}

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
