//! Tests of the UserSig (TLSSigAPIv2) module through its public API: the reference cases made by the
//! official implementation, what the checker must accept, every rejection, secrecy, property tests,
//! and (when its binary has been built) the example program.

use std::io::{Read as _, Write as _};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
use flate2::Compression;
use live_api::usersig::*;
use proptest::prelude::*;
use serde_json::{Value, json};

const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
const APP: u64 = 1_400_000_000;
const T0: u64 = 1_700_000_000;

/// A reference case from `usersig-vectors.json` (official tls-sig-api-v2, PyPI 1.1).
struct Vector {
    name: &'static str,
    identifier: &'static str,
    expire: u64,
    /// The userbuf input, as standard base64.
    userbuf_b64: Option<&'static str>,
    expected_sig: &'static str,
    usersig: &'static str,
    document: &'static str,
}

const VECTORS: [Vector; 4] = [
    Vector {
        name: "admin_default",
        identifier: "administrator",
        expire: 15_552_000,
        userbuf_b64: None,
        expected_sig: "JCzxanF8NTTXau4m+2h9wv7gYJnyNksm0xm1NEXU274=",
        usersig: "eJyrVgrxCdYrSy1SslJQMtIzUNJRAItkpqTmlWSmZUIkElNyM-Myi0uKEkvyi2BKilOyEwsKMlOACgxNDKAAKpdaUZBZlAqSMTU1NUKIl2TmgkXN0dQXZ6aD7PFyrqpIzHOz8AsJiUgsNcnVNsqwLC8zT4-0yqv0yy7ONajINfRzjQg1MjexVaoFANTGNgc_",
        document: r#"{"TLS.ver": "2.0", "TLS.identifier": "administrator", "TLS.sdkappid": 1400000000, "TLS.expire": 15552000, "TLS.time": 1700000000, "TLS.sig": "JCzxanF8NTTXau4m+2h9wv7gYJnyNksm0xm1NEXU274="}"#,
    },
    Vector {
        name: "expire_0",
        identifier: "administrator",
        expire: 0,
        userbuf_b64: None,
        expected_sig: "ceS3AUlAklfpZXNI/n7xkiv47sC3guoBgaDK8aFqyRQ=",
        usersig: "eJyrVgrxCdYrSy1SslJQMtIzUNJRAItkpqTmlWSmZUIkElNyM-Myi0uKEkvyi2BKilOyEwsKMlOACgxNDKAAKpdaUZBZlAqUgQmUZOaCuIbmaAqLM9NBFiSnBhs7huY4ZuekFURF*Hnq55lXZGeWmZgXOxunl*Y7pSe6eFskuhVWBgXaKtUCAJV9NQY_",
        document: r#"{"TLS.ver": "2.0", "TLS.identifier": "administrator", "TLS.sdkappid": 1400000000, "TLS.expire": 0, "TLS.time": 1700000000, "TLS.sig": "ceS3AUlAklfpZXNI/n7xkiv47sC3guoBgaDK8aFqyRQ="}"#,
    },
    Vector {
        name: "ident_chinese",
        identifier: "用户一号",
        expire: 86_400,
        userbuf_b64: None,
        expected_sig: "g1IAep/IhIL8bcOpLItZzyurJDx3A9M1zzlCz4ilRp4=",
        usersig: "eJyrVgrxCdYrSy1SslJQMtIzUNJRAItkpqTmlWSmZUIkYkrNTY0sYkrNjIzNY0pNUg0MYkpNjdPMYaqLU7ITCwoyU4BqDU0MoAAql1pRkFmUCpSxMDOBC5Zk5oKEDM3RFBdnpoPsSzf0dEwt0PfM8PSxSEr2L-DxLImqqiwt8nKpMHa09DWsqspxrjLJzAkqMLFVqgUAqqc3Mg__",
        document: r#"{"TLS.ver": "2.0", "TLS.identifier": "\u7528\u6237\u4e00\u53f7", "TLS.sdkappid": 1400000000, "TLS.expire": 86400, "TLS.time": 1700000000, "TLS.sig": "g1IAep/IhIL8bcOpLItZzyurJDx3A9M1zzlCz4ilRp4="}"#,
    },
    Vector {
        name: "userbuf_abc",
        identifier: "xiaojun",
        expire: 15_552_000,
        userbuf_b64: Some("YWJj"),
        expected_sig: "QjT201xPkXk/aM1e+y0vakZb0K2iPrFue++0s5y6bFM=",
        usersig: "eJyrVgrxCdYrSy1SslJQMtIzUNJRAItkpqTmlWSmZUIkKjIT87NK82CSxSnZiQUFmSlAKUMTAyiAyqVWFGQWpYJkTE1NjRDiJZm5YFFzNPWlxalFSaVpIFsiw72y4FZkpoOEArNCjAwMKwKyI7L1E30NU7UrDcoSs6OSDLyNMgOK3EpTtbUNik0rzZLcfG2VagHdkjl6",
        document: r#"{"TLS.ver": "2.0", "TLS.identifier": "xiaojun", "TLS.sdkappid": 1400000000, "TLS.expire": 15552000, "TLS.time": 1700000000, "TLS.userbuf": "YWJj", "TLS.sig": "QjT201xPkXk/aM1e+y0vakZb0K2iPrFue++0s5y6bFM="}"#,
    },
];

// ---------------------------------------------------------------------------------------------
// helpers: the encoding steps, done independently of the module with flate2 and base64

fn to_ticket_alphabet(standard_b64: &str) -> String {
    standard_b64
        .chars()
        .map(|c| match c {
            '+' => '*',
            '/' => '-',
            '=' => '_',
            c => c,
        })
        .collect()
}

fn from_ticket_alphabet(ticket: &str) -> String {
    ticket
        .chars()
        .map(|c| match c {
            '*' => '+',
            '-' => '/',
            '_' => '=',
            c => c,
        })
        .collect()
}

fn zlib(data: &[u8], level: u32) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), Compression::new(level));
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn raw_deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// Encodes already-compressed bytes as a ticket.
fn encode(compressed: &[u8]) -> String {
    to_ticket_alphabet(&STANDARD.encode(compressed))
}

/// A ticket holding `doc` (raw bytes of the document) compressed with zlib at `level`.
fn ticket_of(doc: &[u8], level: u32) -> String {
    encode(&zlib(doc, level))
}

/// Reverses steps 5 and 4 independently of the module.
fn inflate_ticket(ticket: &str) -> Vec<u8> {
    let compressed = STANDARD.decode(from_ticket_alphabet(ticket)).unwrap();
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(&compressed[..]).read_to_end(&mut out).unwrap();
    out
}

fn document_of(ticket: &str) -> Value {
    serde_json::from_slice(&inflate_ticket(ticket)).unwrap()
}

fn expect_admin() -> VerifyParams<'static> {
    VerifyParams::new(APP, KEY, "administrator")
}

/// A document signed by the module, as a JSON object to edit.
fn signed_doc(params: &SignParams<'_>, time: u64) -> serde_json::Map<String, Value> {
    match document_of(&sign(params, time)) {
        Value::Object(m) => m,
        other => panic!("not an object: {other}"),
    }
}

fn admin_doc() -> serde_json::Map<String, Value> {
    signed_doc(&SignParams::new(APP, KEY, "administrator", 86_400), T0)
}

/// Verifies a document given as a JSON value, compressed at level 6, as administrator at T0.
fn verify_value(doc: &Value) -> Result<Ticket, VerifyError> {
    verify(&ticket_of(doc.to_string().as_bytes(), 6), &expect_admin(), T0)
}

fn verify_text(doc: &str) -> Result<Ticket, VerifyError> {
    verify(&ticket_of(doc.as_bytes(), 6), &expect_admin(), T0)
}

fn sig_of(doc: &serde_json::Map<String, Value>) -> String {
    doc["TLS.sig"].as_str().unwrap().to_owned()
}

// ---------------------------------------------------------------------------------------------
// reference cases

#[test]
fn sign_reproduces_reference_documents_and_sigs() {
    for v in &VECTORS {
        let userbuf = v.userbuf_b64.map(|b| STANDARD.decode(b).unwrap());
        let mut params = SignParams::new(APP, KEY, v.identifier, v.expire);
        if let Some(u) = userbuf.as_deref() {
            params = params.with_userbuf(u);
        }
        let ticket = sign(&params, T0);
        assert!(ticket.bytes().all(|b| b.is_ascii_alphanumeric() || b"*-_".contains(&b)), "{}: alphabet", v.name);
        let got = document_of(&ticket);
        let want: Value = serde_json::from_str(v.document).unwrap();
        assert_eq!(got, want, "{}: document", v.name);
        assert_eq!(got["TLS.sig"], v.expected_sig, "{}: TLS.sig", v.name);
        assert_eq!(v.expected_sig.len(), 44);
    }
}

#[test]
fn reference_tickets_verify_and_decode() {
    for v in &VECTORS {
        let expect = VerifyParams::new(APP, KEY, v.identifier);
        let t = verify(v.usersig, &expect, T0).unwrap_or_else(|e| panic!("{}: {e}", v.name));
        assert_eq!(t.sdkappid, APP, "{}", v.name);
        assert_eq!(t.identifier, v.identifier, "{}", v.name);
        assert_eq!(t.time, T0, "{}", v.name);
        assert_eq!(t.expire, v.expire, "{}", v.name);
        assert_eq!(t.expires_at(), T0 + v.expire, "{}", v.name);
        assert_eq!(t.userbuf, v.userbuf_b64.map(|b| STANDARD.decode(b).unwrap()), "{}", v.name);
        // The independent decoder agrees with the reference document.
        let want: Value = serde_json::from_str(v.document).unwrap();
        assert_eq!(document_of(v.usersig), want, "{}", v.name);
        // Last valid second, then expired.
        assert!(verify(v.usersig, &expect, T0 + v.expire).is_ok());
        assert_eq!(
            verify(v.usersig, &expect, T0 + v.expire + 1),
            Err(VerifyError::Expired { expires_at: T0 + v.expire, now: T0 + v.expire + 1 })
        );
    }
    let abc = verify(VECTORS[3].usersig, &VerifyParams::new(APP, KEY, "xiaojun"), T0).unwrap();
    assert_eq!(abc.userbuf.as_deref(), Some(&b"abc"[..]));
}

#[test]
fn reference_tickets_reject_wrong_key_app_and_identifier() {
    for v in &VECTORS {
        let wrong_key = VerifyParams::new(APP, "0bd2850fff3ecb11", v.identifier);
        assert_eq!(verify(v.usersig, &wrong_key, T0), Err(VerifyError::BadSignature));
        let wrong_app = VerifyParams::new(APP + 1, KEY, v.identifier);
        assert_eq!(
            verify(v.usersig, &wrong_app, T0),
            Err(VerifyError::SdkAppIdMismatch { expected: APP + 1, found: APP })
        );
        let wrong_id = VerifyParams::new(APP, KEY, "someone");
        assert_eq!(
            verify(v.usersig, &wrong_id, T0),
            Err(VerifyError::IdentifierMismatch { expected: "someone".into(), found: v.identifier.into() })
        );
    }
}

#[test]
fn reference_documents_recompressed_at_every_level_verify() {
    for v in &VECTORS {
        let expect = VerifyParams::new(APP, KEY, v.identifier);
        for level in [0, 1, 6, 9] {
            let ticket = ticket_of(v.document.as_bytes(), level);
            assert!(verify(&ticket, &expect, T0).is_ok(), "{} level {level}", v.name);
            let with_newline = format!("{}\n", v.document);
            let ticket = ticket_of(with_newline.as_bytes(), level);
            assert!(verify(&ticket, &expect, T0).is_ok(), "{} level {level} + \\n", v.name);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// what sign writes

#[test]
fn sign_writes_integers_string_version_and_userbuf_only_when_given() {
    let doc = admin_doc();
    assert_eq!(doc["TLS.ver"], json!("2.0"));
    assert!(doc["TLS.sdkappid"].is_u64());
    assert!(doc["TLS.time"].is_u64());
    assert!(doc["TLS.expire"].is_u64());
    assert!(!doc.contains_key("TLS.userbuf"));
    assert_eq!(doc.len(), 6);

    let with_empty = signed_doc(&SignParams::new(APP, KEY, "administrator", 0).with_userbuf(&[]), T0);
    assert_eq!(with_empty["TLS.userbuf"], json!(""));
    assert_eq!(with_empty["TLS.expire"], json!(0));
    // The empty userbuf line is signed: the sig differs from the one without a userbuf.
    let without = signed_doc(&SignParams::new(APP, KEY, "administrator", 0), T0);
    assert_ne!(with_empty["TLS.sig"], without["TLS.sig"]);
    assert_eq!(without["TLS.sig"], json!(VECTORS[1].expected_sig));
}

#[test]
fn sign_is_zlib_at_default_level() {
    let compressed = STANDARD.decode(from_ticket_alphabet(&sign(&SignParams::new(APP, KEY, "a", 1), T0)));
    let compressed = compressed.unwrap();
    assert_eq!(&compressed[..2], &[0x78, 0x9c]);
}

#[test]
fn empty_userbuf_round_trips_as_some_empty() {
    let ticket = sign(&SignParams::new(APP, KEY, "administrator", 60).with_userbuf(b""), T0);
    let t = verify(&ticket, &expect_admin(), T0).unwrap();
    assert_eq!(t.userbuf, Some(Vec::new()));
}

#[test]
fn hard_identifiers_round_trip() {
    for id in [
        "",
        "a\"b",
        "back\\slash",
        "\"\\\"\\",
        "line\nbreak\ttab\u{0}nul",
        "用户一号",
        "emoji 🦀 \u{10FFFF}",
        "</script>",
    ] {
        let ticket = sign(&SignParams::new(APP, KEY, id, 100), T0);
        let t = verify(&ticket, &VerifyParams::new(APP, KEY, id), T0).unwrap();
        assert_eq!(t.identifier, id);
    }
}

#[test]
fn saturating_expiry() {
    let ticket = sign(&SignParams::new(APP, KEY, "administrator", u64::MAX), u64::MAX - 5);
    let t = verify(&ticket, &expect_admin(), u64::MAX).unwrap();
    assert_eq!(t.expires_at(), u64::MAX);
    let ticket = sign(&SignParams::new(APP, KEY, "administrator", 0), 0);
    assert!(verify(&ticket, &expect_admin(), 0).is_ok());
    assert_eq!(verify(&ticket, &expect_admin(), 1), Err(VerifyError::Expired { expires_at: 0, now: 1 }));
}

// ---------------------------------------------------------------------------------------------
// what verify must accept

#[test]
fn accepts_any_key_order_spacing_and_levels() {
    let doc = admin_doc();
    let sig = sig_of(&doc);
    let shuffled = format!(
        "{{ \"TLS.sig\" : \"{sig}\" ,\r\n\t\"TLS.expire\":86400,\"TLS.time\":{T0},\
         \"TLS.identifier\":\"administrator\",\"TLS.sdkappid\" : {APP} , \"TLS.ver\":\"2.0\" }}"
    );
    for level in [0, 1, 6, 9] {
        for trailing in ["", "\n", "\r\n", " \n\n"] {
            let text = format!("{shuffled}{trailing}");
            let t = verify(&ticket_of(text.as_bytes(), level), &expect_admin(), T0)
                .unwrap_or_else(|e| panic!("level {level} {trailing:?}: {e}"));
            assert_eq!(t.expire, 86_400);
            assert_eq!(t.userbuf, None);
        }
    }
}

#[test]
fn accepts_escaped_identifiers() {
    // Identifier with a quote, a backslash, non-ASCII and an astral character; written with every
    // escape JSON allows, as Python's json.dumps (ensure_ascii) does.
    let id = "ad\"m\\in/用户🦀";
    let doc = signed_doc(&SignParams::new(APP, KEY, id, 86_400), T0);
    let sig = sig_of(&doc);
    let escaped = r#"ad\u0022m\u005cin\/\u7528\u6237\ud83e\udd80"#;
    let text = format!(
        r#"{{"TLS.ver": "2.0", "TLS.identifier": "{escaped}", "TLS.sdkappid": {APP}, "TLS.expire": 86400, "TLS.time": {T0}, "TLS.sig": "{sig}"}}"#
    );
    let expect = VerifyParams::new(APP, KEY, id);
    for level in [0, 1, 6] {
        let t = verify(&ticket_of(text.as_bytes(), level), &expect, T0).unwrap();
        assert_eq!(t.identifier, id);
    }
    // Raw UTF-8 (as Node writes it) works too.
    let raw = Value::Object(doc).to_string();
    assert!(raw.contains("用户🦀"));
    assert!(verify(&ticket_of(raw.as_bytes(), 1), &expect, T0).is_ok());
}

#[test]
fn accepts_userbuf_in_any_position_and_ignores_unknown_members() {
    let doc = signed_doc(&SignParams::new(APP, KEY, "administrator", 86_400).with_userbuf(b"\x00\xffabc"), T0);
    let sig = sig_of(&doc);
    let ub = doc["TLS.userbuf"].as_str().unwrap().to_owned();
    let text = format!(
        r#"{{"TLS.userbuf":"{ub}","TLS.sig":"{sig}","TLS.sdkappid":{APP},"X.extra":[1,{{"a":null}}],"TLS.time":{T0},"TLS.expire":86400,"TLS.identifier":"administrator","TLS.ver":"2.0"}}"#
    );
    let t = verify_text(&text).unwrap();
    assert_eq!(t.userbuf.as_deref(), Some(&b"\x00\xffabc"[..]));
}

// ---------------------------------------------------------------------------------------------
// rejections: encoding

#[test]
fn rejects_empty_and_too_long() {
    assert_eq!(verify("", &expect_admin(), T0), Err(VerifyError::Empty));
    let long = "A".repeat(MAX_TICKET_LEN + 4);
    assert_eq!(
        verify(&long, &expect_admin(), T0),
        Err(VerifyError::TooLong { len: MAX_TICKET_LEN + 4, limit: MAX_TICKET_LEN })
    );
}

#[test]
fn rejects_standard_base64() {
    for v in &VECTORS {
        let standard = from_ticket_alphabet(v.usersig);
        if standard == v.usersig {
            // userbuf_abc happens to use no '*', '-' or '_': it reads the same in both alphabets.
            continue;
        }
        let err = verify(&standard, &VerifyParams::new(APP, KEY, v.identifier), T0).unwrap_err();
        assert!(matches!(err, VerifyError::ForeignAlphabet { character: '+' | '/' | '=', .. }), "{}: {err:?}", v.name);
    }
    // Position and character of the first foreign character.
    assert_eq!(
        verify("eJyr+AAA", &expect_admin(), T0),
        Err(VerifyError::ForeignAlphabet { position: 4, character: '+' })
    );
    assert_eq!(
        verify("eJyrAA==", &expect_admin(), T0),
        Err(VerifyError::ForeignAlphabet { position: 6, character: '=' })
    );
}

#[test]
fn rejects_base64url() {
    for v in &VECTORS {
        let bytes = STANDARD.decode(from_ticket_alphabet(v.usersig)).unwrap();
        let expect = VerifyParams::new(APP, KEY, v.identifier);
        let unpadded = URL_SAFE_NO_PAD.encode(&bytes);
        if unpadded == v.usersig {
            // userbuf_abc uses no '*', '-' or '_' and needs no padding: the same in every alphabet.
            continue;
        }
        // Padded base64url carries '=' (or a '_' inside, found first).
        let padded = URL_SAFE.encode(&bytes);
        let err = verify(&padded, &expect, T0).unwrap_err();
        assert!(
            matches!(err, VerifyError::ForeignAlphabet { character: '=', .. } | VerifyError::MisplacedPadding { .. }),
            "{}: {err:?}",
            v.name
        );
        // Unpadded base64url: never accepted.
        let err = verify(&unpadded, &expect, T0).unwrap_err();
        assert!(
            matches!(
                err,
                VerifyError::MisplacedPadding { .. }
                    | VerifyError::InvalidLength { .. }
                    | VerifyError::CorruptCompression
                    | VerifyError::NotZlib
            ),
            "{}: {err:?}",
            v.name
        );
    }
    // admin_default's standard base64 has a '/', so its base64url has a '_' inside.
    let bytes = STANDARD.decode(from_ticket_alphabet(VECTORS[0].usersig)).unwrap();
    let url = URL_SAFE_NO_PAD.encode(&bytes);
    let first_underscore = url.find('_').unwrap();
    assert_eq!(verify(&url, &expect_admin(), T0), Err(VerifyError::MisplacedPadding { position: first_underscore }));
}

#[test]
fn rejects_characters_outside_every_alphabet() {
    for (bad, position) in [("eJyr AAA", 4), ("eJyr.AAA", 4), ("eJyrAAA\n", 7), ("é", 0), ("eJyr\u{0}AAA", 4)] {
        assert_eq!(verify(bad, &expect_admin(), T0), Err(VerifyError::InvalidCharacter { position }), "{bad:?}");
    }
    let mut ticket = VECTORS[0].usersig.to_owned();
    ticket.push('\n');
    assert!(matches!(verify(&ticket, &expect_admin(), T0), Err(VerifyError::InvalidCharacter { .. })));
}

#[test]
fn rejects_bad_length_and_padding() {
    let e = expect_admin();
    assert_eq!(verify("eJy", &e, T0), Err(VerifyError::InvalidLength { len: 3 }));
    assert_eq!(verify("eJyrA", &e, T0), Err(VerifyError::InvalidLength { len: 5 }));
    assert_eq!(verify("e___", &e, T0), Err(VerifyError::InvalidLength { len: 4 }));
    assert_eq!(verify("____", &e, T0), Err(VerifyError::InvalidLength { len: 4 }));
    assert_eq!(verify("eJ_rAAAA", &e, T0), Err(VerifyError::MisplacedPadding { position: 2 }));
    // Dropped padding of a real ticket.
    let cut = VECTORS[0].usersig.trim_end_matches('_');
    assert!(matches!(verify(cut, &e, T0), Err(VerifyError::InvalidLength { .. })));
    // 'B' leaves a non-zero bit in the unused tail of the last group.
    assert_eq!(verify("eJB_", &e, T0), Err(VerifyError::NonCanonicalBase64));
    assert_eq!(verify("eJyrAB__", &e, T0), Err(VerifyError::NonCanonicalBase64));
}

// ---------------------------------------------------------------------------------------------
// rejections: compression

#[test]
fn rejects_raw_deflate_gzip_and_uncompressed() {
    for v in &VECTORS {
        let expect = VerifyParams::new(APP, KEY, v.identifier);
        let doc = v.document.as_bytes();
        for (what, bytes) in [("raw deflate", raw_deflate(doc)), ("gzip", gzip(doc)), ("plain", doc.to_vec())] {
            assert_eq!(verify(&encode(&bytes), &expect, T0), Err(VerifyError::NotZlib), "{}: {what}", v.name);
        }
    }
    // A single byte is no zlib header either.
    assert_eq!(verify("eA__", &expect_admin(), T0), Err(VerifyError::NotZlib));
    // A header asking for a preset dictionary (FDICT) is refused.
    let fdict = [0x78u8, 0xbb, 0, 0, 0, 0, 0, 0];
    assert_eq!(verify(&encode(&fdict), &expect_admin(), T0), Err(VerifyError::NotZlib));
}

#[test]
fn rejects_truncated_compressed_data() {
    for v in &VECTORS {
        let expect = VerifyParams::new(APP, KEY, v.identifier);
        for level in [0, 1, 6] {
            let full = zlib(v.document.as_bytes(), level);
            for cut in 2..full.len() {
                assert_eq!(
                    verify(&encode(&full[..cut]), &expect, T0),
                    Err(VerifyError::TruncatedCompression),
                    "{} level {level} cut at {cut} of {}",
                    v.name,
                    full.len()
                );
            }
        }
    }
}

#[test]
fn rejects_garbage_checksum_and_trailing_bytes() {
    let doc = VECTORS[0].document.as_bytes();
    // Valid header, then a deflate block with the reserved type 3.
    let garbage = [0x78u8, 0x9c, 0xff, 0xff, 0xff, 0xff, 0x00, 0x01];
    assert_eq!(verify(&encode(&garbage), &expect_admin(), T0), Err(VerifyError::CorruptCompression));
    for level in [0, 1, 6] {
        let mut bad_adler = zlib(doc, level);
        *bad_adler.last_mut().unwrap() ^= 1;
        assert_eq!(
            verify(&encode(&bad_adler), &expect_admin(), T0),
            Err(VerifyError::CorruptCompression),
            "level {level}"
        );
        let mut trailing = zlib(doc, level);
        trailing.push(b'x');
        assert_eq!(verify(&encode(&trailing), &expect_admin(), T0), Err(VerifyError::TrailingBytes), "level {level}");
        let mut twice = zlib(doc, level);
        twice.extend(zlib(doc, level));
        assert_eq!(verify(&encode(&twice), &expect_admin(), T0), Err(VerifyError::TrailingBytes));
    }
}

#[test]
fn caps_inflated_size() {
    let doc = admin_doc();
    let text = Value::Object(doc).to_string();
    // Padded with JSON whitespace to exactly the cap: accepted.
    let mut at_cap = text.clone().into_bytes();
    at_cap.resize(MAX_INFLATED_LEN, b' ');
    assert!(verify(&ticket_of(&at_cap, 9), &expect_admin(), T0).is_ok());
    // One byte more: rejected.
    let mut over = at_cap.clone();
    over.push(b'\n');
    assert_eq!(
        verify(&ticket_of(&over, 9), &expect_admin(), T0),
        Err(VerifyError::InflatedTooLarge { limit: MAX_INFLATED_LEN })
    );
    // A 64 MiB "bomb" in a short ticket.
    let bomb = zlib(&vec![b' '; 64 << 20], 9);
    let ticket = encode(&bomb);
    assert!(ticket.len() < 200_000);
    assert_eq!(verify(&ticket, &expect_admin(), T0), Err(VerifyError::InflatedTooLarge { limit: MAX_INFLATED_LEN }));
}

// ---------------------------------------------------------------------------------------------
// rejections: document shape

#[test]
fn rejects_non_json_and_non_objects() {
    assert!(matches!(verify_text("not json"), Err(VerifyError::NotJson { line: 1, .. })));
    assert!(matches!(verify_text(""), Err(VerifyError::NotJson { .. })));
    assert!(matches!(verify_text("{\"TLS.ver\": \"2.0\""), Err(VerifyError::NotJson { .. })));
    assert!(matches!(verify_text("{} x"), Err(VerifyError::NotJson { .. })));
    assert!(matches!(
        verify(&ticket_of(b"{\"a\":\"\xff\"}", 6), &expect_admin(), T0),
        Err(VerifyError::NotJson { .. })
    ));
    let deep = format!("{{\"a\":{}{}}}", "[".repeat(10_000), "]".repeat(10_000));
    assert!(matches!(verify_text(&deep), Err(VerifyError::NotJson { .. })));
    for not_object in ["[]", "[1,2]", "\"2.0\"", "null", "42", "true"] {
        assert_eq!(verify_text(not_object), Err(VerifyError::NotAnObject), "{not_object}");
    }
}

#[test]
fn rejects_missing_fields() {
    for field in ["TLS.ver", "TLS.identifier", "TLS.sdkappid", "TLS.time", "TLS.expire", "TLS.sig"] {
        let mut doc = admin_doc();
        doc.remove(field);
        assert_eq!(verify_value(&Value::Object(doc)), Err(VerifyError::MissingField { field }), "{field}");
    }
    assert_eq!(verify_text("{}"), Err(VerifyError::MissingField { field: "TLS.ver" }));
}

#[test]
fn rejects_mistyped_fields() {
    let cases: Vec<(&str, Value)> = vec![
        ("TLS.sdkappid", json!(APP.to_string())),
        ("TLS.sdkappid", json!(1.4e9)),
        ("TLS.sdkappid", json!(-1)),
        ("TLS.sdkappid", json!(null)),
        ("TLS.time", json!(T0.to_string())),
        ("TLS.time", json!(1_700_000_000.0)),
        ("TLS.expire", json!("86400")),
        ("TLS.expire", json!(86_400.0)),
        ("TLS.expire", json!(-86_400)),
        ("TLS.expire", json!(1e30)),
        ("TLS.identifier", json!(7)),
        ("TLS.identifier", json!(["administrator"])),
        ("TLS.ver", json!(2.0)),
        ("TLS.ver", json!(2)),
        ("TLS.sig", json!(null)),
        ("TLS.sig", json!("not base64!")),
        ("TLS.sig", json!("JCzxanF8NTTXau4m-2h9wv7gYJnyNksm0xm1NEXU274=")),
        ("TLS.userbuf", json!(123)),
        ("TLS.userbuf", json!(null)),
        ("TLS.userbuf", json!("YWJ")),
        ("TLS.userbuf", json!("YW_j")),
    ];
    for (field, value) in cases {
        let mut doc = admin_doc();
        doc.insert(field.to_owned(), value.clone());
        let err = verify_value(&Value::Object(doc)).unwrap_err();
        match err {
            VerifyError::FieldType { field: f, .. } => assert_eq!(f, field, "{value}"),
            other => panic!("{field} = {value}: {other:?}"),
        }
    }
    // Large integers beyond u64 become floats in JSON parsers: rejected, not wrapped.
    let doc = admin_doc();
    let text = Value::Object(doc).to_string().replace("\"TLS.time\":1700000000", "\"TLS.time\":18446744073709551616");
    assert_eq!(
        verify_text(&text),
        Err(VerifyError::FieldType { field: "TLS.time", expected: "a non-negative JSON integer" })
    );
}

#[test]
fn rejects_duplicate_members() {
    let doc = admin_doc();
    let sig = sig_of(&doc);
    let base = format!(
        r#""TLS.ver":"2.0","TLS.identifier":"administrator","TLS.sdkappid":{APP},"TLS.expire":86400,"TLS.sig":"{sig}""#
    );
    let text = format!(r#"{{{base},"TLS.time":{T0},"TLS.time":{}}}"#, T0 + 1);
    assert_eq!(verify_text(&text), Err(VerifyError::DuplicateField { field: "TLS.time" }));
    let text = format!(r#"{{{base},"TLS.time":{T0},"TLS.identifier":"administrator"}}"#);
    assert_eq!(verify_text(&text), Err(VerifyError::DuplicateField { field: "TLS.identifier" }));
    // Duplicates of members the checker does not read are tolerated.
    let text = format!(r#"{{{base},"TLS.time":{T0},"x":1,"x":2}}"#);
    assert!(verify_text(&text).is_ok());
}

#[test]
fn rejects_other_versions() {
    for (ver, found) in [("3.0", "3.0"), ("2", "2"), ("", ""), ("2.0 ", "2.0 ")] {
        let mut doc = admin_doc();
        doc.insert("TLS.ver".into(), json!(ver));
        assert_eq!(verify_value(&Value::Object(doc)), Err(VerifyError::UnsupportedVersion { found: found.into() }));
    }
    let mut doc = admin_doc();
    doc.insert("TLS.ver".into(), json!("9".repeat(1000)));
    assert_eq!(verify_value(&Value::Object(doc)), Err(VerifyError::UnsupportedVersion { found: "9".repeat(16) }));
}

// ---------------------------------------------------------------------------------------------
// rejections: expectations, expiry, signature

#[test]
fn rejects_other_app_and_identifier() {
    let ticket = sign(&SignParams::new(APP, KEY, "administrator", 100), T0);
    assert_eq!(
        verify(&ticket, &VerifyParams::new(1_400_000_001, KEY, "administrator"), T0),
        Err(VerifyError::SdkAppIdMismatch { expected: 1_400_000_001, found: APP })
    );
    for other in ["Administrator", "administrator ", "admin", ""] {
        assert_eq!(
            verify(&ticket, &VerifyParams::new(APP, KEY, other), T0),
            Err(VerifyError::IdentifierMismatch { expected: other.into(), found: "administrator".into() })
        );
    }
}

#[test]
fn rejects_expired_with_both_times() {
    let ticket = sign(&SignParams::new(APP, KEY, "administrator", 100), T0);
    assert!(verify(&ticket, &expect_admin(), T0 + 100).is_ok());
    assert!(verify(&ticket, &expect_admin(), 0).is_ok());
    let err = verify(&ticket, &expect_admin(), T0 + 101).unwrap_err();
    assert_eq!(err, VerifyError::Expired { expires_at: T0 + 100, now: T0 + 101 });
    let text = err.to_string();
    assert!(text.contains(&(T0 + 100).to_string()) && text.contains(&(T0 + 101).to_string()));
}

#[test]
fn rejects_wrong_key() {
    let ticket = sign(&SignParams::new(APP, KEY, "administrator", 100), T0);
    for key in ["", "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5f", "x"] {
        assert_eq!(verify(&ticket, &VerifyParams::new(APP, key, "administrator"), T0), Err(VerifyError::BadSignature));
    }
    // The key is not hex-decoded: a ticket signed with the decoded bytes' text is a different key.
    let upper = KEY.to_uppercase();
    assert_eq!(verify(&ticket, &VerifyParams::new(APP, &upper, "administrator"), T0), Err(VerifyError::BadSignature));
}

#[test]
fn rejects_tampered_signed_members() {
    type Edit = Box<dyn Fn(&mut serde_json::Map<String, Value>)>;
    let edits: Vec<(&str, Edit)> = vec![
        (
            "time+1",
            Box::new(|d| {
                d.insert("TLS.time".into(), json!(T0 + 1));
            }),
        ),
        (
            "time-1",
            Box::new(|d| {
                d.insert("TLS.time".into(), json!(T0 - 1));
            }),
        ),
        (
            "expire+1",
            Box::new(|d| {
                d.insert("TLS.expire".into(), json!(86_401));
            }),
        ),
        (
            "userbuf added",
            Box::new(|d| {
                d.insert("TLS.userbuf".into(), json!(""));
            }),
        ),
        (
            "userbuf added abc",
            Box::new(|d| {
                d.insert("TLS.userbuf".into(), json!("YWJj"));
            }),
        ),
        (
            "sig other",
            Box::new(|d| {
                d.insert("TLS.sig".into(), json!(VECTORS[0].expected_sig));
            }),
        ),
        (
            "sig short",
            Box::new(|d| {
                d.insert("TLS.sig".into(), json!(STANDARD.encode([7u8; 31])));
            }),
        ),
        (
            "sig long",
            Box::new(|d| {
                let mut long = STANDARD.decode(d["TLS.sig"].as_str().unwrap()).unwrap();
                long.push(0);
                d.insert("TLS.sig".into(), json!(STANDARD.encode(long)));
            }),
        ),
        (
            "sig truncated",
            Box::new(|d| {
                let mut short = STANDARD.decode(d["TLS.sig"].as_str().unwrap()).unwrap();
                short.pop();
                d.insert("TLS.sig".into(), json!(STANDARD.encode(short)));
            }),
        ),
        (
            "sig empty",
            Box::new(|d| {
                d.insert("TLS.sig".into(), json!(""));
            }),
        ),
    ];
    for (what, edit) in edits {
        let mut doc = admin_doc();
        edit(&mut doc);
        assert_eq!(verify_value(&Value::Object(doc)), Err(VerifyError::BadSignature), "{what}");
    }
    // With a userbuf: changed or removed.
    let params = SignParams::new(APP, KEY, "administrator", 86_400).with_userbuf(b"abc");
    let mut doc = signed_doc(&params, T0);
    assert!(verify_value(&Value::Object(doc.clone())).is_ok());
    doc.insert("TLS.userbuf".into(), json!("YWJk"));
    assert_eq!(verify_value(&Value::Object(doc.clone())), Err(VerifyError::BadSignature));
    doc.remove("TLS.userbuf");
    assert_eq!(verify_value(&Value::Object(doc)), Err(VerifyError::BadSignature));
    // An empty userbuf removed (the Go bug) is a bad signature too.
    let params = SignParams::new(APP, KEY, "administrator", 86_400).with_userbuf(b"");
    let mut doc = signed_doc(&params, T0);
    doc.remove("TLS.userbuf");
    assert_eq!(verify_value(&Value::Object(doc)), Err(VerifyError::BadSignature));
}

#[test]
fn compression_slack_changes_the_ticket_but_not_the_content() {
    // A level-6 ticket (key "k") and a copy with character 31 changed from '3' to 'A', inside the
    // deflate block's Huffman table header. Both inflate to the same document (zlib agrees), so both
    // verify, with identical content: about 0.1% of one-character changes do this. Nothing signed
    // can change this way; the property tests below check exactly that.
    let original = "eJwtjdEKgjAUht-l3Ba2KVQKXQzEhVg31QMUO9VhuOa2SojeXdHdfv-H--3g3JwS7C05hIIztpwAKTSB7oQOCnh7dBzmwSt9tZbU6EZAj1FJO-EMoj9mG1*Xr29W5yYX*8XtUBm5klhtddPKrlzzi97Fp0DtXIzJz9RKEwb-AW9KLE0_";
    let changed = "eJwtjdEKgjAUht-l3Ba2KVQKXQzEhVgA1QMUO9VhuOa2SojeXdHdfv-H--3g3JwS7C05hIIztpwAKTSB7oQOCnh7dBzmwSt9tZbU6EZAj1FJO-EMoj9mG1*Xr29W5yYX*8XtUBm5klhtddPKrlzzi97Fp0DtXIzJz9RKEwb-AW9KLE0_";
    assert_ne!(original, changed);
    assert_eq!(inflate_ticket(original), inflate_ticket(changed));
    let expect = VerifyParams::new(1, "k", "user1");
    let a = verify(original, &expect, 1000).unwrap();
    let b = verify(changed, &expect, 1000).unwrap();
    assert_eq!(a, b);
}

// ---------------------------------------------------------------------------------------------
// secrets

#[test]
fn params_debug_redacts_the_key() {
    let s = format!(
        "{:?} {:#?}",
        SignParams::new(APP, KEY, "administrator", 1).with_userbuf(b"secret-ish"),
        VerifyParams::new(APP, KEY, "administrator")
    );
    assert!(!s.contains(KEY), "{s}");
    assert!(!s.contains("5bd2850f"), "{s}");
    assert!(s.contains("<redacted>"), "{s}");
    assert!(s.contains("administrator"), "{s}");
}

#[test]
fn errors_and_tickets_never_print_key_ticket_or_sig() {
    let ticket = sign(&SignParams::new(APP, KEY, "administrator", 10), T0);
    let sig = sig_of(&document_of(&ticket).as_object().unwrap().clone());
    let mut errors = vec![
        verify(&ticket, &VerifyParams::new(APP, "wrong", "administrator"), T0),
        verify(&ticket, &VerifyParams::new(APP + 1, KEY, "administrator"), T0),
        verify(&ticket, &VerifyParams::new(APP, KEY, "other"), T0),
        verify(&ticket, &expect_admin(), T0 + 11),
        verify(&from_ticket_alphabet(&ticket), &expect_admin(), T0),
        verify(&ticket[..ticket.len() - 4], &expect_admin(), T0),
        verify(&format!("{ticket} "), &expect_admin(), T0),
    ];
    let mut doc = document_of(&ticket).as_object().unwrap().clone();
    doc.insert("TLS.time".into(), json!(format!("{sig}")));
    errors.push(verify_value(&Value::Object(doc)));
    let mut doc = document_of(&ticket).as_object().unwrap().clone();
    doc.insert("TLS.ver".into(), json!(sig.clone()));
    errors.push(verify_value(&Value::Object(doc)));
    let text = format!("{{\"TLS.sig\": \"{sig}\", \"TLS.ver\": 2.0, oops}}");
    errors.push(verify_text(&text));
    for e in errors {
        let e = e.unwrap_err();
        for printed in [e.to_string(), format!("{e:?}")] {
            assert!(!printed.contains(KEY), "{printed}");
            assert!(!printed.contains(&ticket[..40]), "{printed}");
            assert!(!printed.contains(&sig[..20]), "{printed}");
        }
    }
    let t = verify(&ticket, &expect_admin(), T0).unwrap();
    let printed = format!("{t:?} {}", serde_json::to_string(&t).unwrap());
    assert!(!printed.contains(&sig[..20]) && !printed.contains(KEY), "{printed}");
}

#[test]
fn ticket_serializes_as_json() {
    let t = verify(VECTORS[3].usersig, &VerifyParams::new(APP, KEY, "xiaojun"), T0).unwrap();
    assert_eq!(
        serde_json::to_value(&t).unwrap(),
        json!({
            "sdkappid": APP,
            "identifier": "xiaojun",
            "time": T0,
            "expire": 15_552_000,
            "expires_at": T0 + 15_552_000,
            "userbuf": "YWJj",
        })
    );
    let t = verify(VECTORS[0].usersig, &expect_admin(), T0).unwrap();
    assert_eq!(serde_json::to_value(&t).unwrap()["userbuf"], Value::Null);
}

#[test]
fn error_is_std_error() {
    fn takes(_: &dyn std::error::Error) {}
    takes(&VerifyError::BadSignature);
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(VerifyError::Empty);
    assert!(!boxed.to_string().is_empty());
}

// ---------------------------------------------------------------------------------------------
// properties

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-_";

#[derive(Debug, Clone)]
enum Mutation {
    Replace(usize, char),
    Insert(usize, char),
    Delete(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let ch = prop_oneof![
        4 => proptest::sample::select(ALPHABET).prop_map(char::from),
        1 => any::<char>(),
    ];
    prop_oneof![
        3 => (any::<usize>(), ch.clone()).prop_map(|(i, c)| Mutation::Replace(i, c)),
        1 => (any::<usize>(), ch).prop_map(|(i, c)| Mutation::Insert(i, c)),
        1 => any::<usize>().prop_map(Mutation::Delete),
    ]
}

fn apply(ticket: &str, mutations: &[Mutation]) -> String {
    let mut chars: Vec<char> = ticket.chars().collect();
    for m in mutations {
        match *m {
            Mutation::Replace(i, c) if !chars.is_empty() => {
                let i = i % chars.len();
                chars[i] = c;
            }
            Mutation::Insert(i, c) => chars.insert(i % (chars.len() + 1), c),
            Mutation::Delete(i) if !chars.is_empty() => {
                let i = i % chars.len();
                chars.remove(i);
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_strings_never_panic(s in any::<String>(), now in any::<u64>()) {
        let _ = verify(&s, &expect_admin(), now);
    }

    #[test]
    fn arbitrary_alphabet_strings_never_panic(s in "[A-Za-z0-9*_-]{0,300}") {
        let _ = verify(&s, &expect_admin(), T0);
        let with_header = format!("eJ{s}");
        let _ = verify(&with_header, &expect_admin(), T0);
    }

    #[test]
    fn arbitrary_compressed_bytes_never_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..300),
        level in 0u32..=9,
    ) {
        let _ = verify(&ticket_of(&bytes, level), &expect_admin(), T0);
        let _ = verify(&encode(&bytes), &expect_admin(), T0);
    }

    #[test]
    fn arbitrary_documents_never_panic(
        fields in proptest::collection::vec(
            (
                prop_oneof![
                    proptest::sample::select(vec![
                        "TLS.ver", "TLS.identifier", "TLS.sdkappid", "TLS.time",
                        "TLS.expire", "TLS.userbuf", "TLS.sig",
                    ]).prop_map(str::to_owned),
                    ".{0,8}",
                ],
                prop_oneof![
                    Just(json!(null)),
                    any::<bool>().prop_map(Value::from),
                    any::<i64>().prop_map(Value::from),
                    any::<u64>().prop_map(Value::from),
                    any::<f64>().prop_map(Value::from),
                    ".{0,50}".prop_map(Value::from),
                    "[A-Za-z0-9+/]{0,44}={0,2}".prop_map(Value::from),
                ],
            ),
            0..10,
        ),
    ) {
        let doc: serde_json::Map<String, Value> = fields.into_iter().collect();
        let _ = verify_value(&Value::Object(doc));
    }

    /// Mutated tickets never panic, and never verify with content other than the original's.
    /// (Changing a ticket can leave it valid only when the change lands in bits that inflate
    /// ignores, such as the padding bits after the last deflate block; the decoded and signed
    /// content is then identical, which this checks.)
    #[test]
    fn mutated_tickets_never_verify_as_something_else(
        id in "[a-z_]{1,20}",
        userbuf in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..16)),
        mutations in proptest::collection::vec(mutation(), 1..4),
    ) {
        let mut params = SignParams::new(APP, KEY, &id, 3600);
        if let Some(u) = userbuf.as_deref() {
            params = params.with_userbuf(u);
        }
        let ticket = sign(&params, T0);
        let expect = VerifyParams::new(APP, KEY, &id);
        let original = verify(&ticket, &expect, T0).unwrap();
        let mutated = apply(&ticket, &mutations);
        if let Ok(t) = verify(&mutated, &expect, T0) {
            prop_assert_eq!(t, original);
        }
        if mutated != ticket {
            // The reference tickets, mutated the same way.
            for v in &VECTORS {
                let m = apply(v.usersig, &mutations);
                let expect = VerifyParams::new(APP, KEY, v.identifier);
                if let Ok(t) = verify(&m, &expect, T0) {
                    prop_assert_eq!(t, verify(v.usersig, &expect, T0).unwrap());
                }
            }
        }
    }

    #[test]
    fn sign_verify_round_trips(
        sdkappid in any::<u64>(),
        key in ".{0,80}",
        id in any::<String>(),
        userbuf in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..64)),
        time in any::<u64>(),
        expire in any::<u64>(),
    ) {
        let mut params = SignParams::new(sdkappid, &key, &id, expire);
        if let Some(u) = userbuf.as_deref() {
            params = params.with_userbuf(u);
        }
        let ticket = sign(&params, time);
        let expect = VerifyParams::new(sdkappid, &key, &id);
        let t = verify(&ticket, &expect, time).unwrap();
        prop_assert_eq!(t.sdkappid, sdkappid);
        prop_assert_eq!(&t.identifier, &id);
        prop_assert_eq!(t.time, time);
        prop_assert_eq!(t.expire, expire);
        prop_assert_eq!(&t.userbuf, &userbuf);
        let end = time.saturating_add(expire);
        prop_assert_eq!(t.expires_at(), end);
        prop_assert!(verify(&ticket, &expect, end).is_ok());
        if let Some(after) = end.checked_add(1) {
            prop_assert_eq!(
                verify(&ticket, &expect, after),
                Err(VerifyError::Expired { expires_at: end, now: after })
            );
        }
        // The independent decoder sees integers, the version string and the userbuf rule.
        let doc = document_of(&ticket);
        prop_assert_eq!(&doc["TLS.ver"], &json!("2.0"));
        prop_assert_eq!(&doc["TLS.time"], &json!(time));
        prop_assert_eq!(doc.get("TLS.userbuf").is_some(), userbuf.is_some());
    }
}

// ---------------------------------------------------------------------------------------------
// the example program, when its binary has been built

/// The `usersig` example's binary: `$USERSIG_EXAMPLE_BIN`, or `target/<profile>/examples/usersig`
/// next to this test's own binary (built by `cargo test` for the package that owns the example,
/// e.g. `cargo test --workspace`). `None` when neither exists.
fn example_binary() -> Option<std::path::PathBuf> {
    if let Some(p) = std::env::var_os("USERSIG_EXAMPLE_BIN") {
        return Some(p.into());
    }
    let exe = std::env::current_exe().ok()?;
    let profile_dir = exe.parent()?.parent()?;
    let bin = profile_dir.join("examples").join(format!("usersig{}", std::env::consts::EXE_SUFFIX));
    bin.is_file().then_some(bin)
}

fn run_example(bin: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(bin).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn example_program_signs_and_verifies() {
    let Some(bin) = example_binary() else {
        // `cargo test --workspace` (the README's command, and CI's) builds it; a narrower run may not.
        assert!(std::env::var_os("CI").is_none(), "the usersig example was not built");
        eprintln!("skipped: the usersig example has not been built (or set USERSIG_EXAMPLE_BIN)");
        return;
    };
    let app = APP.to_string();
    let t0 = T0.to_string();
    let common = ["--sdkappid", &app, "--key", KEY, "--identifier", "xiaojun"];

    let mut args = vec!["sign"];
    args.extend(common);
    args.extend(["--expire", "15552000", "--time", &t0, "--userbuf-base64", "YWJj"]);
    let (code, out, err) = run_example(&bin, &args);
    assert_eq!(code, 0, "{err}");
    let ticket = out.trim_end_matches('\n');
    assert_eq!(out.lines().count(), 1);
    assert_eq!(document_of(ticket), serde_json::from_str::<Value>(VECTORS[3].document).unwrap());

    let mut args = vec!["verify"];
    args.extend(common);
    args.extend(["--now", &t0, VECTORS[3].usersig]);
    let (code, out, err) = run_example(&bin, &args);
    assert_eq!(code, 0, "{err}");
    let printed: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(printed["userbuf"], json!("YWJj"));
    assert_eq!(printed["expires_at"], json!(T0 + 15_552_000));

    let later = (T0 + 15_552_001).to_string();
    let mut args = vec!["verify"];
    args.extend(common);
    args.extend(["--now", &later, VECTORS[3].usersig]);
    let (code, out, err) = run_example(&bin, &args);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(err.contains("expired"), "{err}");
    assert!(!err.contains(KEY));

    for bad in [
        vec![],
        vec!["frobnicate"],
        vec!["sign", "--sdkappid", "x"],
        vec!["sign", "--key", KEY],
        vec!["verify", "--sdkappid", &app, "--key", KEY, "--identifier", "a"],
        vec!["verify", "--bogus", "1"],
    ] {
        let (code, out, err) = run_example(&bin, &bad);
        assert_eq!(code, 2, "{bad:?}");
        assert!(out.is_empty());
        assert!(err.contains("usage"), "{err}");
        assert!(!err.contains(KEY), "{err}");
    }
}
