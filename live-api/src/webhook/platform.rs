//! The client platform of a webhook request (`OptPlatform`): an open set, read case-insensitively.

use std::fmt;

use serde::{Serialize, Serializer};

/// The platform the event came from (`OptPlatform`). The docs list `RESTAPI`, `Web`, `Android`,
/// `iOS`, `Windows`, `Mac`, `iPad` and `Unknown`, spelled differently from page to page (`iOs`,
/// `IOS`, `macOS`): the known ones are read case-insensitively (`macOS` is [`Mac`](Self::Mac)),
/// and any other value is kept as [`Other`](Self::Other).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Platform {
    /// `RESTAPI`: sent through the REST API.
    RestApi,
    /// `Web`: the Web SDK.
    Web,
    /// `Android`.
    Android,
    /// `iOS`.
    Ios,
    /// `Windows`.
    Windows,
    /// `Mac` (or `macOS`).
    Mac,
    /// `iPad`.
    IPad,
    /// `Unknown`: an unknown device type.
    Unknown,
    /// A value the docs do not list, as it came.
    Other(String),
}

impl Platform {
    /// Reads an `OptPlatform` value.
    pub fn parse(value: &str) -> Platform {
        const KNOWN: [(&str, Platform); 9] = [
            ("restapi", Platform::RestApi),
            ("web", Platform::Web),
            ("android", Platform::Android),
            ("ios", Platform::Ios),
            ("windows", Platform::Windows),
            ("mac", Platform::Mac),
            ("macos", Platform::Mac),
            ("ipad", Platform::IPad),
            ("unknown", Platform::Unknown),
        ];
        KNOWN
            .into_iter()
            .find(|(word, _)| value.eq_ignore_ascii_case(word))
            .map_or_else(|| Platform::Other(value.to_owned()), |(_, p)| p)
    }

    /// The documented spelling (`RESTAPI`, `iOS`, …), or the value as it came.
    pub fn as_str(&self) -> &str {
        match self {
            Platform::RestApi => "RESTAPI",
            Platform::Web => "Web",
            Platform::Android => "Android",
            Platform::Ios => "iOS",
            Platform::Windows => "Windows",
            Platform::Mac => "Mac",
            Platform::IPad => "iPad",
            Platform::Unknown => "Unknown",
            Platform::Other(s) => s,
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Platform {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_platforms_in_any_case_and_others_as_they_came() {
        assert_eq!(Platform::parse("iOS"), Platform::Ios);
        assert_eq!(Platform::parse("IOS"), Platform::Ios);
        assert_eq!(Platform::parse("iOs"), Platform::Ios);
        assert_eq!(Platform::parse("macOS"), Platform::Mac);
        assert_eq!(Platform::parse("RESTAPI").as_str(), "RESTAPI");
        assert_eq!(Platform::parse("restapi").to_string(), "RESTAPI");
        assert_eq!(Platform::parse("HarmonyOS"), Platform::Other("HarmonyOS".into()));
        assert_eq!(Platform::parse("HarmonyOS").as_str(), "HarmonyOS");
    }
}
