//! The error model: one flat enum of stable codes, plus the field it is about.
//!
//! Messages are short sentences that say what to fix. They are built only from
//! static text and field names, never from secrets, salts or signatures.
use crate::prelude::*;

use core::fmt;

/// A stable error code. Each variant maps one-to-one to a contract code string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
}

impl Code {
    /// Every code, in contract order.
    pub const ALL: [Code; 15] = [
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
        Error::new(
            Code::PayloadTooLarge,
            format!("{what} is larger than the limit of {limit} bytes"),
        )
    }

    pub(crate) fn missing(field: &str) -> Self {
        Error::field(
            Code::MissingField,
            field,
            format!("required field `{}` is missing", printable(field)),
        )
    }

    pub(crate) fn duplicate(field: &str) -> Self {
        Error::field(
            Code::DuplicateField,
            field,
            format!(
                "field `{}` appears more than once; send it once",
                printable(field)
            ),
        )
    }

    pub(crate) fn invalid(field: &str, why: &str) -> Self {
        Error::field(
            Code::InvalidField,
            field,
            format!("field `{}` {why}", printable(field)),
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl core::error::Error for Error {}

pub type Result<T> = core::result::Result<T, Error>;

/// A field name as it may appear inside a message: at most 64 characters,
/// control characters replaced, so an attacker's key cannot flood a log.
pub(crate) fn printable(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if i == 64 {
            out.push('…');
            break;
        }
        out.push(if c.is_control() { '�' } else { c });
    }
    out
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
        ];
        let got: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(got, expected);
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
