// Decodes a wasm inlined by `make build` (gen/<name>_wasm.js: base64 of its gzip) into
// a Response for the wasm-bindgen init function, which compiles it while it is being
// decompressed (WebAssembly.instantiateStreaming). For the browser entries; the Node
// entries decode it synchronously with node:zlib. Needs DecompressionStream (Chrome 80,
// Firefox 113, Safari 16.4).
export function inlineWasmResponse(base64) {
  const text = atob(base64);
  const gzip = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) gzip[i] = text.charCodeAt(i);
  return new Response(new Blob([gzip]).stream().pipeThrough(new DecompressionStream('gzip')), {
    headers: { 'content-type': 'application/wasm' },
  });
}
