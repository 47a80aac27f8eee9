// `payhook/hapi` for browsers and bundlers (such as Vite): only the HAPI Elements
// functions, over a wasm that has only their exports (gen/payhook_hapi_bg.wasm,
// about a quarter of the full one). Fetches and instantiates it with a top-level
// await, as browser.js does, so no init call is needed.
import init from './gen/payhook_hapi.js';

await init({ module_or_path: new URL('./gen/payhook_hapi_bg.wasm', import.meta.url) });

export * from './hapi-exports.js';
