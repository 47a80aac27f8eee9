// `payhook/hapi` in Node: the HAPI Elements functions over the HAPI-only wasm,
// inlined in gen/payhook_hapi_wasm.js and loaded synchronously at import as node.js
// does.
import { Buffer } from 'node:buffer';
import { gunzipSync } from 'node:zlib';
import { initSync } from './gen/payhook_hapi.js';
import wasm from './gen/payhook_hapi_wasm.js';

initSync({ module: gunzipSync(Buffer.from(wasm, 'base64')) });

export * from './hapi-exports.js';
