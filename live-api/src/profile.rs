//! Profile fields typed by their tag where the documentation gives the value's type: the
//! nickname and the profile photo are strings. Other tags take an [`IntOrString`] through
//! [`ProfileItem::new`].

use crate::{IntOrString, ProfileItem, ProfileTag};

impl ProfileItem {
    /// The nickname (`Tag_Profile_IM_Nick`), a string.
    ///
    /// ```
    /// use live_api::{PortraitSet, ProfileItem, ProfileTag};
    /// let request = PortraitSet::new("host-1", vec![ProfileItem::nick("Ada"), ProfileItem::custom("Level", 3)]);
    /// assert_eq!(
    ///     serde_json::to_value(&request).unwrap(),
    ///     serde_json::json!({"From_Account": "host-1", "ProfileItem": [
    ///         {"Tag": "Tag_Profile_IM_Nick", "Value": "Ada"},
    ///         {"Tag": "Tag_Profile_Custom_Level", "Value": 3}]})
    /// );
    /// # let _ = ProfileTag::Nick;
    /// ```
    pub fn nick(nick: impl Into<String>) -> Self {
        ProfileItem::new(ProfileTag::Nick, IntOrString::Str(nick.into()))
    }
    /// The URL of the profile photo (`Tag_Profile_IM_Image`), a string.
    pub fn image(url: impl Into<String>) -> Self {
        ProfileItem::new(ProfileTag::Image, IntOrString::Str(url.into()))
    }
    /// A custom field `Tag_Profile_Custom_<name>` with an integer or a string value.
    pub fn custom(name: &str, value: impl Into<IntOrString>) -> Self {
        ProfileItem::new(ProfileTag::custom(name), value.into())
    }
}
