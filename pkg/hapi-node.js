// `payhook/hapi` in Node: the HAPI Elements functions over the HAPI-only wasm,
// loaded synchronously at import as node.js does.
import { readFileSync } from 'node:fs';
import { initSync } from './gen/payhook_hapi.js';

initSync({ module: readFileSync(new URL('./gen/payhook_hapi_bg.wasm', import.meta.url)) });

export * from './hapi-exports.js';
