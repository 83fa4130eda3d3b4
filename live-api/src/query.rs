//! The query string of a call, both ways: the client writes
//! `?sdkappid=..&identifier=..&usersig=..&random=..&contenttype=json` after the path, and the
//! server side (`server::Gateway`) reads the parameters back.
//!
//! Values are percent-encoded as query components (RFC 3986): the unreserved characters and `*`
//! (which tickets use) stay as they are, every other byte of the UTF-8 text is `%XX` in upper-case
//! hex (a space is `%20`). Decoding undoes `%XX` escapes and nothing else: a malformed escape
//! (`%zz`, `%4`, `%+5`) stays as it is, and `+` stays `+`.
//!
//! `percent-encoding` does the work. `form_urlencoded` (the other half of the same family) is not
//! used: it is the HTML-form dialect, which writes a space as `+` and `~` as `%7E` and reads `+`
//! as a space, so it would change the bytes on the wire and turn a `+` in a value into a space.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// The bytes a query component keeps as they are: `A-Z a-z 0-9 - . _ ~` and `*`.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~').remove(b'*');

/// `s` percent-encoded as a query component.
pub(crate) fn encode(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

/// The URLs of one client's calls: the base URL and the account's parameters, encoded once.
pub(crate) struct Urls {
    base: String,
    /// `?sdkappid=..&identifier=..&usersig=`, up to the ticket.
    head: String,
}

impl Urls {
    /// The URLs below `base` (without a trailing `/`) for calls made as `admin` of `sdk_app_id`.
    pub(crate) fn new(base: String, sdk_app_id: u64, admin: &str) -> Urls {
        let head = format!("?sdkappid={sdk_app_id}&identifier={}&usersig=", encode(admin));
        Urls { base, head }
    }

    /// The base URL.
    pub(crate) fn base(&self) -> &str {
        &self.base
    }

    /// The URL of one attempt at `path`, with the already encoded `ticket` and `random`.
    pub(crate) fn attempt(&self, path: &str, ticket: &str, random: u32) -> String {
        let mut url = String::with_capacity(self.base.len() + path.len() + self.head.len() + 256);
        url.push_str(&self.base);
        url.push_str(path);
        url.push_str(&self.head);
        url.push_str(ticket);
        url.push_str("&random=");
        push_decimal(&mut url, random);
        url.push_str("&contenttype=json");
        url
    }
}

/// Appends `n` in decimal, without the formatting machinery or an allocation.
fn push_decimal(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[i..].iter().map(|&d| d as char));
}

/// The parameters of a query string (without the `?`), decoded, in order.
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    /// Splits `query` at `&` (skipping empty parts) and each part at its first `=` (a part
    /// without one is a name with an empty value), and decodes names and values.
    pub(crate) fn parse(query: &str) -> Params {
        Params(
            query
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    (decode(k), decode(v))
                })
                .collect(),
        )
    }

    /// The value of the first parameter called `name`.
    #[cfg(feature = "server")]
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Every parameter, in order.
    pub(crate) fn pairs(&self) -> &[(String, String)] {
        &self.0
    }
}

/// `s` with its `%XX` escapes decoded; bytes that are not UTF-8 become U+FFFD.
fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_without_allocating() {
        for n in [0, 7, 10, 4_294_967_295, 1_234_567] {
            let mut s = String::from("x=");
            push_decimal(&mut s, n);
            assert_eq!(s, format!("x={n}"));
        }
    }

    #[test]
    fn encodes_identifiers_but_keeps_ticket_characters() {
        assert_eq!(encode("admin@x y/é"), "admin%40x%20y%2F%C3%A9");
        assert_eq!(encode("eJw*-_AB.~"), "eJw*-_AB.~");
        assert_eq!(encode("a+b=c&d%"), "a%2Bb%3Dc%26d%25");
        let every_ascii: String = (0u8..128).map(char::from).collect();
        let kept: String = encode(&every_ascii).split('%').map(|p| p.get(2..).unwrap_or(p)).collect();
        assert_eq!(kept, "*-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~");
    }

    #[test]
    fn the_url_of_an_attempt() {
        let urls = Urls::new("https://adminapisgp.im.qcloud.com".into(), 1400000000, "admin@x");
        assert_eq!(urls.base(), "https://adminapisgp.im.qcloud.com");
        assert_eq!(
            urls.attempt("/v4/svc/cmd", "eJw*-_AB", 42),
            "https://adminapisgp.im.qcloud.com/v4/svc/cmd?sdkappid=1400000000&identifier=admin%40x&usersig=eJw*-_AB&random=42&contenttype=json"
        );
    }

    #[cfg(feature = "server")]
    #[test]
    fn decodes_escapes_and_nothing_else() {
        let p = Params::parse("a=x%20y+z&&b&c=%zz%4%+5%e9%C3%A9&a=second&%41%3D=%3D=&d=100%");
        assert_eq!(p.get("a"), Some("x y+z"), "`+` stays `+`; the first `a` counts");
        assert_eq!(p.get("b"), Some(""));
        assert_eq!(p.get("c"), Some("%zz%4%+5\u{fffd}é"), "malformed escapes stay; non-UTF-8 is replaced");
        assert_eq!(p.get("A="), Some("=="), "names are decoded; the value is after the first `=`");
        assert_eq!(p.get("d"), Some("100%"));
        assert_eq!(p.get("e"), None);
        let values = ["admin@x y/é", "eJw*-_AB", "a+b=c&d%", "%41"];
        for v in values {
            assert_eq!(Params::parse(&format!("v={}", encode(v))).get("v"), Some(v));
        }
    }
}
