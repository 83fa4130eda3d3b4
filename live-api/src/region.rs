//! Region domains of the REST API.

use std::fmt;

/// Where the SDKAppID lives; each region has its own REST domain.
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
}

impl Region {
    /// Every region the Live documentation lists.
    pub const ALL: [Region; 4] = [Region::China, Region::Singapore, Region::SiliconValley, Region::Jakarta];

    /// The REST domain.
    pub fn domain(self) -> &'static str {
        match self {
            Region::China => "console.tim.qq.com",
            Region::Singapore => "adminapisgp.im.qcloud.com",
            Region::SiliconValley => "adminapiusa.im.qcloud.com",
            Region::Jakarta => "adminapiidn.im.qcloud.com",
        }
    }

    /// `https://<domain>`.
    pub fn base_url(self) -> String {
        format!("https://{}", self.domain())
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Region::China => "China",
            Region::Singapore => "Singapore",
            Region::SiliconValley => "Silicon Valley",
            Region::Jakarta => "Jakarta",
        })
    }
}
