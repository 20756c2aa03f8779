//! The console's list of an organisation's awards: each with its recipient (the holder's
//! account, or the provider an accreditation names), searched by name or e-mail address,
//! filtered by achievement and state, counted and paged in SQL on SQLite and PostgreSQL.

use chrono::{DateTime, Utc};
use credence_domain::registry::AwardStatus;
use credence_domain::{AccountId, AchievementId, AwardId, OrgId};
use sea_orm::sea_query::{Condition, Expr, Func, LikeExpr, SimpleExpr};
use sea_orm::{
    ColumnTrait, EntityTrait, FromQueryResult, JoinType, Order, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
};

use crate::entity::{account, accreditation, award, organisation};
use crate::{StoreError, Tx};

use super::Page;

/// The character that escapes `%`, `_` and itself in a search pattern. Not a backslash,
/// whose meaning in string literals differs between the engines.
const LIKE_ESCAPE: char = '!';

/// How many ids go into one `IN (...)` list.
const IN_CHUNK: usize = 500;

/// An award's state as the list shows and filters it: the stored status, except that an
/// active award past its `validUntil` is expired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListedState {
    Active,
    Suspended,
    Revoked,
    Expired,
}

/// What to list.
#[derive(Debug, Clone)]
pub struct AwardListQuery<'a> {
    pub org_id: &'a OrgId,
    /// Text to find, in any case, in the recipient's name or e-mail addresses.
    pub search: Option<&'a str>,
    /// Only awards of this achievement (its id).
    pub achievement_id: Option<&'a AchievementId>,
    pub state: Option<ListedState>,
    /// The time against which expiry is judged.
    pub now: DateTime<Utc>,
}

/// An award with its recipient, as the list reads it (never the signed credential).
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct AwardListRow {
    pub id: AwardId,
    pub achievement_id: Option<AchievementId>,
    pub holder_id: Option<AccountId>,
    pub recipient_email: Option<String>,
    pub status: AwardStatus,
    pub status_reason: Option<String>,
    pub valid_until: Option<DateTime<Utc>>,
    pub suspendable: bool,
    pub created_at: DateTime<Utc>,
    /// The holder account's display name and e-mail address, when the award has a holder.
    pub holder_name: Option<String>,
    pub holder_email: Option<String>,
    /// The accredited provider's name, when the award is an accreditation.
    pub provider_name: Option<String>,
}

/// `text` as a `LIKE` pattern matching it anywhere, lower-cased, its wildcards escaped.
pub fn contains_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_') || c == LIKE_ESCAPE {
            pattern.push(LIKE_ESCAPE);
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// `lower(column) LIKE pattern ESCAPE '!'`.
fn lower_like(column: SimpleExpr, pattern: &str) -> SimpleExpr {
    Expr::expr(Func::lower(column)).like(LikeExpr::new(pattern).escape(LIKE_ESCAPE))
}

/// The awards of `q`, with their holders and accredited providers joined, filtered.
fn filtered(q: &AwardListQuery<'_>) -> Select<award::Entity> {
    let holder = award::Entity::belongs_to(account::Entity)
        .from(award::Column::HolderId)
        .to(account::Column::Id)
        .into();
    let accredited = award::Entity::belongs_to(accreditation::Entity)
        .from(award::Column::Id)
        .to(accreditation::Column::Id)
        .into();
    let provider = accreditation::Entity::belongs_to(organisation::Entity)
        .from(accreditation::Column::ProviderOrgId)
        .to(organisation::Column::Id)
        .into();
    let mut query = award::Entity::find()
        .join(JoinType::LeftJoin, holder)
        .join(JoinType::LeftJoin, accredited)
        .join(JoinType::LeftJoin, provider)
        .filter(award::Column::OrgId.eq(q.org_id));
    if let Some(text) = q.search.filter(|t| !t.is_empty()) {
        let pattern = contains_pattern(text);
        query = query.filter(
            Condition::any()
                .add(lower_like(
                    Expr::col((account::Entity, account::Column::DisplayName)).into(),
                    &pattern,
                ))
                .add(lower_like(
                    Expr::col((account::Entity, account::Column::Email)).into(),
                    &pattern,
                ))
                .add(lower_like(
                    Expr::col((award::Entity, award::Column::RecipientEmail)).into(),
                    &pattern,
                ))
                .add(lower_like(
                    Expr::col((organisation::Entity, organisation::Column::Name)).into(),
                    &pattern,
                )),
        );
    }
    if let Some(achievement) = q.achievement_id {
        query = query.filter(award::Column::AchievementId.eq(achievement));
    }
    let not_expired = Condition::any()
        .add(award::Column::ValidUntil.is_null())
        .add(award::Column::ValidUntil.gte(q.now));
    query = match q.state {
        None => query,
        Some(ListedState::Revoked) => query.filter(award::Column::Status.eq(AwardStatus::Revoked)),
        Some(ListedState::Suspended) => {
            query.filter(award::Column::Status.eq(AwardStatus::Suspended))
        }
        Some(ListedState::Active) => query
            .filter(award::Column::Status.eq(AwardStatus::Active))
            .filter(not_expired),
        Some(ListedState::Expired) => query
            .filter(award::Column::Status.eq(AwardStatus::Active))
            .filter(award::Column::ValidUntil.lt(q.now)),
    };
    query
}

/// The list's columns, into [`AwardListRow`].
fn listed(query: Select<award::Entity>) -> Select<award::Entity> {
    query
        .select_only()
        .columns([
            award::Column::Id,
            award::Column::AchievementId,
            award::Column::HolderId,
            award::Column::RecipientEmail,
            award::Column::Status,
            award::Column::StatusReason,
            award::Column::ValidUntil,
            award::Column::Suspendable,
            award::Column::CreatedAt,
        ])
        .column_as(
            Expr::col((account::Entity, account::Column::DisplayName)),
            "holder_name",
        )
        .column_as(
            Expr::col((account::Entity, account::Column::Email)),
            "holder_email",
        )
        .column_as(
            Expr::col((organisation::Entity, organisation::Column::Name)),
            "provider_name",
        )
}

impl Tx {
    /// One page of an organisation's awards matching `q`, newest first, and how many match
    /// in all.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn award_list(
        &self,
        q: &AwardListQuery<'_>,
        page: Page,
    ) -> Result<(u64, Vec<AwardListRow>), StoreError> {
        let total = filtered(q).count(self.conn()).await?;
        let rows = listed(filtered(q))
            .order_by(award::Column::CreatedAt, Order::Desc)
            .order_by(award::Column::Id, Order::Asc)
            .offset(page.offset)
            .limit(page.limit)
            .into_model::<AwardListRow>()
            .all(self.conn())
            .await?;
        Ok((total, rows))
    }

    /// Those of `ids` that are awards of the organisation, with their recipients.
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn award_list_rows(
        &self,
        org_id: &OrgId,
        ids: &[AwardId],
    ) -> Result<Vec<AwardListRow>, StoreError> {
        let q = AwardListQuery {
            org_id,
            search: None,
            achievement_id: None,
            state: None,
            now: Utc::now(),
        };
        let mut out = Vec::new();
        for chunk in ids.chunks(IN_CHUNK) {
            out.extend(
                listed(filtered(&q))
                    .filter(award::Column::Id.is_in(chunk.iter().cloned()))
                    .into_model::<AwardListRow>()
                    .all(self.conn())
                    .await?,
            );
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::contains_pattern;

    #[test]
    fn search_patterns_escape_wildcards() {
        for (text, expected) in [
            ("Ann", "%ann%"),
            ("50%", "%50!%%"),
            ("a_b", "%a!_b%"),
            ("wow!", "%wow!!%"),
            ("ÉLODIE", "%élodie%"),
            ("", "%%"),
        ] {
            assert_eq!(contains_pattern(text), expected, "{text}");
        }
    }
}
