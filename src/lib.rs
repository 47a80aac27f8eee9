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
//! The public API is the provider modules ([`hitpay`], [`hapi`], [`smart_router`],
//! [`payex`], [`callback_url`], [`diagnose`]), the requests they build
//! ([`http::HttpRequest`]), the [`limits`], and [`Error`] with its [`Code`]. The
//! parsers they share (form, JSON, URL, sorting, signatures) are private. The
//! JavaScript bindings are another crate (`payhook-wasm`, in `bindings/`).

extern crate alloc;
#[cfg(test)]
extern crate std;

mod prelude {
    pub use alloc::borrow::ToOwned;
    #[cfg(test)]
    pub use alloc::format;
    pub use alloc::string::{String, ToString};
    pub use alloc::vec;
    pub use alloc::vec::Vec;
}

pub mod callback_url;
pub mod diagnose;
pub mod error;
pub mod hapi;
pub mod hitpay;
pub mod http;
pub mod limits;
pub mod payex;
pub mod smart_router;

mod form;
mod json;
mod signature;
mod sort;
mod url;

pub use error::{Code, Error, Result};

/// Not part of the API (no semver promise): what the bindings crate and the
/// fuzz and secret-scan tests reach into.
#[doc(hidden)]
pub mod __private {
    pub use crate::error::{parse_decimal, push_decimal, push_number};
    pub use crate::form::Pair;
    pub use crate::signature::Key;
    /// The URL splitter the fuzz targets check the build functions against.
    pub mod url {
        pub use crate::url::{is_loopback_host, split, Parts};
    }
}
