//! Credentials that expire: for an organisation's console, per achievement, the awards that
//! expire in the next N days and those that have expired; for a holder's dashboard, what of
//! theirs expires soon (or just did) and what renewing it needs. A credential a later award
//! renews is shown as renewed and never reminded of. For a product-specific pathway renewal
//! means training on the product version now deployed: the newest version the issuer
//! publishes an achievement for.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use credence_domain::registry::AwardStatus;
use credence_domain::{AchievementId, AwardId};
use credence_store::registry::{AchievementRow, AwardRow, Page};
use credence_store::Tx;
use serde::Serialize;
use serde_json::Value;

use crate::desks::IssuerDesk;
use crate::registry::Registry;
use crate::ServiceError;

/// How far back a holder's dashboard shows credentials that expired unrenewed.
const EXPIRED_SHOWN_DAYS: i64 = 90;
/// The most awards the console lists in each part (expiring, expired).
const LIST_LIMIT: u64 = 500;

/// "today", "tomorrow", "in 12 days"; "yesterday", "12 days ago" once past.
pub fn expires_when(now: DateTime<Utc>, until: DateTime<Utc>) -> String {
    let days = (until.date_naive() - now.date_naive()).num_days();
    match days {
        0 => "today".into(),
        1 => "tomorrow".into(),
        -1 => "yesterday".into(),
        d if d < 0 => format!("{} days ago", -d),
        d => format!("in {d} days"),
    }
}

/// "less than a day", "1 day", "3 days".
pub fn days_words(days: i64) -> String {
    match days {
        d if d < 1 => "less than a day".into(),
        1 => "1 day".into(),
        d => format!("{d} days"),
    }
}

/// What a reminder or the dashboard says about renewing one credential.
#[derive(Debug, Clone)]
pub(crate) struct RenewalFacts {
    /// The credential's (achievement's) name.
    pub name: String,
    /// The issuing organisation's name.
    pub issuer: String,
    /// The product and version it was awarded for (a product-specific pathway).
    product: Option<String>,
    /// A later product version the issuer publishes an achievement for: its label and name.
    newer: Option<(String, String)>,
}

/// The product label an achievement was made for (`specialization`), and the product's
/// name (the tag the label starts with).
fn product_of(row: &AchievementRow) -> Option<(String, String)> {
    let doc: Value = serde_json::from_str(&row.document).ok()?;
    let label = doc.get("specialization")?.as_str()?.to_owned();
    let name = doc
        .get("tag")?
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .filter(|t| label.starts_with(&format!("{t} ")))
        .max_by_key(|t| t.len())?
        .to_owned();
    Some((label, name))
}

impl RenewalFacts {
    /// The facts of `award` (its achievement, issuer, and any newer product version).
    pub(crate) async fn read(tx: &Tx, award: &AwardRow) -> Result<Self, ServiceError> {
        let issuer = tx
            .org(&award.org_id)
            .await?
            .map_or_else(|| "its issuer".to_owned(), |o| o.name);
        let achievement = match &award.achievement_id {
            Some(id) => tx.achievement(id).await?,
            None => None,
        };
        let Some(achievement) = achievement else {
            return Ok(Self {
                name: "your credential".into(),
                issuer,
                product: None,
                newer: None,
            });
        };
        let product = product_of(&achievement);
        let mut newer = None;
        if let Some((label, name)) = &product {
            let later = tx
                .achievements_of_org(&award.org_id)
                .await?
                .into_iter()
                .filter(|a| a.pathway == achievement.pathway && a.id != achievement.id)
                .filter(|a| a.created_at > achievement.created_at)
                .filter_map(|a| {
                    let (l, n) = product_of(&a)?;
                    (n == *name && l != *label).then_some((a.created_at, l, a.name))
                })
                .max_by_key(|(at, _, _)| *at);
            newer = later.map(|(_, l, n)| (l, n));
        }
        Ok(Self {
            name: achievement.name,
            issuer,
            product: product.map(|(label, _)| label),
            newer,
        })
    }

    /// What renewing needs, a sentence each.
    pub(crate) fn needs(&self) -> Vec<String> {
        match (&self.product, &self.newer) {
            (Some(was), Some((now, name))) => vec![
                format!("It was awarded for {was}; the version now deployed is {now}."),
                format!(
                    "To renew it, complete the training on {now} (\"{name}\"); {} then awards it as a renewal of this credential.",
                    self.issuer
                ),
            ],
            (Some(was), None) => vec![format!(
                "To renew it, refresh your training on {was}, the product version now deployed, and ask {} to award it again as a renewal.",
                self.issuer
            )],
            (None, _) => vec![format!(
                "To renew it, ask {} to award it again as a renewal; your attested evidence for it counts again.",
                self.issuer
            )],
        }
    }
}

/// One credential on the holder's dashboard that expires soon or just did.
#[derive(Debug, Clone, Serialize)]
pub struct ExpiringCredential {
    pub award_id: String,
    pub name: String,
    pub issuer: String,
    pub expires_on: String,
    /// "in 12 days", "3 days ago".
    pub when: String,
    pub expired: bool,
    /// What renewing it needs, a sentence each.
    pub renewal: Vec<String>,
}

impl Registry {
    /// Of a holder's awards (`awards`), the active ones that expire within the furthest
    /// reminder's days or expired in the last 90 days, not renewed, soonest first.
    pub(crate) async fn expiring_of_holder(
        &self,
        tx: &Tx,
        awards: &[AwardRow],
        now: DateTime<Utc>,
    ) -> Result<Vec<ExpiringCredential>, ServiceError> {
        let furthest = self
            .config
            .mail
            .reminder_days
            .iter()
            .copied()
            .max()
            .unwrap_or(60);
        let soon = now + Duration::days(i64::from(furthest));
        let mut near: Vec<&AwardRow> = awards
            .iter()
            .filter(|a| a.status == AwardStatus::Active)
            .filter(|a| {
                a.valid_until
                    .is_some_and(|u| u <= soon && u >= now - Duration::days(EXPIRED_SHOWN_DAYS))
            })
            .collect();
        let ids: Vec<AwardId> = near.iter().map(|a| a.id.clone()).collect();
        let renewed: Vec<AwardId> = tx
            .renewals_of(&ids)
            .await?
            .into_iter()
            .map(|(old, _)| old)
            .collect();
        near.retain(|a| !renewed.contains(&a.id));
        near.sort_by_key(|a| a.valid_until);
        let mut out = Vec::new();
        for award in near {
            let Some(until) = award.valid_until else {
                continue;
            };
            let facts = RenewalFacts::read(tx, award).await?;
            out.push(ExpiringCredential {
                award_id: award.id.to_string(),
                renewal: facts.needs(),
                name: facts.name,
                issuer: facts.issuer,
                expires_on: until.format("%-d %B %Y").to_string(),
                when: expires_when(now, until),
                expired: until < now,
            });
        }
        Ok(out)
    }
}

/// One award in the console's expiry list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ExpiryItem {
    pub award_id: String,
    /// The holder's name (or the address the award was made to).
    pub holder: String,
    pub email: String,
    /// RFC 3339.
    pub valid_until: String,
    /// "in 12 days", "3 days ago".
    pub when: String,
    /// `active` or `suspended`.
    #[schema(value_type = String)]
    pub status: AwardStatus,
    /// The award that renews this one, if any.
    pub renewed_by: Option<String>,
}

/// One achievement's awards that expire soon and that have expired.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AchievementExpiry {
    #[schema(value_type = String)]
    pub achievement_id: AchievementId,
    pub name: String,
    pub expiring: Vec<ExpiryItem>,
    pub expired: Vec<ExpiryItem>,
}

/// An organisation's expiry list: per achievement, awards expiring in the next `days`
/// days and those already expired (at most 500 of each, soonest and latest first).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ExpiryList {
    pub days: u32,
    pub achievements: Vec<AchievementExpiry>,
}

impl IssuerDesk<'_> {
    /// The organisation's expiry list for the next `days` days (1 to 730).
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.issuer.0.org.slug, days = days))]
    pub async fn expiry_list(&self, days: u32) -> Result<ExpiryList, ServiceError> {
        if !(1..=730).contains(&days) {
            return Err(ServiceError::invalid(
                "/days",
                "Choose a number of days from 1 to 730.",
            ));
        }
        let org = &self.issuer.0.org;
        let now = self.now();
        let tx = self.store.read().await?;
        let by = now + Duration::days(i64::from(days));
        let expiring = tx
            .org_awards_expiring(&org.id, now, by, Page::new(0, LIST_LIMIT))
            .await?;
        let mut expired = tx
            .org_awards_expiring(
                &org.id,
                now - Duration::days(36_500),
                now,
                Page::new(0, LIST_LIMIT),
            )
            .await?;
        expired.reverse();
        let ids: Vec<AwardId> = expiring
            .iter()
            .chain(&expired)
            .map(|a| a.id.clone())
            .collect();
        let renewed: HashMap<AwardId, AwardId> = tx.renewals_of(&ids).await?.into_iter().collect();
        let mut by_achievement: Vec<AchievementExpiry> = Vec::new();
        let mut holders: HashMap<credence_domain::AccountId, (String, String)> = HashMap::new();
        for (award, is_expired) in expiring
            .iter()
            .map(|a| (a, false))
            .chain(expired.iter().map(|a| (a, true)))
        {
            let (Some(achievement_id), Some(until)) = (&award.achievement_id, award.valid_until)
            else {
                continue;
            };
            let (holder, email) = match &award.holder_id {
                Some(id) if holders.contains_key(id) => holders[id].clone(),
                Some(id) => {
                    let who = tx.account(id).await?.map_or_else(
                        || ("(an account since removed)".to_owned(), String::new()),
                        |a| (a.display_name, a.email),
                    );
                    holders.insert(id.clone(), who.clone());
                    who
                }
                None => {
                    let email = award.recipient_email.clone().unwrap_or_default();
                    (email.clone(), email)
                }
            };
            let item = ExpiryItem {
                award_id: award.id.to_string(),
                holder,
                email,
                valid_until: until.to_rfc3339(),
                when: expires_when(now, until),
                status: award.status,
                renewed_by: renewed.get(&award.id).map(ToString::to_string),
            };
            let slot = match by_achievement
                .iter()
                .position(|a| a.achievement_id == *achievement_id)
            {
                Some(i) => i,
                None => {
                    let name = tx
                        .achievement(achievement_id)
                        .await?
                        .map_or_else(|| achievement_id.to_string(), |a| a.name);
                    by_achievement.push(AchievementExpiry {
                        achievement_id: achievement_id.clone(),
                        name,
                        expiring: Vec::new(),
                        expired: Vec::new(),
                    });
                    by_achievement.len() - 1
                }
            };
            let entry = &mut by_achievement[slot];
            if is_expired {
                entry.expired.push(item);
            } else {
                entry.expiring.push(item);
            }
        }
        by_achievement.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(ExpiryList {
            days,
            achievements: by_achievement,
        })
    }
}
