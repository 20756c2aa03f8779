//! Framework versions: import (idempotent, versions side by side) and look-ups.

use chrono::{DateTime, Utc};
use credence_domain::Framework;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, EntityTrait, Order, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::entity::{framework, framework_statement};
use crate::{Store, StoreError};

/// A stored framework version, without its document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameworkSummary {
    pub id: i64,
    pub slug: String,
    pub version: String,
    pub title: String,
    pub publisher: String,
    pub content_sha256: String,
    pub imported_at: DateTime<Utc>,
}

/// A stored framework version with its document as JSON text.
#[derive(Debug, Clone)]
pub struct StoredFramework {
    pub summary: FrameworkSummary,
    pub document: String,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportOutcome {
    /// The version was new and is now stored.
    Created(FrameworkSummary),
    /// The identical version was already stored; nothing changed.
    Unchanged(FrameworkSummary),
    /// A different document is already stored under the same slug and version.
    Conflict(FrameworkSummary),
}

fn summary(m: framework::Model) -> (FrameworkSummary, String) {
    (
        FrameworkSummary {
            id: m.id,
            slug: m.slug,
            version: m.version,
            title: m.title,
            publisher: m.publisher,
            content_sha256: m.content_sha256,
            imported_at: m.imported_at,
        },
        m.document,
    )
}

impl Store {
    /// Every stored framework version, by slug, newest import first within a slug.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn list_frameworks(&self) -> Result<Vec<FrameworkSummary>, StoreError> {
        let rows = framework::Entity::find()
            .select_only()
            .columns([
                framework::Column::Id,
                framework::Column::Slug,
                framework::Column::Version,
                framework::Column::Title,
                framework::Column::Publisher,
                framework::Column::ContentSha256,
                framework::Column::ImportedAt,
            ])
            .order_by(framework::Column::Slug, Order::Asc)
            .order_by(framework::Column::Id, Order::Desc)
            .into_tuple::<(i64, String, String, String, String, String, DateTime<Utc>)>()
            .all(self.conn())
            .await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, slug, version, title, publisher, content_sha256, imported_at)| {
                    FrameworkSummary {
                        id,
                        slug,
                        version,
                        title,
                        publisher,
                        content_sha256,
                        imported_at,
                    }
                },
            )
            .collect())
    }

    /// A framework version by slug; the most recently imported version when `version` is
    /// `None`.
    #[tracing::instrument(level = "debug", skip_all, fields(slug = %slug))]
    pub async fn find_framework(
        &self,
        slug: &str,
        version: Option<&str>,
    ) -> Result<Option<StoredFramework>, StoreError> {
        let mut query = framework::Entity::find().filter(framework::Column::Slug.eq(slug));
        if let Some(version) = version {
            query = query.filter(framework::Column::Version.eq(version));
        }
        let row = query
            .order_by(framework::Column::Id, Order::Desc)
            .one(self.conn())
            .await?;
        Ok(row.map(|m| {
            let (summary, document) = summary(m);
            StoredFramework { summary, document }
        }))
    }

    /// Stores a validated framework version and its statements in one transaction.
    ///
    /// `document` is the normalised JSON text and `sha256` its digest: importing the same
    /// content again changes nothing, and a different content under an existing version is
    /// reported as a conflict, never written over the stored one.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn import_framework(
        &self,
        fw: &Framework,
        document: &str,
        sha256: &str,
    ) -> Result<ImportOutcome, StoreError> {
        if let Some(existing) = self
            .find_framework(fw.slug().as_str(), Some(fw.version()))
            .await?
        {
            return Ok(compare(existing.summary, sha256));
        }
        let doc = fw.document();
        let tx = self.write().await?;
        let txn = tx.conn();
        let inserted = framework::Entity::insert(framework::ActiveModel {
            id: NotSet,
            slug: Set(doc.slug.to_string()),
            version: Set(doc.version.clone()),
            title: Set(doc.title.clone()),
            publisher: Set(doc.publisher.clone()),
            content_sha256: Set(sha256.to_owned()),
            document: Set(document.to_owned()),
            imported_at: Set(Utc::now()),
        })
        .exec(txn)
        .await;
        let id = match inserted {
            Ok(r) => r.last_insert_id,
            Err(e) => {
                let e = StoreError::from(e);
                drop(tx);
                // Another process imported the same version at the same moment.
                if matches!(e, StoreError::Duplicate { .. }) {
                    if let Some(existing) = self
                        .find_framework(fw.slug().as_str(), Some(fw.version()))
                        .await?
                    {
                        return Ok(compare(existing.summary, sha256));
                    }
                }
                return Err(e);
            }
        };
        let rows: Vec<framework_statement::ActiveModel> = doc
            .statements
            .iter()
            .map(|s| framework_statement::ActiveModel {
                id: NotSet,
                framework_id: Set(id),
                code: Set(s.code.to_string()),
                table_name: Set(s.table.clone()),
                pathway: Set(s.pathway.to_string()),
                layer: Set(s.layer.clone()),
                factor: Set(s.factor.clone()),
                taxonomy: Set(s.taxonomy.to_string()),
                level: Set(s.level.as_ref().map(ToString::to_string)),
                text: Set(s.text.clone()),
                source_line: Set(i32::try_from(s.source_line).unwrap_or(i32::MAX)),
            })
            .collect();
        // Stay well under the bind-parameter limits of both engines.
        for chunk in rows.chunks(500) {
            framework_statement::Entity::insert_many(chunk.to_vec())
                .exec(txn)
                .await?;
        }
        tx.commit().await?;
        let stored = self
            .find_framework(fw.slug().as_str(), Some(fw.version()))
            .await?
            .ok_or_else(|| StoreError::Corrupt("an imported framework vanished".into()))?;
        Ok(ImportOutcome::Created(stored.summary))
    }

    /// How many statements are stored for a framework version.
    #[tracing::instrument(level = "debug", skip_all, fields(framework_id = %framework_id))]
    pub async fn count_statements(&self, framework_id: i64) -> Result<u64, StoreError> {
        Ok(framework_statement::Entity::find()
            .filter(framework_statement::Column::FrameworkId.eq(framework_id))
            .count(self.conn())
            .await?)
    }
}

fn compare(existing: FrameworkSummary, sha256: &str) -> ImportOutcome {
    if existing.content_sha256 == sha256 {
        ImportOutcome::Unchanged(existing)
    } else {
        ImportOutcome::Conflict(existing)
    }
}
