#![doc = include_str!("../README.md")]
#![no_std]
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

extern crate alloc;
#[cfg(any(test, not(target_arch = "wasm32")))]
extern crate std;

mod prelude {
    pub use alloc::borrow::ToOwned;
    #[cfg(test)]
    pub use alloc::format;
    pub use alloc::string::{String, ToString};
    pub use alloc::vec;
    pub use alloc::vec::Vec;
}

#[cfg(all(target_arch = "wasm32", not(test)))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

#[cfg(all(target_arch = "wasm32", not(test)))]
#[global_allocator]
static ALLOC: wasm_alloc::Allocator = wasm_alloc::Allocator::new();

pub mod callback_url;
pub mod diagnose;
pub mod error;
pub mod form;
pub mod hapi;
pub mod hitpay;
pub mod http;
pub mod json;
pub mod limits;
pub mod payex;
pub mod signature;
pub mod smart_router;
pub mod sort;
pub mod url;

#[cfg(target_arch = "wasm32")]
mod wasm;
#[cfg(target_arch = "wasm32")]
mod wasm_alloc;

pub use error::{Code, Error, Result};
