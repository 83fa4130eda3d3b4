//! The signature of a webhook request: `Sign = lowercase-hex(sha256(token ‖ RequestTime))`, the
//! token's UTF-8 bytes immediately followed by the decimal `RequestTime` as it appears in the
//! query, no separator, no HMAC. It covers the token and the time only: not the body, the
//! SDKAppID or the command.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::secret::Secret;

/// The `Sign` Live adds to a webhook request made at `request_time` (the decimal Unix seconds of
/// its `RequestTime` parameter) when the app's webhook token is `token`: 64 lower-case hex
/// digits. Useful to sign requests in tests of a receiver.
///
/// ```
/// use live_api::{Secret, webhook};
///
/// let sign = webhook::sign(&Secret::new("xxxxyyyy"), "1669872112");
/// assert_eq!(sign, "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061");
/// ```
pub fn sign(token: &Secret, request_time: &str) -> String {
    let digest = digest(token, request_time);
    let mut hex = String::with_capacity(64);
    for b in digest {
        hex.push(char::from(HEX[usize::from(b >> 4)]));
        hex.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    hex
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn digest(token: &Secret, request_time: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(token.expose().as_bytes());
    h.update(request_time.as_bytes());
    h.finalize().into()
}

/// Whether `given` is the signature of `request_time` with `token`, compared in constant time
/// (hex digits in either case are accepted: the docs show lower case but do not say).
pub(crate) fn matches(token: &Secret, request_time: &str, given: &str) -> bool {
    let Some(given) = unhex(given) else { return false };
    bool::from(digest(token, request_time).ct_eq(&given))
}

/// The 32 bytes of 64 hex digits, `None` for anything else. The length and the alphabet of the
/// given signature are public; only its comparison with the expected one must not leak.
fn unhex(s: &str) -> Option<[u8; 32]> {
    let s = s.as_bytes();
    if s.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in s.chunks_exact(2).enumerate() {
        out[i] = (nibble(pair[0])? << 4) | nibble(pair[1])?;
    }
    Some(out)
}

fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VECTOR: &str = "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061";

    #[test]
    fn the_documented_test_vector() {
        let token = Secret::new("xxxxyyyy");
        assert_eq!(sign(&token, "1669872112"), VECTOR);
        assert!(matches(&token, "1669872112", VECTOR));
        assert!(matches(&token, "1669872112", &VECTOR.to_ascii_uppercase()));
    }

    #[test]
    fn any_other_token_time_or_sign_does_not_match() {
        let token = Secret::new("xxxxyyyy");
        assert!(!matches(&Secret::new("xxxxyyyz"), "1669872112", VECTOR));
        assert!(!matches(&token, "1669872113", VECTOR));
        assert!(!matches(&token, "01669872112", VECTOR), "the time is signed as it is written");
        let mut tampered = VECTOR.to_owned();
        tampered.replace_range(63.., "0");
        assert!(!matches(&token, "1669872112", &tampered));
        for bad in ["", &VECTOR[..63], &format!("{VECTOR}0"), &VECTOR.replace('a', "g"), "é"] {
            assert!(!matches(&token, "1669872112", bad), "{bad:?}");
        }
    }
}
