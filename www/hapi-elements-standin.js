/*
 * hapi-elements-standin.js: a STAND-IN for the HAPI Elements script (VONQ), for
 * payhook's demo and browser tests. It is NOT HAPI Elements, it is not made by
 * VONQ, and it does nothing HAPI does: no widget, no wallet, no payment, and not
 * a single network request. Never load it in a real ATS.
 *
 * It reproduces only what an ATS front end touches to set the payment success
 * callback, the way the HAPI Elements documentation describes it:
 *
 *   window.hapiInjector.setConfig(key, value)   e.g. setConfig('clientToken', token)
 *   window.hapiInjector.inject()                a Promise that resolves once HAPI has
 *                                               loaded (rejects without a clientToken)
 *   'hapi:load:script'                          dispatched on window when HAPI has
 *                                               loaded, before inject() resolves
 *   window.hapi.wallet.state.paymentIntentSuccessCallbackUrl
 *                                               null until the ATS sets it
 *
 * Added with `data-hapi-autoload` (and `data-client-token`) on its <script> tag,
 * it injects itself, as HAPI does when added with a plain <script> tag: the page
 * then learns that HAPI is there only through 'hapi:load:script'.
 *
 * Stand-in only, not part of HAPI: `window.hapi.standin === true`,
 * `window.hapiInjector.standin === true`, and a 'hapi-standin:state' event on
 * window each time a wallet state property is set, with
 * `detail: { key, value, duringLoadEvent }`, so that the demo can show when
 * (and through which path) the URL was set.
 */
(() => {
  'use strict';

  // Roughly a network round trip: long enough that HAPI is visibly not there yet.
  const LOAD_DELAY_MS = 150;
  const script = document.currentScript;

  function autoload(injector) {
    if (!script || script.dataset.hapiAutoload === undefined) return;
    injector.setConfig('clientToken', script.dataset.clientToken ?? '');
    injector.inject().catch((err) => console.error(err));
  }

  // Added twice (say, once with a <script> tag and once by code): one HAPI.
  if (window.hapiInjector?.standin) {
    autoload(window.hapiInjector);
    return;
  }

  const config = new Map();
  let loading = null;
  let inLoadEvent = false;

  function createWalletState() {
    const values = { paymentIntentSuccessCallbackUrl: null };
    const state = {};
    for (const key of Object.keys(values)) {
      Object.defineProperty(state, key, {
        enumerable: true,
        get: () => values[key],
        set: (value) => {
          values[key] = value;
          window.dispatchEvent(new CustomEvent('hapi-standin:state', {
            detail: { key, value, duringLoadEvent: inLoadEvent },
          }));
        },
      });
    }
    return state;
  }

  const injector = {
    standin: true,
    setConfig(key, value) {
      config.set(String(key), value);
    },
    getConfig(key) {
      return config.get(String(key));
    },
    inject() {
      if (loading) return loading;
      const token = config.get('clientToken');
      if (typeof token !== 'string' || token === '') {
        return Promise.reject(new Error(
          '[HAPI Elements stand-in] no clientToken: call hapiInjector.setConfig("clientToken", token) before inject()'));
      }
      loading = new Promise((resolve) => {
        setTimeout(() => {
          window.hapi = Object.freeze({
            standin: true,
            version: 'stand-in',
            wallet: Object.freeze({ state: createWalletState() }),
          });
          inLoadEvent = true;
          try {
            window.dispatchEvent(new CustomEvent('hapi:load:script'));
          } finally {
            inLoadEvent = false;
          }
          resolve();
        }, LOAD_DELAY_MS);
      });
      return loading;
    },
  };

  window.hapiInjector = injector;
  autoload(injector);
})();
