//! An award as callers read and write it ([`AwardRow`], its `credential` the whole signed
//! text) and as the `awards` table stores it (the layout of `credential_layout`): the one
//! place that splits a credential on write and puts it back together, checked, on read.
//! Also the rewrite of rows stored whole before migration m20261210_000001, and the
//! figures of the layout.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use credence_domain::registry::AwardStatus;
use credence_domain::{AccountId, AchievementId, AwardId, OrgId};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, FromQueryResult, Order,
    QueryFilter, QueryOrder, QuerySelect,
};

use crate::credential_layout::{self, Layout, Part, PartEntry};
use crate::entity::{award, credential_part};
use crate::{Store, StoreError, Tx};

/// An issued credential as callers see it: `credential` is the signed text, byte for byte
/// (left empty by the queries that list award facts, which say so).
#[derive(Clone, Debug, PartialEq, Eq, FromQueryResult)]
pub struct AwardRow {
    pub id: AwardId,
    pub org_id: OrgId,
    pub achievement_id: Option<AchievementId>,
    pub holder_id: Option<AccountId>,
    pub recipient_email: Option<String>,
    pub credential: String,
    pub revocation_index: i64,
    pub suspension_index: i64,
    pub status: AwardStatus,
    pub status_reason: Option<String>,
    pub valid_from: DateTime<Utc>,
    pub valid_until: Option<DateTime<Utc>>,
    pub idempotency_key: Option<String>,
    pub override_justification: Option<String>,
    pub replaces_award_id: Option<AwardId>,
    pub public: bool,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The credential's own `id`.
    pub credential_id: Option<String>,
    /// Whether the credential carries a suspension entry beside its revocation entry.
    pub suspendable: bool,
    /// The award this one copies for a wallet, bound to the wallet's key (OpenID4VCI).
    pub reissue_of: Option<AwardId>,
}

impl AwardRow {
    /// The row to store for this award, its credential in `layout`.
    fn into_model(self, layout: Option<Layout>) -> award::Model {
        let (credential, packed, part, at, sha256) = match layout {
            Some(l) => {
                let (part, at) = l.part.map(|(p, at)| (p.id, at)).unzip();
                (l.text, l.packed, part, at, Some(l.sha256))
            }
            // The layout before m20261210_000001: whole, no hash.
            None => (self.credential, None, None, None, None),
        };
        award::Model {
            id: self.id,
            org_id: self.org_id,
            achievement_id: self.achievement_id,
            holder_id: self.holder_id,
            recipient_email: self.recipient_email,
            credential,
            revocation_index: self.revocation_index,
            suspension_index: self.suspension_index,
            status: self.status,
            status_reason: self.status_reason,
            valid_from: self.valid_from,
            valid_until: self.valid_until,
            idempotency_key: self.idempotency_key,
            override_justification: self.override_justification,
            replaces_award_id: self.replaces_award_id,
            public: self.public,
            created_by: self.created_by,
            created_at: self.created_at,
            updated_at: self.updated_at,
            credential_id: self.credential_id,
            suspendable: self.suspendable,
            reissue_of: self.reissue_of,
            credential_packed: packed,
            credential_part: part,
            credential_part_at: at,
            credential_sha256: sha256,
        }
    }

    /// The award of a stored row whose credential has been put back together.
    fn from_model(m: award::Model, credential: String) -> Self {
        Self {
            id: m.id,
            org_id: m.org_id,
            achievement_id: m.achievement_id,
            holder_id: m.holder_id,
            recipient_email: m.recipient_email,
            credential,
            revocation_index: m.revocation_index,
            suspension_index: m.suspension_index,
            status: m.status,
            status_reason: m.status_reason,
            valid_from: m.valid_from,
            valid_until: m.valid_until,
            idempotency_key: m.idempotency_key,
            override_justification: m.override_justification,
            replaces_award_id: m.replaces_award_id,
            public: m.public,
            created_by: m.created_by,
            created_at: m.created_at,
            updated_at: m.updated_at,
            credential_id: m.credential_id,
            suspendable: m.suspendable,
            reissue_of: m.reissue_of,
        }
    }
}

/// Award rows without their stored credential (the largest columns by far), read into
/// [`AwardRow`]s whose `credential` is empty: for lists and pages.
pub(crate) fn award_facts() -> sea_orm::Select<award::Entity> {
    use sea_orm::Iterable;
    award::Entity::find()
        .select_only()
        .columns(award::Column::iter().filter(|c| !c.is_credential_storage()))
        .column_as(Expr::val(""), "credential")
}

/// What the stored credentials take: counts and bytes of the award rows' credential columns
/// and of the shared parts (the values only; rows, indices and pages come on top, see
/// BENCHMARKS.md).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CredentialStorage {
    pub awards: u64,
    /// Awards whose credential is stored with a part cut out.
    pub split: u64,
    /// Awards whose credential is stored compressed (with or without a part).
    pub packed: u64,
    /// Awards stored whole before migration m20261210_000001 and not rewritten yet.
    pub unhashed: u64,
    /// The bytes of the awards' `credential` and `credential_packed` columns.
    pub award_bytes: u64,
    pub parts: u64,
    pub part_bytes: u64,
}

/// How many awards one rewrite transaction of [`Store::compact_credentials`] takes.
const COMPACT_BATCH: u64 = 200;

impl Store {
    /// This store, writing awards' credentials whole and unhashed, as before migration
    /// m20261210_000001: for the tests of [`Store::compact_credentials`], which need rows
    /// in the old layout holding exactly the text the service signed.
    #[doc(hidden)]
    #[must_use]
    pub fn writing_credentials_whole(mut self) -> Self {
        self.whole_credentials = true;
        self
    }

    /// Rewrites the awards stored whole before migration m20261210_000001 into the layout
    /// with shared parts, `COMPACT_BATCH` (200) per transaction, until none is left; returns
    /// how many it rewrote. Each row is put back together and checked before it is written;
    /// rows read in the meantime are served in whichever layout they are in.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn compact_credentials(&self) -> Result<u64, StoreError> {
        if self.whole_credentials {
            return Ok(0);
        }
        let mut done = 0;
        loop {
            let tx = self.write().await?;
            let rows = award::Entity::find()
                .filter(award::Column::CredentialSha256.is_null())
                .order_by(award::Column::Id, Order::Asc)
                .limit(COMPACT_BATCH)
                .all(tx.conn())
                .await?;
            let n = rows.len() as u64;
            let mut parts = Vec::new();
            let mut rewritten = Vec::new();
            for row in rows {
                let layout = credential_layout::split(&row.credential, &self.parts);
                if let Some((part, _)) = &layout.part {
                    parts.push(part.clone());
                }
                rewritten.push((row.id, layout));
            }
            tx.save_parts(parts).await?;
            for (id, layout) in rewritten {
                let (part, at) = layout.part.map(|(p, at)| (p.id, at)).unzip();
                award::ActiveModel {
                    id: sea_orm::ActiveValue::Unchanged(id),
                    credential: Set(layout.text),
                    credential_packed: Set(layout.packed),
                    credential_part: Set(part),
                    credential_part_at: Set(at),
                    credential_sha256: Set(Some(layout.sha256)),
                    ..Default::default()
                }
                .update(tx.conn())
                .await?;
            }
            tx.commit().await?;
            done += n;
            if n < COMPACT_BATCH {
                return Ok(done);
            }
        }
    }
}

impl Tx {
    /// The stored row of `row`, its credential split (unless this store writes whole), and
    /// the part it needs saved first.
    pub(crate) fn stored_award(&self, row: AwardRow) -> (award::Model, Option<Part>) {
        if self.whole_credentials {
            return (row.into_model(None), None);
        }
        let layout = credential_layout::split(&row.credential, &self.parts);
        let part = layout.part.as_ref().map(|(p, _)| p.clone());
        (row.into_model(Some(layout)), part)
    }

    /// Stores `parts` that are not stored yet (once each; a part another transaction
    /// stores at the same time is left as it is: it has the same text).
    pub(crate) async fn save_parts(&self, parts: Vec<Part>) -> Result<(), StoreError> {
        let mut seen = HashSet::new();
        let now = Utc::now();
        for part in parts {
            if !seen.insert(part.id.clone()) {
                continue;
            }
            let stored = credential_part::Entity::find_by_id(part.id.clone())
                .select_only()
                .column(credential_part::Column::Id)
                .into_tuple::<Vec<u8>>()
                .one(self.conn())
                .await?;
            if stored.is_some() {
                continue;
            }
            credential_part::Entity::insert(credential_part::ActiveModel {
                id: Set(part.id),
                text: Set(part.text.to_string()),
                created_at: Set(now),
            })
            .on_conflict(
                OnConflict::column(credential_part::Column::Id)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(self.conn())
            .await?;
        }
        Ok(())
    }

    /// The awards of stored rows, each credential put back together and checked against
    /// the SHA-256 recorded when it was stored; a row that does not check is an error.
    pub(crate) async fn award_rows(
        &self,
        rows: Vec<award::Model>,
    ) -> Result<Vec<AwardRow>, StoreError> {
        let mut parts: HashMap<Vec<u8>, Arc<PartEntry>> = HashMap::new();
        let mut out = Vec::with_capacity(rows.len());
        for mut row in rows {
            let part = match (&row.credential_part, row.credential_part_at) {
                (Some(id), Some(at)) => {
                    let entry = match parts.get(id) {
                        Some(entry) => entry.clone(),
                        None => {
                            let entry = self.credential_part(id).await?;
                            parts.insert(id.clone(), entry.clone());
                            entry
                        }
                    };
                    Some((entry, at))
                }
                (None, None) => None,
                _ => {
                    return Err(StoreError::Corrupt(format!(
                        "award {}: a part without its offset",
                        row.id
                    )))
                }
            };
            let what = || format!("award {}", row.id);
            let whole = credential_layout::unpack(
                std::mem::take(&mut row.credential),
                row.credential_packed.as_deref(),
                part.as_ref().map(|(entry, at)| (&**entry, *at)),
            )
            .map_err(|e| StoreError::Corrupt(format!("{}: {e}", what())))?;
            let whole = match &row.credential_sha256 {
                Some(sha256) => credential_layout::check_whole(whole, sha256, &what())?,
                None => whole,
            };
            out.push(AwardRow::from_model(row, whole));
        }
        Ok(out)
    }

    /// The award of a stored row, if there is one (see [`Tx::award_rows`]).
    pub(crate) async fn award_row(
        &self,
        row: Option<award::Model>,
    ) -> Result<Option<AwardRow>, StoreError> {
        Ok(self.award_rows(row.into_iter().collect()).await?.pop())
    }

    /// A part, from the cache or the database, checked against its id.
    async fn credential_part(&self, id: &[u8]) -> Result<Arc<PartEntry>, StoreError> {
        if let Some(entry) = self.parts.get(id) {
            return Ok(entry);
        }
        let text: String = credential_part::Entity::find_by_id(id.to_vec())
            .select_only()
            .column(credential_part::Column::Text)
            .into_tuple()
            .one(self.conn())
            .await?
            .ok_or_else(|| {
                StoreError::Corrupt(format!(
                    "the credential part {} is missing",
                    credential_layout::hex(id)
                ))
            })?;
        self.parts.checked_insert(id, text)
    }

    /// What the stored credentials take (see [`CredentialStorage`]).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn credential_storage(&self) -> Result<CredentialStorage, StoreError> {
        use sea_orm::{ConnectionTrait, Statement};
        let (octets, backend) = match self.engine {
            crate::Engine::Sqlite => ("length(CAST({} AS BLOB))", sea_orm::DatabaseBackend::Sqlite),
            crate::Engine::Postgres => ("octet_length({})", sea_orm::DatabaseBackend::Postgres),
        };
        let of = |column: &str| format!("coalesce({}, 0)", octets.replace("{}", column));
        let sql = format!(
            "SELECT (SELECT count(*) FROM awards), \
             (SELECT count(credential_part) FROM awards), \
             (SELECT count(credential_packed) FROM awards), \
             (SELECT count(*) FROM awards WHERE credential_sha256 IS NULL), \
             (SELECT CAST(coalesce(sum({} + {}), 0) AS BIGINT) FROM awards), \
             (SELECT count(*) FROM credential_parts), \
             (SELECT CAST(coalesce(sum({}), 0) AS BIGINT) FROM credential_parts)",
            of("credential"),
            of("credential_packed"),
            of("text"),
        );
        let row = self
            .conn()
            .query_one(Statement::from_string(backend, sql))
            .await?
            .ok_or_else(|| StoreError::Corrupt("no storage figures".into()))?;
        let n = |i: usize| -> Result<u64, StoreError> {
            let v: i64 = row
                .try_get_by_index(i)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            Ok(u64::try_from(v).unwrap_or_default())
        };
        Ok(CredentialStorage {
            awards: n(0)?,
            split: n(1)?,
            packed: n(2)?,
            unhashed: n(3)?,
            award_bytes: n(4)?,
            parts: n(5)?,
            part_bytes: n(6)?,
        })
    }
}
