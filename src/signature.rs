//! HMAC-SHA256 and the encodings signatures travel in.
//!
//! Verification always compares decoded MAC bytes with [`ct_eq`] (constant time).
use crate::prelude::*;

use hmac::{Hmac, Mac};
use sha2::Sha256;

pub type HmacSha256 = Hmac<Sha256>;

/// A keyed HMAC-SHA256 state. The key is only inside the (opaque) hmac state.
#[derive(Clone)]
pub struct Key(HmacSha256);

impl core::fmt::Debug for Key {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Key(<redacted>)")
    }
}

impl Key {
    /// HMAC accepts keys of any length, so this cannot fail; an empty key is
    /// refused by the callers before they get here.
    pub fn new(key: &[u8]) -> Key {
        match HmacSha256::new_from_slice(key) {
            Ok(mac) => Key(mac),
            // Unreachable for HMAC (any key length is valid); fall back to an empty key.
            Err(_) => Key(<HmacSha256 as Mac>::new(&Default::default())),
        }
    }

    /// Starts a MAC computation with this key.
    pub fn start(&self) -> HmacSha256 {
        self.0.clone()
    }

    pub fn sign(&self, message: &[u8]) -> [u8; 32] {
        let mut mac = self.start();
        mac.update(message);
        finish(mac)
    }
}

/// The MAC of everything fed to `mac`.
pub fn finish(mac: HmacSha256) -> [u8; 32] {
    mac.finalize().into_bytes().into()
}

/// Whether `mac` matches `received`, compared in constant time.
pub fn verify(mac: HmacSha256, received: &[u8; 32]) -> bool {
    ct_eq(&finish(mac), received)
}

/// Lowercase hex.
pub fn hex_encode(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        push_hex(&mut s, b, false);
    }
    s
}

/// Appends `b` as two hex digits, uppercase when `upper`.
pub(crate) fn push_hex(out: &mut String, b: u8, upper: bool) {
    // `| 0x20` lowercases a letter and leaves a digit as it is.
    let case = if upper { 0 } else { 0x20 };
    for nibble in [b >> 4, b & 15] {
        let digit = if nibble < 10 {
            b'0' + nibble
        } else {
            b'A' - 10 + nibble
        };
        out.push(char::from(digit | case));
    }
}

/// Decodes exactly 64 hex digits (either case) into 32 bytes.
pub fn hex_decode_32(s: &[u8]) -> Option<[u8; 32]> {
    let s: &[u8; 64] = s.try_into().ok()?;
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        let hi = hex_digit(*s.get(2 * i)?)?;
        let lo = hex_digit(*s.get(2 * i + 1)?)?;
        *byte = hi << 4 | lo;
    }
    Some(out)
}

/// The value of one hex digit, either case. (Signatures are public: no need for
/// constant time here; the MAC comparison is.)
#[inline(always)]
pub(crate) fn hex_digit(b: u8) -> Option<u8> {
    let d = b.wrapping_sub(b'0');
    if d < 10 {
        return Some(d);
    }
    let l = (b | 0x20).wrapping_sub(b'a');
    (l < 6).then_some(l + 10)
}

/// Constant-time equality of two MACs: no branch depends on the bytes, and the
/// difference is folded through `black_box` so the compiler cannot stop early.
pub fn ct_eq(a: &[u8; 32], b: &[u8; 32]) -> bool {
    let mut diff = 0u8;
    for (x, y) in a.iter().zip(b) {
        diff = core::hint::black_box(diff | (x ^ y));
    }
    diff == 0
}

const B64_STD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn b64_encode(alphabet: &[u8; 64], bytes: &[u8], pad: bool) -> String {
    let sym = |i: u32| char::from(alphabet.get((i & 63) as usize).copied().unwrap_or(b'A'));
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b0 = u32::from(chunk.first().copied().unwrap_or(0));
        let b1 = u32::from(chunk.get(1).copied().unwrap_or(0));
        let b2 = u32::from(chunk.get(2).copied().unwrap_or(0));
        let n = b0 << 16 | b1 << 8 | b2;
        out.push(sym(n >> 18));
        out.push(sym(n >> 12));
        if chunk.len() > 1 {
            out.push(sym(n >> 6));
        } else if pad {
            out.push('=');
        }
        if chunk.len() > 2 {
            out.push(sym(n));
        } else if pad {
            out.push('=');
        }
    }
    out
}

/// base64url without padding (RFC 4648 §5).
pub fn base64url_encode(bytes: &[u8]) -> String {
    b64_encode(B64_URL, bytes, false)
}

/// Standard base64 with padding.
pub fn base64_encode(bytes: &[u8]) -> String {
    b64_encode(B64_STD, bytes, true)
}

fn b64_value(alphabet: &[u8; 64], c: u8) -> Option<u32> {
    alphabet.iter().position(|&a| a == c).map(|p| p as u32)
}

/// Strict decoding: canonical only (padding required for the standard alphabet and
/// forbidden for url; unused bits must be zero).
fn b64_decode(alphabet: &[u8; 64], s: &[u8], padded: bool) -> Option<Vec<u8>> {
    let body = if padded {
        if s.len() % 4 != 0 {
            return None;
        }
        let pads = s.iter().rev().take_while(|&&c| c == b'=').count();
        if pads > 2 {
            return None;
        }
        s.get(..s.len() - pads)?
    } else {
        s
    };
    if body.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    for chunk in body.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= b64_value(alphabet, c)? << (18 - 6 * i as u32);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        let keep = chunk.len() - 1;
        // Bits beyond the last full byte must be zero (canonical encoding).
        let unused_mask: u32 = match chunk.len() {
            2 => 0xFFFF,
            3 => 0xFF,
            _ => 0,
        };
        if n & unused_mask != 0 {
            return None;
        }
        out.extend_from_slice(bytes.get(..keep)?);
    }
    Some(out)
}

/// base64url, no padding, canonical.
pub fn base64url_decode(s: &[u8]) -> Option<Vec<u8>> {
    b64_decode(B64_URL, s, false)
}

/// Standard base64 with required padding, canonical.
pub fn base64_decode(s: &[u8]) -> Option<Vec<u8>> {
    b64_decode(B64_STD, s, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    use proptest::prelude::*;

    #[test]
    fn hmac_matches_rfc4231() {
        // Test cases 1, 3, 4, 6 and 7 of RFC 4231 (a key longer than a block in 6 and 7).
        let cases: [(Vec<u8>, Vec<u8>, &str); 5] = [
            (vec![0x0b; 20], b"Hi There".to_vec(), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
            (vec![0xaa; 20], vec![0xdd; 50], "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
            ((1..=25).collect(), vec![0xcd; 50], "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
            (vec![0xaa; 131], b"Test Using Larger Than Block-Size Key - Hash Key First".to_vec(), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
            (vec![0xaa; 131], b"This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".to_vec(), "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
        ];
        for (key, message, expected) in cases {
            assert_eq!(hex_encode(&Key::new(&key).sign(&message)), expected);
        }
    }

    proptest! {
        /// `verify` (the constant-time comparison) accepts the MAC and refuses it
        /// with any single bit changed.
        #[test]
        fn a_changed_mac_never_verifies(
            key in proptest::collection::vec(any::<u8>(), 1..80),
            message in proptest::collection::vec(any::<u8>(), 0..100),
            at in 0usize..32,
            bit in 0u8..8,
        ) {
            let good = Key::new(&key).sign(&message);
            let mut wrong = good;
            wrong[at] ^= 1 << bit;
            let mac = |m: &[u8]| { let mut mac = Key::new(&key).start(); mac.update(m); mac };
            prop_assert!(verify(mac(&message), &good));
            prop_assert!(!verify(mac(&message), &wrong));
        }
    }

    #[test]
    fn hmac_matches_rfc4231_case_2() {
        let mac = Key::new(b"Jefe").sign(b"what do ya want for nothing?");
        assert_eq!(
            hex_encode(&mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn hex_round_trip_and_case() {
        let h = "5BDCC146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
        let bytes = hex_decode_32(h.as_bytes()).unwrap();
        assert_eq!(hex_encode(&bytes), h.to_ascii_lowercase());
        assert!(hex_decode_32(&h.as_bytes()[..62]).is_none());
        assert!(hex_decode_32(h.replace('5', "g").as_bytes()).is_none());
    }

    #[test]
    fn push_hex_and_push_percent_match_format() {
        for b in 0..=255u8 {
            let (mut lower, mut upper, mut percent) = (String::new(), String::new(), String::new());
            push_hex(&mut lower, b, false);
            push_hex(&mut upper, b, true);
            crate::form::push_percent(&mut percent, b);
            assert_eq!(lower, format!("{b:02x}"));
            assert_eq!(upper, format!("{b:02X}"));
            assert_eq!(percent, format!("%{b:02X}"));
        }
    }

    #[test]
    fn base64_matches_rfc4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, enc) in cases {
            assert_eq!(base64_encode(plain.as_bytes()), enc);
            assert_eq!(base64_decode(enc.as_bytes()).unwrap(), plain.as_bytes());
            let url = enc.trim_end_matches('=');
            assert_eq!(base64url_encode(plain.as_bytes()), url);
            assert_eq!(base64url_decode(url.as_bytes()).unwrap(), plain.as_bytes());
        }
    }

    #[test]
    fn base64_refuses_non_canonical() {
        assert!(base64_decode(b"Zg").is_none()); // padding required
        assert!(base64_decode(b"Zh==").is_none()); // unused bits set
        assert!(base64_decode(b"Z===").is_none());
        assert!(base64_decode(b"Zm9v!").is_none());
        assert!(base64url_decode(b"Zg==").is_none()); // no padding in url form
        assert!(base64url_decode(b"Z").is_none());
    }
}
