#![doc = include_str!("../README.md")]
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

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

pub use error::{Code, Error, Result};
