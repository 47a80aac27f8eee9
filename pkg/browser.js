// Browser entry (native ES modules and bundlers): the wasm is inlined in
// gen/payhook_core_wasm.js, so there is no .wasm file for a bundler to find, and it is
// instantiated with a top-level await, so no init call is needed. A top-level await
// needs ES module output: esbuild's iife and cjs formats refuse it, with the comment
// below in their error message.
import init from './gen/payhook_core.js';
import wasm from './gen/payhook_core_wasm.js';
import { inlineWasmResponse } from './inline-wasm.js';

await /* needs ES module output: esbuild --format=esm */ init({ module_or_path: inlineWasmResponse(wasm) });

export * from './core.js';
