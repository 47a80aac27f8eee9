// Cloudflare Workers entry: wrangler/esbuild import the .wasm file as a compiled
// WebAssembly.Module, which is instantiated synchronously here.
import wasmModule from './gen/payhook_core_bg.wasm';
import { initSync } from './gen/payhook_core.js';

initSync({ module: wasmModule });

export * from './core.js';
