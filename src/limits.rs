//! Input size limits, checked before any other work.

/// Form bodies, and Smart Router / PayEx JSON bodies.
pub const FORM_BODY: usize = 64 * 1024;
/// HitPay event (JSON) bodies.
pub const EVENT_BODY: usize = 1024 * 1024;
/// URLs given to a parse or verify function.
pub const URL_INPUT: usize = 8 * 1024;
/// The longest URL a build function returns.
pub const URL_OUTPUT: usize = 2048;
/// Any other string argument of the JavaScript API (a secret, salt, password,
/// token, header value, parameter or field value): the bindings refuse longer
/// ones before copying them into wasm memory.
pub const TEXT: usize = 64 * 1024;
