// `payhook/hapi` in Cloudflare Workers: the HAPI Elements functions (hapi-exports.js)
// over the HAPI-only wasm, which wrangler/esbuild import as a compiled
// WebAssembly.Module, instantiated synchronously here as workerd.js does.
import wasmModule from './gen/payhook_hapi_bg.wasm';
import { initSync } from './gen/payhook_hapi.js';

initSync({ module: wasmModule });

export * from './hapi-exports.js';
