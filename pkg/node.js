// Node entry: loads the wasm synchronously at import, so no init call is needed. The
// wasm is inlined in gen/payhook_core_wasm.js (not read from a file next to this one),
// so a bundle of an app that imports payhook still works after it is moved.
import { Buffer } from 'node:buffer';
import { gunzipSync } from 'node:zlib';
import { initSync } from './gen/payhook_core.js';
import wasm from './gen/payhook_core_wasm.js';

initSync({ module: gunzipSync(Buffer.from(wasm, 'base64')) });

export * from './core.js';
