//! The error model: one flat enum of stable codes, plus the field it is about.
//!
//! Messages are short sentences that say what to fix. They are built only from
//! static text and field names, never from secrets, salts or signatures.
use crate::prelude::*;

use core::fmt;

/// A stable error code. Each variant maps one-to-one to a contract code string.
///
/// New codes may be added (the contract grows): a `match` on a `Code` outside this
/// crate needs a `_` arm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "SCREAMING_SNAKE_CASE"))]
#[non_exhaustive]
pub enum Code {
    MalformedBody,
    PayloadTooLarge,
    MissingField,
    DuplicateField,
    InvalidField,
    MissingSignature,
    MalformedSignature,
    SignatureMismatch,
    Expired,
    InvalidSecret,
    InvalidUrl,
    InsecureUrl,
    ReservedQueryKey,
    InvalidAmount,
    InvalidCurrency,
    /// Credentials missing or wrong (a request whose basic auth does not match).
    Unauthorized,
}

impl Code {
    /// Every code, in contract order.
    pub const ALL: [Code; 16] = [
        Code::MalformedBody,
        Code::PayloadTooLarge,
        Code::MissingField,
        Code::DuplicateField,
        Code::InvalidField,
        Code::MissingSignature,
        Code::MalformedSignature,
        Code::SignatureMismatch,
        Code::Expired,
        Code::InvalidSecret,
        Code::InvalidUrl,
        Code::InsecureUrl,
        Code::ReservedQueryKey,
        Code::InvalidAmount,
        Code::InvalidCurrency,
        Code::Unauthorized,
    ];

    /// The contract string, e.g. `"SIGNATURE_MISMATCH"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Code::MalformedBody => "MALFORMED_BODY",
            Code::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            Code::MissingField => "MISSING_FIELD",
            Code::DuplicateField => "DUPLICATE_FIELD",
            Code::InvalidField => "INVALID_FIELD",
            Code::MissingSignature => "MISSING_SIGNATURE",
            Code::MalformedSignature => "MALFORMED_SIGNATURE",
            Code::SignatureMismatch => "SIGNATURE_MISMATCH",
            Code::Expired => "EXPIRED",
            Code::InvalidSecret => "INVALID_SECRET",
            Code::InvalidUrl => "INVALID_URL",
            Code::InsecureUrl => "INSECURE_URL",
            Code::ReservedQueryKey => "RESERVED_QUERY_KEY",
            Code::InvalidAmount => "INVALID_AMOUNT",
            Code::InvalidCurrency => "INVALID_CURRENCY",
            Code::Unauthorized => "UNAUTHORIZED",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failure: a code, a message that says what to fix, and the field it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Error {
    code: Code,
    message: String,
    field: Option<String>,
}

impl Error {
    /// An error with a fixed message.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
            field: None,
        }
    }

    /// An error about one field. `field` must be a field *name*, never a value.
    pub fn field(code: Code, field: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
            field: Some(field.into()),
        }
    }

    pub fn code(&self) -> Code {
        self.code
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn field_name(&self) -> Option<&str> {
        self.field.as_deref()
    }

    pub(crate) fn too_large(what: &str, limit: usize) -> Self {
        let mut message = String::with_capacity(what.len() + 48);
        message.push_str(what);
        message.push_str(" is larger than the limit of ");
        push_decimal(&mut message, limit as u64);
        message.push_str(" bytes");
        Error::new(Code::PayloadTooLarge, message)
    }

    pub(crate) fn missing(field: &str) -> Self {
        Error::field(
            Code::MissingField,
            field,
            about_field("required field `", field, "` is missing"),
        )
    }

    pub(crate) fn duplicate(field: &str) -> Self {
        Error::field(
            Code::DuplicateField,
            field,
            about_field("field `", field, "` appears more than once; send it once"),
        )
    }

    pub(crate) fn invalid(field: &str, why: &str) -> Self {
        let mut message = about_field("field `", field, "` ");
        message.push_str(why);
        Error::field(Code::InvalidField, field, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code.as_str())?;
        f.write_str(": ")?;
        f.write_str(&self.message)
    }
}

impl core::error::Error for Error {}

pub type Result<T> = core::result::Result<T, Error>;

/// Appends a field name as it may appear inside a message: at most 64 characters,
/// control characters replaced, so an attacker's key cannot flood a log.
pub(crate) fn push_printable(out: &mut String, name: &str) {
    for (i, c) in name.chars().enumerate() {
        if i == 64 {
            out.push('…');
            break;
        }
        out.push(if c.is_control() { '�' } else { c });
    }
}

/// `before`, the field name as [`push_printable`] writes it, `after`: a message
/// about one field.
pub(crate) fn about_field(before: &str, field: &str, after: &str) -> String {
    let mut out = String::with_capacity(before.len() + field.len().min(256) + after.len());
    out.push_str(before);
    push_printable(&mut out, field);
    out.push_str(after);
    out
}

// Messages are built with these instead of `format!`: the formatting machinery
// costs several KB of wasm, and messages are only ever static text, field names
// and numbers.

/// `parts` joined into one string.
pub(crate) fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}

/// Appends `n` in decimal.
#[doc(hidden)]
pub fn push_decimal(out: &mut String, n: u64) {
    push_number(out, n, None);
}

/// Appends `n` in decimal, then `suffix` (an ASCII byte) if given: one `push_str`.
#[inline(always)]
#[doc(hidden)]
pub fn push_number(out: &mut String, mut n: u64, suffix: Option<u8>) {
    let mut buf = [0u8; 21];
    let mut end = 20;
    if let (Some(s), Some(last)) = (suffix, buf.get_mut(20)) {
        *last = s;
        end = 21;
    }
    let mut start: usize = 20;
    while let Some(d) = start.checked_sub(1).and_then(|i| buf.get_mut(i)) {
        *d = b'0' + (n % 10) as u8;
        start -= 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push_str(core::str::from_utf8(buf.get(start..end).unwrap_or_default()).unwrap_or_default());
}

/// `n` in decimal.
pub(crate) fn decimal(n: u64) -> String {
    let mut out = String::with_capacity(20);
    push_decimal(&mut out, n);
    out
}

/// The value of `s` if it is one or more ASCII digits and fits in a `u64`
/// (leading zeros allowed, no sign).
#[doc(hidden)]
pub fn parse_decimal(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    s.bytes().try_fold(0u64, |n, b| {
        if !b.is_ascii_digit() {
            return None;
        }
        n.checked_mul(10)?.checked_add(u64::from(b - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_maps_to_its_contract_string() {
        let expected = [
            "MALFORMED_BODY",
            "PAYLOAD_TOO_LARGE",
            "MISSING_FIELD",
            "DUPLICATE_FIELD",
            "INVALID_FIELD",
            "MISSING_SIGNATURE",
            "MALFORMED_SIGNATURE",
            "SIGNATURE_MISMATCH",
            "EXPIRED",
            "INVALID_SECRET",
            "INVALID_URL",
            "INSECURE_URL",
            "RESERVED_QUERY_KEY",
            "INVALID_AMOUNT",
            "INVALID_CURRENCY",
            "UNAUTHORIZED",
        ];
        let got: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn decimal_matches_display() {
        for n in [0, 1, 9, 10, 99, 100, 1028, 65535, 1 << 53, u64::MAX] {
            assert_eq!(decimal(n), n.to_string());
            let mut out = String::from("x");
            push_number(&mut out, n, Some(b':'));
            assert_eq!(out, format!("x{n}:"));
            assert_eq!(parse_decimal(&n.to_string()), Some(n));
        }
        assert_eq!(parse_decimal("007"), Some(7));
        for bad in [
            "",
            "+1",
            "-1",
            " 1",
            "1 ",
            "1.0",
            "18446744073709551616",
            "١",
        ] {
            assert_eq!(parse_decimal(bad), None, "{bad}");
        }
        assert_eq!(concat(&["a", "", "bc"]), "abc");
    }

    #[test]
    fn messages_are_unchanged() {
        assert_eq!(
            Error::too_large("the URL", 8192).message(),
            "the URL is larger than the limit of 8192 bytes"
        );
        assert_eq!(
            Error::missing("a\nb").message(),
            "required field `a\u{fffd}b` is missing"
        );
        assert_eq!(
            Error::duplicate("x").message(),
            "field `x` appears more than once; send it once"
        );
        assert_eq!(Error::invalid("x", "is bad").message(), "field `x` is bad");
        assert_eq!(
            Error::invalid("x", "is bad").to_string(),
            "INVALID_FIELD: field `x` is bad"
        );
        assert_eq!(Code::Expired.to_string(), "EXPIRED");
    }

    #[test]
    fn long_or_control_field_names_are_shortened_in_messages() {
        let e = Error::missing(&"k\n".repeat(100));
        assert!(!e.message().contains('\n'));
        assert!(e.message().chars().count() < 120);
        // the field itself is kept whole for programs
        assert_eq!(e.field_name().map(str::len), Some(200));
    }
}
