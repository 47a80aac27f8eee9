//! Helpers shared by the integration tests: independent references (HMAC-SHA256
//! with the `hmac` and `sha2` crates, hex and base64 written here from RFC 4648)
//! and the reader of the shared vector files. Never computed with payhook.
//!
//! Each test file includes it with `mod common;` and uses a part of it.
#![allow(dead_code, clippy::unwrap_used, clippy::indexing_slicing)]

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// HMAC-SHA256 of `message` with `key`.
pub fn mac(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut m = Hmac::<Sha256>::new_from_slice(key).unwrap();
    m.update(message);
    m.finalize().into_bytes().into()
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// HMAC-SHA256 of `message` with `key`, in lowercase hex.
pub fn hmac_hex(key: &[u8], message: &[u8]) -> String {
    hex(&mac(key, message))
}

/// Base64 (RFC 4648) over `alphabet`, with `=` padding when `pad`.
fn base64(alphabet: &[u8; 64], bytes: &[u8], pad: bool) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(alphabet[((n >> (18 - 6 * i)) & 63) as usize]));
            } else if pad {
                out.push('=');
            }
        }
    }
    out
}

/// base64url without padding (RFC 4648 §5).
pub fn b64url(bytes: &[u8]) -> String {
    base64(
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
        bytes,
        false,
    )
}

/// Standard padded base64 (RFC 4648 §4).
pub fn b64(bytes: &[u8]) -> String {
    base64(
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        bytes,
        true,
    )
}

/// A file of tests/vectors/ (shared with the Node tests), parsed.
pub fn vectors(file: &str) -> serde_json::Value {
    let path = format!("{}/tests/vectors/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not JSON: {e}"))
}

/// A vector case's `name`.
pub fn name(case: &serde_json::Value) -> &str {
    case["name"].as_str().expect("every case has a name")
}

#[test]
fn references_match_known_answers() {
    // RFC 4648 §10 test vectors, and RFC 4231 test case 2 for HMAC-SHA256.
    for (input, std, url) in [
        ("", "", ""),
        ("f", "Zg==", "Zg"),
        ("fo", "Zm8=", "Zm8"),
        ("foo", "Zm9v", "Zm9v"),
        ("foob", "Zm9vYg==", "Zm9vYg"),
        ("fooba", "Zm9vYmE=", "Zm9vYmE"),
        ("foobar", "Zm9vYmFy", "Zm9vYmFy"),
    ] {
        assert_eq!(b64(input.as_bytes()), std);
        assert_eq!(b64url(input.as_bytes()), url);
    }
    assert_eq!(b64url(&[0xfb, 0xff]), "-_8");
    assert_eq!(b64(&[0xfb, 0xff]), "+/8=");
    assert_eq!(
        hmac_hex(b"Jefe", b"what do ya want for nothing?"),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
}
