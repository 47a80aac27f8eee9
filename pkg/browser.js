// Browser entry (native ES modules and bundlers such as Vite): fetches and
// instantiates the wasm with a top-level await, so no init call is needed.
import init from './gen/payhook_core.js';

await init({ module_or_path: new URL('./gen/payhook_core_bg.wasm', import.meta.url) });

export * from './core.js';
