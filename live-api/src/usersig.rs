//! UserSig (TLSSigAPIv2) tickets: making them and checking them.
//!
//! Every REST call of the Live API carries a `usersig`, a ticket for the admin identifier made from
//! the application's secret key. This module implements the algorithm of the official
//! `tls-sig-api-v2` packages:
//!
//! 1. the text to sign is `TLS.identifier:{identifier}\nTLS.sdkappid:{sdkappid}\nTLS.time:{time}\n`
//!    `TLS.expire:{expire}\n`, plus `TLS.userbuf:{base64(userbuf)}\n` when a userbuf is given (an
//!    empty one counts as given);
//! 2. `TLS.sig` is the standard base64 of HMAC-SHA256 over that text, keyed with the UTF-8 bytes of
//!    the key string (the key is *not* hex-decoded);
//! 3. a JSON object holds `TLS.ver` (the string `"2.0"`), `TLS.identifier`, `TLS.sdkappid`,
//!    `TLS.time`, `TLS.expire` (JSON integers), `TLS.userbuf` (only with a userbuf) and `TLS.sig`;
//! 4. it is zlib-compressed (RFC 1950, not raw deflate, not gzip);
//! 5. and encoded as standard base64 with `+` → `*`, `/` → `-`, `=` → `_` (padding stays).
//!
//! Both functions are pure: the clock is passed in as whole Unix seconds, so callers (and tests) decide
//! what "now" is.
//!
//! ```
//! # use live_api::usersig::{sign, verify, SignParams, VerifyParams};
//! let key = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
//! let ticket = sign(&SignParams::new(1_400_000_000, key, "administrator", 86_400), 1_700_000_000);
//! let expect = VerifyParams::new(1_400_000_000, key, "administrator");
//! let decoded = verify(&ticket, &expect, 1_700_000_100).unwrap();
//! assert_eq!(decoded.expires_at(), 1_700_086_400);
//! ```
//!
//! # Checking
//!
//! [`verify`] accepts what every official implementation emits: any key order, spacing and JSON
//! escaping, zlib at any compression level, a trailing newline (any JSON whitespace) after the
//! document, with or without `TLS.userbuf`. Unknown extra members are ignored. It is strict where no
//! official implementation varies:
//!
//! - `TLS.sdkappid`, `TLS.time` and `TLS.expire` must be non-negative JSON integers that fit in a
//!   `u64`. Every official implementation (Python, Node, Go, PHP, Java, C++) writes them as JSON
//!   integers, so numeric strings (`"1400000000"`) and floats (`86400.0`) are rejected as
//!   [`VerifyError::FieldType`] rather than guessed at.
//! - `TLS.ver` must be exactly the string `"2.0"`.
//! - A member that [`verify`] reads may appear only once ([`VerifyError::DuplicateField`]): JSON
//!   parsers disagree on which duplicate wins, and no official implementation writes duplicates.
//! - Bytes after the end of the zlib stream are rejected ([`VerifyError::TrailingBytes`]).
//! - `TLS.sig` and `TLS.userbuf` must be canonical standard base64 with `=` padding.
//!
//! Checks run in this order: encoding, compression, JSON shape, `TLS.ver`, `TLS.sdkappid`,
//! `TLS.identifier`, expiry (`now > time + expire`, saturating), then the HMAC (constant-time
//! comparison). The HMAC is recomputed from the document's own values, with the userbuf line using the
//! `TLS.userbuf` string exactly as it appears in the document.
//!
//! The inflated document is capped at [`MAX_INFLATED_LEN`] bytes and the ticket at
//! [`MAX_TICKET_LEN`] characters, so a small "zip bomb" ticket cannot exhaust memory. [`verify`] never
//! panics, whatever its input.
//!
//! # Secrets
//!
//! No type here prints the key, a ticket or a signature: [`SignParams`] and [`VerifyParams`] redact
//! the key in `Debug`, [`Ticket`] does not keep `TLS.sig`, and no [`VerifyError`] carries the key, the
//! ticket or the signature. [`sign`] returns the ticket as a plain `String`: a caller that stores it
//! should keep it out of its own `Debug` output and out of logged URLs.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Write as _;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use flate2::{Decompress, FlushDecompress, Status};
use hmac::{Hmac, Mac};
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeStruct, Serializer};
use serde_json::Value;
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The expiry the official implementations use by default: 180 days, in seconds.
pub const DEFAULT_EXPIRE: u64 = 180 * 24 * 60 * 60;

/// The largest inflated JSON document [`verify`] accepts, in bytes (64 KiB).
///
/// Real documents are a few hundred bytes; the cap only exists so that a highly compressed ticket
/// cannot make the checker allocate without bound.
pub const MAX_INFLATED_LEN: usize = 64 * 1024;

/// The longest ticket [`verify`] accepts, in characters (128 KiB).
///
/// Large enough for a [`MAX_INFLATED_LEN`] document stored uncompressed (zlib level 0).
pub const MAX_TICKET_LEN: usize = 128 * 1024;

/// The `TLS.ver` value this module writes and accepts.
pub const VERSION: &str = "2.0";

const F_VER: &str = "TLS.ver";
const F_IDENTIFIER: &str = "TLS.identifier";
const F_SDKAPPID: &str = "TLS.sdkappid";
const F_TIME: &str = "TLS.time";
const F_EXPIRE: &str = "TLS.expire";
const F_USERBUF: &str = "TLS.userbuf";
const F_SIG: &str = "TLS.sig";

/// Every document member that [`verify`] reads.
const KNOWN_FIELDS: [&str; 7] = [F_VER, F_IDENTIFIER, F_SDKAPPID, F_TIME, F_EXPIRE, F_USERBUF, F_SIG];

/// What [`sign`] needs besides the clock.
///
/// `Debug` prints the key as `"<redacted>"`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SignParams<'a> {
    /// The application's `SDKAppID`.
    pub sdkappid: u64,
    /// The secret key string from the console, used as-is (its UTF-8 bytes; not hex-decoded).
    pub key: &'a str,
    /// The identifier the ticket is for (for REST calls, the admin account).
    pub identifier: &'a str,
    /// How long the ticket is valid after its `time`, in seconds (see [`DEFAULT_EXPIRE`]).
    pub expire: u64,
    /// Optional user data signed into the ticket; `Some(&[])` (empty) still counts as given.
    pub userbuf: Option<&'a [u8]>,
}

impl<'a> SignParams<'a> {
    /// Parameters without a userbuf.
    pub fn new(sdkappid: u64, key: &'a str, identifier: &'a str, expire: u64) -> Self {
        SignParams { sdkappid, key, identifier, expire, userbuf: None }
    }

    /// The same parameters with `userbuf` signed in (an empty slice counts as given).
    pub fn with_userbuf(self, userbuf: &'a [u8]) -> Self {
        SignParams { userbuf: Some(userbuf), ..self }
    }
}

impl fmt::Debug for SignParams<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignParams")
            .field("sdkappid", &self.sdkappid)
            .field("key", &"<redacted>")
            .field("identifier", &self.identifier)
            .field("expire", &self.expire)
            .field("userbuf", &self.userbuf.map(<[u8]>::len).map(ByteCount))
            .finish()
    }
}

/// Prints a byte count as `N bytes` in `Debug` output instead of the bytes themselves.
struct ByteCount(usize);

impl fmt::Debug for ByteCount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} bytes", self.0)
    }
}

/// What [`verify`] expects of a ticket.
///
/// `Debug` prints the key as `"<redacted>"`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct VerifyParams<'a> {
    /// The application's `SDKAppID`; the ticket's `TLS.sdkappid` must equal it.
    pub sdkappid: u64,
    /// The secret key string (its UTF-8 bytes key the HMAC; not hex-decoded).
    pub key: &'a str,
    /// The identifier the ticket must be for; compared byte for byte with `TLS.identifier`.
    pub identifier: &'a str,
}

impl<'a> VerifyParams<'a> {
    /// Expectations for tickets of `identifier` in application `sdkappid`, signed with `key`.
    pub fn new(sdkappid: u64, key: &'a str, identifier: &'a str) -> Self {
        VerifyParams { sdkappid, key, identifier }
    }
}

impl fmt::Debug for VerifyParams<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyParams")
            .field("sdkappid", &self.sdkappid)
            .field("key", &"<redacted>")
            .field("identifier", &self.identifier)
            .finish()
    }
}

/// The decoded content of a valid ticket (without its signature).
///
/// Serializes (with serde) as a JSON object with the members `sdkappid`, `identifier`, `time`,
/// `expire`, `expires_at` and `userbuf` (standard base64, or `null` when the ticket has none).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Ticket {
    /// `TLS.sdkappid`.
    pub sdkappid: u64,
    /// `TLS.identifier`.
    pub identifier: String,
    /// `TLS.time`: when the ticket was made, in Unix seconds.
    pub time: u64,
    /// `TLS.expire`: how long after `time` the ticket stays valid, in seconds.
    pub expire: u64,
    /// `TLS.userbuf`, base64-decoded; `None` when the ticket has no userbuf.
    pub userbuf: Option<Vec<u8>>,
}

impl Ticket {
    /// The last Unix second at which the ticket is valid: `time + expire`, saturating at
    /// `u64::MAX`. The ticket is expired when `now > expires_at()`.
    pub fn expires_at(&self) -> u64 {
        self.time.saturating_add(self.expire)
    }
}

impl Serialize for Ticket {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Ticket", 6)?;
        s.serialize_field("sdkappid", &self.sdkappid)?;
        s.serialize_field("identifier", &self.identifier)?;
        s.serialize_field("time", &self.time)?;
        s.serialize_field("expire", &self.expire)?;
        s.serialize_field("expires_at", &self.expires_at())?;
        s.serialize_field("userbuf", &self.userbuf.as_deref().map(|b| STANDARD.encode(b)))?;
        s.end()
    }
}

/// Why [`verify`] rejected a ticket.
///
/// No variant carries the key, the ticket or its signature; the `Display` text is safe to log.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// The ticket is empty.
    Empty,
    /// The ticket is longer than [`MAX_TICKET_LEN`] characters.
    TooLong {
        /// The ticket's length in bytes.
        len: usize,
        /// [`MAX_TICKET_LEN`].
        limit: usize,
    },
    /// The ticket contains `+`, `/` or `=`: it is standard base64 (or padded base64url), not the
    /// usersig alphabet `A-Za-z0-9*-_`.
    ForeignAlphabet {
        /// Byte offset of the first such character.
        position: usize,
        /// The character (`+`, `/` or `=`).
        character: char,
    },
    /// The ticket contains a character outside every base64 alphabet.
    InvalidCharacter {
        /// Byte offset of the first such character.
        position: usize,
    },
    /// A `_` (padding) appears before the end of the ticket; a ticket encoded as base64url, where
    /// `_` is a data character, looks like this.
    MisplacedPadding {
        /// Byte offset of the first misplaced `_`.
        position: usize,
    },
    /// The ticket's length is not a multiple of 4 (padding dropped or characters lost), or it has
    /// more than two padding characters.
    InvalidLength {
        /// The ticket's length in bytes.
        len: usize,
    },
    /// The last character carries non-zero bits that the encoding never sets (non-canonical base64).
    NonCanonicalBase64,
    /// The decoded bytes do not start with a zlib (RFC 1950) header: raw deflate, gzip or no
    /// compression at all; or the header asks for a preset dictionary.
    NotZlib,
    /// The zlib stream ends before its end marker and checksum.
    TruncatedCompression,
    /// The compressed data is invalid or its Adler-32 checksum does not match.
    CorruptCompression,
    /// Bytes follow the end of the zlib stream.
    TrailingBytes,
    /// The document inflates to more than [`MAX_INFLATED_LEN`] bytes.
    InflatedTooLarge {
        /// [`MAX_INFLATED_LEN`].
        limit: usize,
    },
    /// The inflated document is not JSON (or not UTF-8).
    NotJson {
        /// 1-based line of the error in the inflated document.
        line: usize,
        /// 1-based column of the error in the inflated document.
        column: usize,
    },
    /// The document is JSON but not an object.
    NotAnObject,
    /// A member that the checker reads appears more than once.
    DuplicateField {
        /// The member's name.
        field: &'static str,
    },
    /// A required member is missing.
    MissingField {
        /// The member's name.
        field: &'static str,
    },
    /// A member has the wrong JSON type or an invalid value (e.g. a string or float where an integer
    /// is required, or a `TLS.userbuf` that is not standard base64).
    FieldType {
        /// The member's name.
        field: &'static str,
        /// What it must be.
        expected: &'static str,
    },
    /// `TLS.ver` is a string other than `"2.0"`.
    UnsupportedVersion {
        /// The version found (at most 16 characters of it).
        found: String,
    },
    /// `TLS.sdkappid` is not the expected application.
    SdkAppIdMismatch {
        /// The expected `SDKAppID`.
        expected: u64,
        /// The ticket's `TLS.sdkappid`.
        found: u64,
    },
    /// `TLS.identifier` is not the expected identifier.
    IdentifierMismatch {
        /// The expected identifier.
        expected: String,
        /// The ticket's identifier (at most 128 characters of it).
        found: String,
    },
    /// The ticket has expired: `now > time + expire`.
    Expired {
        /// `time + expire` (saturating): the last second the ticket was valid.
        expires_at: u64,
        /// The `now` that [`verify`] was given.
        now: u64,
    },
    /// The signature does not match: wrong key, or a signed member was changed.
    BadSignature,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use VerifyError::*;
        match self {
            Empty => f.write_str("usersig is empty"),
            TooLong { len, limit } => {
                write!(f, "usersig is {len} bytes long, more than the {limit} accepted")
            }
            ForeignAlphabet { position, character } => write!(
                f,
                "usersig has {character:?} at byte {position}: that is standard base64, \
                 usersig uses '*', '-', '_' instead of '+', '/', '='"
            ),
            InvalidCharacter { position } => {
                write!(f, "usersig has a character outside A-Za-z0-9*-_ at byte {position}")
            }
            MisplacedPadding { position } => write!(
                f,
                "usersig has padding '_' at byte {position}, before its end \
                 (base64url instead of the usersig alphabet?)"
            ),
            InvalidLength { len } => {
                write!(f, "usersig length {len} is not valid padded base64 (padding dropped or truncated?)")
            }
            NonCanonicalBase64 => f.write_str("usersig is not canonical base64 (non-zero trailing bits)"),
            NotZlib => f.write_str("usersig payload is not a zlib stream (raw deflate, gzip, or uncompressed?)"),
            TruncatedCompression => f.write_str("usersig zlib stream is truncated"),
            CorruptCompression => f.write_str("usersig zlib stream is corrupt (invalid data or checksum mismatch)"),
            TrailingBytes => f.write_str("usersig has bytes after the end of its zlib stream"),
            InflatedTooLarge { limit } => {
                write!(f, "usersig document inflates to more than {limit} bytes")
            }
            NotJson { line, column } => write!(f, "usersig document is not valid JSON (line {line}, column {column})"),
            NotAnObject => f.write_str("usersig document is not a JSON object"),
            DuplicateField { field } => write!(f, "usersig document has {field} more than once"),
            MissingField { field } => write!(f, "usersig document has no {field}"),
            FieldType { field, expected } => {
                write!(f, "usersig document's {field} is not {expected}")
            }
            UnsupportedVersion { found } => {
                write!(f, "usersig version {found:?} is not supported (expected {VERSION:?})")
            }
            SdkAppIdMismatch { expected, found } => {
                write!(f, "usersig is for sdkappid {found}, expected {expected}")
            }
            IdentifierMismatch { expected, found } => {
                write!(f, "usersig is for identifier {found:?}, expected {expected:?}")
            }
            Expired { expires_at, now } => write!(f, "usersig expired at {expires_at} (unix seconds), now is {now}"),
            BadSignature => f.write_str("usersig signature does not match (wrong key or altered ticket)"),
        }
    }
}

impl std::error::Error for VerifyError {}

/// Makes a usersig ticket valid from `now_unix` (whole Unix seconds, stored as `TLS.time`) for
/// `params.expire` seconds.
///
/// The JSON document is built with `serde_json` (so any identifier is escaped correctly) and
/// compressed with zlib at the default level (6). Tickets from different implementations differ
/// byte for byte; compare decoded documents, never ticket strings.
pub fn sign(params: &SignParams<'_>, now_unix: u64) -> String {
    let userbuf_b64 = params.userbuf.map(|b| STANDARD.encode(b));
    let sig = STANDARD.encode(mac_of(
        params.key,
        params.identifier,
        params.sdkappid,
        now_unix,
        params.expire,
        userbuf_b64.as_deref(),
    ));

    let mut doc = serde_json::Map::new();
    doc.insert(F_VER.into(), Value::from(VERSION));
    doc.insert(F_IDENTIFIER.into(), Value::from(params.identifier));
    doc.insert(F_SDKAPPID.into(), Value::from(params.sdkappid));
    doc.insert(F_TIME.into(), Value::from(now_unix));
    doc.insert(F_EXPIRE.into(), Value::from(params.expire));
    if let Some(userbuf) = userbuf_b64 {
        doc.insert(F_USERBUF.into(), Value::from(userbuf));
    }
    doc.insert(F_SIG.into(), Value::from(sig));
    let json = Value::Object(doc).to_string();

    let mut encoder =
        flate2::write::ZlibEncoder::new(Vec::with_capacity(json.len() / 2 + 64), flate2::Compression::default());
    // Writing to a Vec cannot fail, and neither can compressing in memory: these Results are
    // always Ok, whatever the input.
    let compressed = encoder
        .write_all(json.as_bytes())
        .and_then(|()| encoder.finish())
        .expect("zlib compression into a Vec cannot fail");

    STANDARD
        .encode(compressed)
        .chars()
        .map(|c| match c {
            '+' => '*',
            '/' => '-',
            '=' => '_',
            c => c,
        })
        .collect()
}

/// Checks a usersig ticket against `expect` at time `now_unix` (whole Unix seconds) and returns its
/// decoded content.
///
/// Valid while `now_unix <= time + expire`. See the [module docs](self) for what is accepted and the
/// order of the checks. Never panics.
pub fn verify(ticket: &str, expect: &VerifyParams<'_>, now_unix: u64) -> Result<Ticket, VerifyError> {
    let compressed = decode_ticket(ticket)?;
    let json = inflate_zlib(&compressed)?;
    let doc = parse_document(&json)?;

    match doc.str_field(F_VER)? {
        VERSION => {}
        other => {
            return Err(VerifyError::UnsupportedVersion { found: truncate_chars(other, 16) });
        }
    }
    let identifier = doc.str_field(F_IDENTIFIER)?;
    let sdkappid = doc.u64_field(F_SDKAPPID)?;
    let time = doc.u64_field(F_TIME)?;
    let expire = doc.u64_field(F_EXPIRE)?;
    let userbuf_b64 = doc.opt_str_field(F_USERBUF)?;
    let sig_b64 = doc.str_field(F_SIG)?;
    let userbuf = match userbuf_b64 {
        None => None,
        Some(s) => Some(
            STANDARD
                .decode(s)
                .map_err(|_| VerifyError::FieldType { field: F_USERBUF, expected: "a standard base64 string" })?,
        ),
    };
    let sig = STANDARD
        .decode(sig_b64)
        .map_err(|_| VerifyError::FieldType { field: F_SIG, expected: "a standard base64 string" })?;

    if sdkappid != expect.sdkappid {
        return Err(VerifyError::SdkAppIdMismatch { expected: expect.sdkappid, found: sdkappid });
    }
    if identifier != expect.identifier {
        return Err(VerifyError::IdentifierMismatch {
            expected: expect.identifier.to_owned(),
            found: truncate_chars(identifier, 128),
        });
    }
    let expires_at = time.saturating_add(expire);
    if now_unix > expires_at {
        return Err(VerifyError::Expired { expires_at, now: now_unix });
    }
    let mac = new_mac(expect.key);
    let mac = feed_content(mac, identifier, sdkappid, time, expire, userbuf_b64);
    mac.verify_slice(&sig).map_err(|_| VerifyError::BadSignature)?;

    Ok(Ticket { sdkappid, identifier: identifier.to_owned(), time, expire, userbuf })
}

fn new_mac(key: &str) -> HmacSha256 {
    // HMAC takes keys of any length (long ones are hashed), so this never fails.
    <HmacSha256 as Mac>::new_from_slice(key.as_bytes()).expect("HMAC accepts keys of any length")
}

/// Feeds the text to sign (step 1) into `mac`, line by line, each line ending in `\n`.
fn feed_content(
    mut mac: HmacSha256,
    identifier: &str,
    sdkappid: u64,
    time: u64,
    expire: u64,
    userbuf_b64: Option<&str>,
) -> HmacSha256 {
    mac.update(b"TLS.identifier:");
    mac.update(identifier.as_bytes());
    mac.update(b"\nTLS.sdkappid:");
    mac.update(sdkappid.to_string().as_bytes());
    mac.update(b"\nTLS.time:");
    mac.update(time.to_string().as_bytes());
    mac.update(b"\nTLS.expire:");
    mac.update(expire.to_string().as_bytes());
    mac.update(b"\n");
    if let Some(userbuf) = userbuf_b64 {
        mac.update(b"TLS.userbuf:");
        mac.update(userbuf.as_bytes());
        mac.update(b"\n");
    }
    mac
}

fn mac_of(key: &str, identifier: &str, sdkappid: u64, time: u64, expire: u64, userbuf_b64: Option<&str>) -> Vec<u8> {
    feed_content(new_mac(key), identifier, sdkappid, time, expire, userbuf_b64).finalize().into_bytes().to_vec()
}

/// Step 5 reversed: checks the usersig alphabet and layout, maps it back to standard base64 and
/// decodes it.
fn decode_ticket(ticket: &str) -> Result<Vec<u8>, VerifyError> {
    let bytes = ticket.as_bytes();
    if bytes.is_empty() {
        return Err(VerifyError::Empty);
    }
    if bytes.len() > MAX_TICKET_LEN {
        return Err(VerifyError::TooLong { len: bytes.len(), limit: MAX_TICKET_LEN });
    }
    let mut mapped = Vec::with_capacity(bytes.len());
    let mut first_pad = None;
    for (position, &b) in bytes.iter().enumerate() {
        let m = match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => b,
            b'*' => b'+',
            b'-' => b'/',
            b'_' => {
                first_pad.get_or_insert(position);
                b'='
            }
            b'+' | b'/' | b'=' => {
                return Err(VerifyError::ForeignAlphabet { position, character: char::from(b) });
            }
            _ => return Err(VerifyError::InvalidCharacter { position }),
        };
        if first_pad.is_some() && m != b'=' {
            // A data character after a padding character: the first '_' was not padding.
            let position = first_pad.unwrap_or(position);
            return Err(VerifyError::MisplacedPadding { position });
        }
        mapped.push(m);
    }
    let pads = first_pad.map_or(0, |p| bytes.len() - p);
    if !bytes.len().is_multiple_of(4) || pads > 2 {
        return Err(VerifyError::InvalidLength { len: bytes.len() });
    }
    STANDARD.decode(&mapped).map_err(|e| match e {
        base64::DecodeError::InvalidLastSymbol(..) => VerifyError::NonCanonicalBase64,
        // The checks above rule out the other errors; map them to the closest variant anyway.
        base64::DecodeError::InvalidByte(position, _) => VerifyError::MisplacedPadding { position },
        _ => VerifyError::InvalidLength { len: bytes.len() },
    })
}

/// Step 4 reversed: inflates a complete zlib stream of at most [`MAX_INFLATED_LEN`] bytes.
fn inflate_zlib(data: &[u8]) -> Result<Vec<u8>, VerifyError> {
    // RFC 1950 header: CM = 8 (deflate), CINFO <= 7, FCHECK makes CMF*256+FLG a multiple of 31,
    // no preset dictionary (FDICT). Checked here so that "not zlib" is told apart from "corrupt".
    match data {
        [cmf, flg, ..]
            if cmf & 0x0f == 8
                && cmf >> 4 <= 7
                && (u16::from(*cmf) << 8 | u16::from(*flg)).is_multiple_of(31)
                && flg & 0x20 == 0 => {}
        _ => return Err(VerifyError::NotZlib),
    }

    let mut inflater = Decompress::new(true);
    let mut out = Vec::with_capacity(MAX_INFLATED_LEN + 1);
    loop {
        let consumed = usize::try_from(inflater.total_in()).unwrap_or(usize::MAX);
        let rest = data.get(consumed..).unwrap_or(&[]);
        let out_before = out.len();
        let status = inflater
            .decompress_vec(rest, &mut out, FlushDecompress::None)
            .map_err(|_| VerifyError::CorruptCompression)?;
        if out.len() > MAX_INFLATED_LEN {
            return Err(VerifyError::InflatedTooLarge { limit: MAX_INFLATED_LEN });
        }
        let consumed_now = usize::try_from(inflater.total_in()).unwrap_or(usize::MAX);
        match status {
            Status::StreamEnd => {
                return if consumed_now == data.len() { Ok(out) } else { Err(VerifyError::TrailingBytes) };
            }
            Status::Ok | Status::BufError => {
                if out.len() == out.capacity() {
                    // Output space is used up and the stream has not ended: too large.
                    return Err(VerifyError::InflatedTooLarge { limit: MAX_INFLATED_LEN });
                }
                if consumed_now == consumed && out.len() == out_before {
                    // No progress with output space left: the input ran out before the end.
                    return Err(if consumed_now >= data.len() {
                        VerifyError::TruncatedCompression
                    } else {
                        VerifyError::CorruptCompression
                    });
                }
            }
        }
    }
}

/// The inflated document's members, keyed by name, with the first duplicated known member noted.
struct Document {
    members: BTreeMap<String, Value>,
    duplicate: Option<&'static str>,
}

impl<'de> Deserialize<'de> for Document {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DocVisitor;
        impl<'de> Visitor<'de> for DocVisitor {
            type Value = Document;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Document, A::Error> {
                let mut members = BTreeMap::new();
                let mut duplicate = None;
                while let Some((name, value)) = map.next_entry::<String, Value>()? {
                    if duplicate.is_none() && members.contains_key(&name) {
                        duplicate = KNOWN_FIELDS.iter().copied().find(|f| *f == name);
                    }
                    members.insert(name, value);
                }
                Ok(Document { members, duplicate })
            }
        }
        deserializer.deserialize_map(DocVisitor)
    }
}

fn parse_document(json: &[u8]) -> Result<Document, VerifyError> {
    // serde_json allows trailing whitespace (the newline some implementations append), checks UTF-8
    // and limits nesting depth. Its messages can quote the document, so only the position is kept.
    let doc: Document = serde_json::from_slice(json).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => VerifyError::NotAnObject,
        _ => VerifyError::NotJson { line: e.line(), column: e.column() },
    })?;
    if let Some(field) = doc.duplicate {
        return Err(VerifyError::DuplicateField { field });
    }
    Ok(doc)
}

impl Document {
    fn opt_str_field(&self, field: &'static str) -> Result<Option<&str>, VerifyError> {
        match self.members.get(field) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(VerifyError::FieldType { field, expected: "a string" }),
        }
    }

    fn str_field(&self, field: &'static str) -> Result<&str, VerifyError> {
        self.opt_str_field(field)?.ok_or(VerifyError::MissingField { field })
    }

    fn u64_field(&self, field: &'static str) -> Result<u64, VerifyError> {
        match self.members.get(field) {
            None => Err(VerifyError::MissingField { field }),
            Some(v) => v.as_u64().ok_or(VerifyError::FieldType { field, expected: "a non-negative JSON integer" }),
        }
    }
}

fn truncate_chars(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}
