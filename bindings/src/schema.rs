//! What crosses the boundary, declared once: each export's arguments (as
//! JavaScript takes them) and its result, as named and typed fields with their
//! documentation. The xtask generates from this the JavaScript that checks the
//! arguments, calls the export and decodes its result, the constants JavaScript
//! shares with Rust, and the TypeScript declarations with their TSDoc.

/// A result field's type, and how it crosses (see [`crate::wire`]).
#[derive(Clone, Copy, Debug)]
pub enum Ty {
    /// A string.
    Str,
    /// A positive safe integer, a JavaScript `number`.
    Num,
    /// A boolean.
    Bool,
    /// A plain object of strings, in the order received (a `__proto__` key stays
    /// an ordinary field).
    Map,
    /// A [`Ty::Map`] whose keys in the table cross as their index.
    KeyedMap(&'static [&'static str]),
    /// Another record, inline.
    Record(&'static RecordDecl),
    /// A list of records.
    List(&'static RecordDecl),
    /// Not sent: a copy of entry `.1` of the map field `.0`, when it has it.
    Mirror(&'static str, &'static str),
}

/// One field of a record.
#[derive(Clone, Copy, Debug)]
pub struct FieldDecl {
    /// The JavaScript property name.
    pub name: &'static str,
    pub ty: Ty,
    /// May be absent (a JavaScript optional property, or `null` with
    /// [`FieldDecl::null`]).
    pub optional: bool,
    /// Absent is `null` rather than a missing property.
    pub null: bool,
    pub doc: &'static str,
    /// A narrower TypeScript type than the kind's (a literal union).
    pub ts: Option<&'static str>,
}

/// A result type: a JavaScript object with these fields, in this order.
#[derive(Clone, Copy, Debug)]
pub struct RecordDecl {
    /// The TypeScript interface name.
    pub name: &'static str,
    pub doc: &'static str,
    /// Its TypeScript type is written by hand in `pkg/index.d.ts`.
    pub declared: bool,
    pub fields: &'static [FieldDecl],
}

/// What an export returns on success.
#[derive(Clone, Copy, Debug)]
pub enum Ret {
    /// Nothing (JavaScript `undefined`).
    Unit,
    /// A string (one string token).
    Str,
    /// A boolean.
    Bool,
    /// A plain object of strings (see [`Ty::Map`]).
    Map,
    Record(&'static RecordDecl),
}

/// How JavaScript checks and converts an argument before the call. Each has its
/// checking function in `pkg/common.js`, its TypeScript type, and the Rust type the
/// export takes (checked against wasm-bindgen's declarations by the xtask).
#[derive(Clone, Copy, Debug)]
pub enum Arg {
    /// A body as received: a string, `Uint8Array` or `ArrayBuffer`, at most
    /// `limit` bytes; crosses as bytes (`&[u8]`). `what` names it in messages.
    Body { limit: usize, what: &'static str },
    /// A secret, salt, password or key (`&str`, at most `limits::TEXT`).
    Secret,
    /// A secret that may be left out of the options: absent is empty (and the
    /// core says `INVALID_SECRET`).
    SecretOrEmpty,
    /// A string (`&str`, at most `limits::TEXT`).
    Text,
    /// A URL given to a parse or verify function (`&str`, at most
    /// `limits::URL_INPUT`).
    Url,
    /// An absolute URL given to a build function, in its WHATWG serialisation
    /// (`&str`); errors about the URL itself name this argument.
    AbsoluteUrl,
    /// An optional plain object of string parameters, read once through its own
    /// properties; crosses as a pairs list (`&str`). `url_total`: at most this
    /// many characters of names and values together (else `INVALID_URL`: they
    /// become one URL).
    Params { url_total: usize },
    /// An optional array of strings; crosses as a list (`&str`).
    Keys,
    /// Optional unix seconds; absent crosses as -1 (`f64`).
    Seconds,
    /// Unix seconds; absent is the clock (`f64`).
    Now,
    /// An optional string (`Option<String>`).
    OptText,
    /// A header value: a string, or anything else for none (`Option<String>`).
    Header,
    /// A boolean (`bool`).
    Flag,
}

/// One argument of an export.
#[derive(Clone, Copy, Debug)]
pub struct ArgDecl {
    /// The JavaScript name (and the option's name, for an option).
    pub name: &'static str,
    pub arg: Arg,
    /// Read from the `options` object (the last JavaScript argument) rather than
    /// passed on its own.
    pub option: bool,
    pub doc: &'static str,
}

/// Who writes the JavaScript function.
#[derive(Clone, Copy, Debug)]
pub enum Wrapper {
    /// Generated: checks the arguments, calls, decodes; declared in TypeScript.
    Generated,
    /// `pkg/core.js` writes the public function around a generated `<js>$call`
    /// that takes the checked Rust arguments and decodes the result (for
    /// functions with more to them: a keyed salt, a diagnosis that reports bad
    /// arguments, JSON parsing); its declaration is in `pkg/index.d.ts`.
    Custom,
}

/// One export.
#[derive(Clone, Copy, Debug)]
pub struct ExportDecl {
    /// The `#[wasm_bindgen]` function's name.
    pub wasm: &'static str,
    /// The JavaScript function's name.
    pub js: &'static str,
    pub doc: &'static str,
    /// In the HAPI-only build (`payhook/hapi`) too.
    pub hapi: bool,
    pub args: &'static [ArgDecl],
    /// When the `options` object may not be left out: the message.
    pub options_required: Option<&'static str>,
    pub ret: Ret,
    pub wrapper: Wrapper,
}

/// The limits JavaScript checks before copying anything into wasm memory, with
/// their JavaScript names and the documentation the TypeScript declaration carries.
pub const LIMITS: &[(&str, usize, &str)] = &[
    (
        "FORM_BODY",
        payhook::limits::FORM_BODY,
        "Form bodies, and Smart Router / PayEx JSON bodies.",
    ),
    (
        "EVENT_BODY",
        payhook::limits::EVENT_BODY,
        "HitPay event (JSON) bodies.",
    ),
    (
        "URL_INPUT",
        payhook::limits::URL_INPUT,
        "URLs given to a parse or verify function.",
    ),
    (
        "URL_OUTPUT",
        payhook::limits::URL_OUTPUT,
        "The longest URL a build function returns (longer: `INVALID_URL`).",
    ),
    (
        "TEXT",
        payhook::limits::TEXT,
        "Any other string argument: a secret, salt, password, token, header value, parameter or field value.",
    ),
];
