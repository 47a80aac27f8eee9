// `payhook/hapi` for browsers and bundlers: only the HAPI Elements functions, over a
// wasm that has only their exports (about a quarter of the full one), inlined in
// gen/payhook_hapi_wasm.js and instantiated with a top-level await, as browser.js
// does, so no init call is needed.
import init from './gen/payhook_hapi.js';
import wasm from './gen/payhook_hapi_wasm.js';
import { inlineWasmResponse } from './inline-wasm.js';

await /* needs ES module output: esbuild --format=esm */ init({ module_or_path: inlineWasmResponse(wasm) });

export * from './hapi-exports.js';
