// For the browser entries: a wasm inlined by `make build` (gen/<name>_wasm.js: base64
// of its gzip) as a Response that the wasm-bindgen init function compiles while it is
// decompressed. Needs DecompressionStream (Chrome 80, Firefox 113, Safari 16.4).
export function inlineWasmResponse(base64) {
  const text = atob(base64);
  const gzip = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) gzip[i] = text.charCodeAt(i);
  return new Response(new Blob([gzip]).stream().pipeThrough(new DecompressionStream('gzip')), {
    headers: { 'content-type': 'application/wasm' },
  });
}
