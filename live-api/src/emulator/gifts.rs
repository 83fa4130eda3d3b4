//! The gift configuration of an application (gifts, categories, their relations and names per
//! language), and gifts sent in rooms with their statistics.

use std::collections::BTreeMap;

use crate::server::Failure;
use crate::*;

use super::bodies::{self, BEFORE_SEND_GIFT, GiftWater};
use super::delivery::Delivery;
use super::state::{AppState, INVALID_PARAMETER, Outcome, invalid, known};
use super::webhooks::NOT_BLOCK;

/// An application's gift configuration.
#[derive(Debug, Default)]
pub(super) struct Gifts {
    gifts: BTreeMap<String, Gift>,
    categories: BTreeMap<String, Category>,
}

#[derive(Debug, Default)]
struct Gift {
    icon_url: Option<String>,
    resource_url: Option<String>,
    coins: u64,
    level: Option<u32>,
    extension_info: Option<String>,
    default_name: String,
    default_desc: Option<String>,
    /// Language (wire value) → (name, description).
    names: BTreeMap<&'static str, (Option<String>, Option<String>)>,
}

#[derive(Debug, Default)]
struct Category {
    extension_info: Option<String>,
    default_name: String,
    default_desc: Option<String>,
    names: BTreeMap<&'static str, (Option<String>, Option<String>)>,
    gifts: Vec<String>,
}

fn no_gift<C: Documents<INVALID_PARAMETER>>(id: &str) -> Failure<C> {
    invalid(format!("gift {id:?} is not in the gift configuration"))
}

fn no_category<C: Documents<INVALID_PARAMETER>>(id: &str) -> Failure<C> {
    invalid(format!("gift category {id:?} does not exist"))
}

/// Sets the fields given and keeps the others (repeated calls change only what they carry).
fn set_names(entry: &mut (Option<String>, Option<String>), name: Option<String>, desc: Option<String>) {
    if name.is_some() {
        entry.0 = name;
    }
    if desc.is_some() {
        entry.1 = desc;
    }
}

impl Gifts {
    fn gift<C: Documents<INVALID_PARAMETER>>(&self, id: &str) -> Result<&Gift, Failure<C>> {
        self.gifts.get(id).ok_or_else(|| no_gift(id))
    }
    fn gift_mut<C: Documents<INVALID_PARAMETER>>(&mut self, id: &str) -> Result<&mut Gift, Failure<C>> {
        self.gifts.get_mut(id).ok_or_else(|| no_gift(id))
    }
    fn category<C: Documents<INVALID_PARAMETER>>(&self, id: &str) -> Result<&Category, Failure<C>> {
        self.categories.get(id).ok_or_else(|| no_category(id))
    }
    fn category_mut<C: Documents<INVALID_PARAMETER>>(&mut self, id: &str) -> Result<&mut Category, Failure<C>> {
        self.categories.get_mut(id).ok_or_else(|| no_category(id))
    }
}

impl AppState {
    pub fn add_gift(&mut self, r: AddGift) -> Outcome<AddGift> {
        if r.gift_id.is_empty() {
            return Err(invalid("GiftId is empty"));
        }
        // Adding an existing gift replaces its description (its names per language stay).
        let gift = self.gifts.gifts.entry(r.gift_id).or_default();
        gift.icon_url = r.icon_url;
        gift.resource_url = r.resource_url;
        gift.coins = r.coins;
        gift.level = r.level;
        gift.extension_info = r.extension_info;
        gift.default_name = r.default_name;
        gift.default_desc = r.default_desc;
        Ok(AddGiftResponse {})
    }

    pub fn del_gift(&mut self, r: DelGift) -> Outcome<DelGift> {
        // Succeeds whether the gift existed or not, as documented.
        self.gifts.gifts.remove(&r.gift_id);
        for c in self.gifts.categories.values_mut() {
            c.gifts.retain(|g| *g != r.gift_id);
        }
        Ok(DelGiftResponse {})
    }

    pub fn get_gift(&self, r: GetGift) -> Outcome<GetGift> {
        let g = self.gifts.gift(&r.gift_id)?;
        let info = GiftInfo {
            gift_id: Some(r.gift_id),
            icon_url: g.icon_url.clone(),
            icon_url_alt: None,
            resource_url: g.resource_url.clone(),
            coins: Some(g.coins),
            level: g.level,
            extension_info: g.extension_info.clone(),
            default_name: Some(g.default_name.clone()),
            default_desc: g.default_desc.clone(),
        };
        Ok(GetGiftResponse { gift_info: Some(info) })
    }

    pub fn set_gift_language(&mut self, r: SetGiftLanguage) -> Outcome<SetGiftLanguage> {
        let lang = known(&r.language, "Language")?;
        let gift = self.gifts.gift_mut(&r.gift_id)?;
        set_names(gift.names.entry(lang).or_default(), r.name, r.desc);
        Ok(SetGiftLanguageResponse {})
    }

    pub fn get_gift_language(&self, r: GetGiftLanguage) -> Outcome<GetGiftLanguage> {
        let lang = known(&r.language, "Language")?;
        let (name, desc) = self.gifts.gift(&r.gift_id)?.names.get(lang).cloned().unwrap_or_default();
        Ok(GetGiftLanguageResponse { gift_info: Some(GiftLanguageInfo { name, desc }) })
    }

    pub fn del_gift_language(&mut self, r: DelGiftLanguage) -> Outcome<DelGiftLanguage> {
        let lang = known(&r.language, "Language")?;
        if let Some(gift) = self.gifts.gifts.get_mut(&r.gift_id) {
            gift.names.remove(lang);
        }
        Ok(DelGiftLanguageResponse {})
    }

    pub fn add_gift_category(&mut self, r: AddGiftCategory) -> Outcome<AddGiftCategory> {
        if r.category_id.is_empty() {
            return Err(invalid("CategoryId is empty"));
        }
        let c = self.gifts.categories.entry(r.category_id).or_default();
        c.extension_info = r.extension_info;
        c.default_name = r.default_name;
        c.default_desc = r.default_desc;
        Ok(AddGiftCategoryResponse {})
    }

    pub fn del_gift_category(&mut self, r: DelGiftCategory) -> Outcome<DelGiftCategory> {
        self.gifts.categories.remove(&r.category_id);
        Ok(DelGiftCategoryResponse {})
    }

    pub fn get_gift_category(&self, r: GetGiftCategory) -> Outcome<GetGiftCategory> {
        let c = self.gifts.category(&r.category_id)?;
        let info = GiftCategoryInfo {
            category_id: Some(r.category_id),
            extension_info: c.extension_info.clone(),
            default_name: Some(c.default_name.clone()),
            default_desc: c.default_desc.clone(),
        };
        Ok(GetGiftCategoryResponse { gift_category_info: Some(info) })
    }

    pub fn add_gift_category_relations(&mut self, r: AddGiftCategoryRelations) -> Outcome<AddGiftCategoryRelations> {
        let (valid, unknown): (Vec<String>, Vec<String>) =
            r.gift_id_list.into_iter().partition(|g| self.gifts.gifts.contains_key(g));
        let category = self.gifts.category_mut(&r.category_id)?;
        for g in valid {
            if !category.gifts.contains(&g) {
                category.gifts.push(g);
            }
        }
        Ok(AddGiftCategoryRelationsResponse { invalid_gift_id_list: Some(unknown) })
    }

    pub fn del_gift_category_relations(&mut self, r: DelGiftCategoryRelations) -> Outcome<DelGiftCategoryRelations> {
        if let Some(c) = self.gifts.categories.get_mut(&r.category_id) {
            c.gifts.retain(|g| !r.gift_id_list.contains(g));
        }
        Ok(DelGiftCategoryRelationsResponse {})
    }

    pub fn get_gift_category_relations(&self, r: GetGiftCategoryRelations) -> Outcome<GetGiftCategoryRelations> {
        let gifts = self.gifts.category(&r.category_id)?.gifts.clone();
        let relation = GiftCategoryRelation { category_id: Some(r.category_id), gift_id_list: Some(gifts) };
        Ok(GetGiftCategoryRelationsResponse { relation: Some(relation) })
    }

    pub fn set_gift_category_language(&mut self, r: SetGiftCategoryLanguage) -> Outcome<SetGiftCategoryLanguage> {
        let lang = known(&r.language, "Language")?;
        let c = self.gifts.category_mut(&r.category_id)?;
        set_names(c.names.entry(lang).or_default(), r.category_name, r.category_desc);
        Ok(SetGiftCategoryLanguageResponse {})
    }

    pub fn get_gift_category_language(&self, r: GetGiftCategoryLanguage) -> Outcome<GetGiftCategoryLanguage> {
        let lang = known(&r.language, "Language")?;
        let (category_name, category_desc) =
            self.gifts.category(&r.category_id)?.names.get(lang).cloned().unwrap_or_default();
        Ok(GetGiftCategoryLanguageResponse {
            category_info: Some(CategoryLanguageInfo { category_name, category_desc }),
        })
    }

    pub fn del_gift_category_language(&mut self, r: DelGiftCategoryLanguage) -> Outcome<DelGiftCategoryLanguage> {
        let lang = known(&r.language, "Language")?;
        if let Some(c) = self.gifts.categories.get_mut(&r.category_id) {
            c.names.remove(lang);
        }
        Ok(DelGiftCategoryLanguageResponse {})
    }

    /// The demo's configuration: 3 categories of 5 gifts each, with English and Chinese names.
    pub fn copy_default_gift_config(&mut self, _: CopyDefaultGiftConfig) -> Outcome<CopyDefaultGiftConfig> {
        if !self.gifts.gifts.is_empty() || !self.gifts.categories.is_empty() {
            return Err(invalid(
                "the application already has a gift configuration; the default can only be copied into an empty one",
            ));
        }
        type Gifts5 = [(&'static str, u64); 5];
        const CATEGORIES: [(&str, &str, Gifts5); 3] = [
            ("popular", "Popular", [("rose", 1), ("heart", 5), ("like", 1), ("clap", 2), ("star", 10)]),
            ("luxury", "Luxury", [("car", 500), ("yacht", 2000), ("castle", 5000), ("rocket", 1000), ("crown", 800)]),
            ("fun", "Fun", [("cake", 20), ("balloon", 8), ("firework", 100), ("lollipop", 3), ("panda", 50)]),
        ];
        for (category_id, category_name, gifts) in CATEGORIES {
            let mut category = Category { default_name: category_name.into(), ..Category::default() };
            category.names.insert("en", (Some(category_name.into()), None));
            for (i, (gift_id, coins)) in gifts.into_iter().enumerate() {
                let mut gift = Gift {
                    coins,
                    level: Some(i as u32 + 1),
                    default_name: gift_id.into(),
                    icon_url: Some(format!("https://example.invalid/gifts/{gift_id}.png")),
                    resource_url: Some(format!("https://example.invalid/gifts/{gift_id}.mp4")),
                    ..Gift::default()
                };
                gift.names.insert("en", (Some(gift_id.into()), None));
                self.gifts.gifts.insert(gift_id.into(), gift);
                category.gifts.push(gift_id.into());
            }
            self.gifts.categories.insert(category_id.into(), category);
        }
        Ok(CopyDefaultGiftConfigResponse {})
    }

    // --- gifts sent in rooms ---------------------------------------------------------------

    /// The value of one gift of `r`, if it can be sent (the room and the gift exist).
    fn gift_value(&self, r: &SendGift) -> Result<u64, Failure<SendGiftCode>> {
        self.room(&r.room_id)?;
        let coins = self.gifts.gifts.get(&r.gift_id).map(|g| g.coins).ok_or_else(|| no_gift(&r.gift_id))?;
        if r.receiver_list_account.is_empty() {
            return Err(invalid("ReceiverList_Account is empty"));
        }
        self.strictly_imported("From_Account", &r.from_account)?;
        for receiver in &r.receiver_list_account {
            self.strictly_imported("ReceiverList_Account", receiver)?;
        }
        Ok(coins)
    }

    /// Checks that the gift can be sent; the before-send callback to ask, when configured, and
    /// whether a failed callback lets the gift through (`Live.CallbackBeforeCallBackNotBlock`).
    pub fn before_send_gift(&self, r: &SendGift, now: i64) -> Result<Option<(Delivery, bool)>, Failure<SendGiftCode>> {
        let coins = self.gift_value(r)?;
        let water = GiftWater {
            room_id: &r.room_id,
            from: &r.from_account,
            to: &r.receiver_list_account,
            time: now,
            gift_id: &r.gift_id,
            count: r.count.unwrap_or(1),
            coins,
        };
        let delivery = self.webhooks.before(BEFORE_SEND_GIFT, |e| bodies::before_gift(&water, e));
        Ok(delivery.map(|d| (d, self.webhooks.wants(NOT_BLOCK))))
    }

    pub fn send_gift(&mut self, r: SendGift) -> Outcome<SendGift> {
        let coins = self.gift_value(&r)?;
        let room = self.room_mut(&r.room_id)?;
        let count = u64::from(r.count.unwrap_or(1));
        for receiver in &r.receiver_list_account {
            let tally = room.received.entry(receiver.clone()).or_default();
            tally.sequence += 1;
            tally.count += count;
            tally.coins += coins * count;
            tally.senders.insert(r.from_account.clone());
            room.stats.gifts_sent += count;
            room.stats.gift_coins += coins * count;
        }
        room.stats.gift_senders.insert(r.from_account);
        Ok(SendGiftResponse {})
    }

    /// The gifts `From_Account` received in the room (the pages disagree on sender or receiver;
    /// `GiftSenderCount` only makes sense for a receiver).
    pub fn get_gift_count(&self, r: GetGiftCount) -> Outcome<GetGiftCount> {
        let room = self.room(&r.room_id)?;
        let (sequence, count, coins, senders) = room
            .received
            .get(&r.from_account)
            .map_or((0, 0, 0, 0), |t| (t.sequence, t.count, t.coins, t.senders.len() as u64));
        Ok(GetGiftCountResponse {
            sequence: Some(sequence),
            total_count: Some(count),
            total_coins: Some(coins),
            gift_sender_count: Some(senders),
        })
    }
}
