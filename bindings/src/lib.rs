//! The JavaScript bindings of payhook: the only crate that knows about
//! WebAssembly and wasm-bindgen.
//!
//! - [`schema`]: what every export takes and returns, declared once. `cargo run
//!   -p xtask -- gen` turns it into the JavaScript decoders and wrappers, the
//!   shared constants and the TypeScript declarations (`pkg/gen/api*.js`,
//!   `pkg/gen/api.d.ts`), and checks it against wasm-bindgen's own view of the
//!   exports.
//! - [`wire`]: how a result crosses: one string per call (see there).
//! - `exports`: the `#[wasm_bindgen]` functions, each delegating to the core.
//!
//! The wasm build gets its allocator (lol_alloc's free list) and a panic handler
//! that traps here; the core crate has neither.
#![no_std]

extern crate alloc;
#[cfg(not(target_arch = "wasm32"))]
extern crate std;

#[cfg(target_arch = "wasm32")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

// One thread (wasm32 without the atomics feature): the lock is never contended.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOC: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

mod exports;
pub mod schema;
pub mod wire;

pub use exports::{EXPORTS, RECORDS};
