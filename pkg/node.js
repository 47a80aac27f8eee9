// Node entry: loads the wasm synchronously at import, so no init call is needed.
import { readFileSync } from 'node:fs';
import { initSync } from './gen/payhook_core.js';

initSync({ module: readFileSync(new URL('./gen/payhook_core_bg.wasm', import.meta.url)) });

export * from './core.js';
