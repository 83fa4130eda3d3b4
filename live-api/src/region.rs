//! Region domains of the REST API.

use std::fmt;
use std::str::FromStr;

/// Where the SDKAppID lives; each region has its own REST domain.
///
/// The Live documentation lists China, Singapore, Silicon Valley and Jakarta. Seoul, Frankfurt,
/// Tokyo and Mumbai are the Chat (IM) REST domains; no Live page lists them, so whether the Live
/// endpoints answer there is not confirmed ([`Region::is_documented_for_live`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Region {
    /// China: `console.tim.qq.com`.
    China,
    /// Singapore: `adminapisgp.im.qcloud.com`.
    Singapore,
    /// Silicon Valley (United States): `adminapiusa.im.qcloud.com`.
    SiliconValley,
    /// Jakarta: `adminapiidn.im.qcloud.com`.
    Jakarta,
    /// Seoul: `adminapikr.im.qcloud.com` (Chat domain; not confirmed for Live).
    Seoul,
    /// Frankfurt: `adminapiger.im.qcloud.com` (Chat domain; not confirmed for Live).
    Frankfurt,
    /// Tokyo: `adminapijpn.im.qcloud.com` (Chat domain; not confirmed for Live).
    Tokyo,
    /// Mumbai: `adminapiind.im.qcloud.com` (Chat domain; not confirmed for Live).
    Mumbai,
}

impl Region {
    /// Every region, the four of the Live documentation first.
    pub const ALL: [Region; 8] = [
        Region::China,
        Region::Singapore,
        Region::SiliconValley,
        Region::Jakarta,
        Region::Seoul,
        Region::Frankfurt,
        Region::Tokyo,
        Region::Mumbai,
    ];

    /// The REST domain.
    pub fn domain(self) -> &'static str {
        match self {
            Region::China => "console.tim.qq.com",
            Region::Singapore => "adminapisgp.im.qcloud.com",
            Region::SiliconValley => "adminapiusa.im.qcloud.com",
            Region::Jakarta => "adminapiidn.im.qcloud.com",
            Region::Seoul => "adminapikr.im.qcloud.com",
            Region::Frankfurt => "adminapiger.im.qcloud.com",
            Region::Tokyo => "adminapijpn.im.qcloud.com",
            Region::Mumbai => "adminapiind.im.qcloud.com",
        }
    }

    /// `https://<domain>`.
    pub fn base_url(self) -> String {
        format!("https://{}", self.domain())
    }

    /// Whether the Live REST documentation lists this region (the others are Chat domains).
    pub fn is_documented_for_live(self) -> bool {
        matches!(self, Region::China | Region::Singapore | Region::SiliconValley | Region::Jakarta)
    }

    /// The name [`FromStr`] reads: `china`, `singapore`, `silicon-valley`, `jakarta`, `seoul`,
    /// `frankfurt`, `tokyo`, `mumbai`.
    pub fn name(self) -> &'static str {
        match self {
            Region::China => "china",
            Region::Singapore => "singapore",
            Region::SiliconValley => "silicon-valley",
            Region::Jakarta => "jakarta",
            Region::Seoul => "seoul",
            Region::Frankfurt => "frankfurt",
            Region::Tokyo => "tokyo",
            Region::Mumbai => "mumbai",
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A region name that is not one of [`Region::ALL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRegion(pub String);

impl fmt::Display for UnknownRegion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Region::ALL.iter().map(|r| r.name()).collect();
        write!(f, "unknown region {:?}; expected one of {} (or a region's domain)", self.0, names.join(", "))
    }
}

impl std::error::Error for UnknownRegion {}

impl FromStr for Region {
    type Err = UnknownRegion;
    /// Reads a region name (case and `-`/`_`/space insensitive; `usa`/`us` for Silicon Valley) or
    /// a region's domain.
    fn from_str(s: &str) -> Result<Region, UnknownRegion> {
        let norm: String =
            s.trim().chars().filter(|c| !matches!(c, '-' | '_' | ' ')).collect::<String>().to_ascii_lowercase();
        let by_alias = match norm.as_str() {
            "siliconvalley" | "usa" | "us" => Some(Region::SiliconValley),
            _ => None,
        };
        by_alias
            .or_else(|| Region::ALL.into_iter().find(|r| r.name().replace('-', "") == norm || r.domain() == s.trim()))
            .ok_or_else(|| UnknownRegion(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_aliases_and_domains() {
        for r in Region::ALL {
            assert_eq!(r.name().parse::<Region>(), Ok(r));
            assert_eq!(r.domain().parse::<Region>(), Ok(r));
        }
        assert_eq!("Silicon Valley".parse::<Region>(), Ok(Region::SiliconValley));
        assert_eq!("USA".parse::<Region>(), Ok(Region::SiliconValley));
        assert!("mars".parse::<Region>().unwrap_err().to_string().contains("expected one of china"));
        assert_eq!(Region::ALL.iter().filter(|r| r.is_documented_for_live()).count(), 4);
    }
}
