//! AI products: their versions, sites and answers to the report's question sets, and the
//! reads of version-bound evidence, achievements and awards that a product's dossier and
//! the refresher rule need (issue 19).

use std::collections::BTreeSet;

use credence_domain::registry::{AwardStatus, EvidenceStatus};
use credence_domain::{
    AccountId, AchievementId, OrgId, ProductId, ProductSiteId, ProductVersionId,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, Order, QueryFilter, QueryOrder, QuerySelect,
};

use crate::entity::{
    achievement, award, evidence, membership, product, product_answer, product_site,
    product_version,
};
use crate::{StoreError, Tx};

use super::{
    AchievementRow, EvidenceRow, ProductAnswerRow, ProductRow, ProductSiteRow, ProductVersionRow,
};

/// One active award of a product-bound achievement: whose, of which achievement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundAward {
    pub holder_id: AccountId,
    pub achievement_id: AchievementId,
}

impl Tx {
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_product(&self, row: ProductRow) -> Result<(), StoreError> {
        product::Entity::insert(product::ActiveModel::from(row))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Writes every column of a product but its id, organisation and creation time.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn update_product(&self, row: ProductRow) -> Result<(), StoreError> {
        let mut model = product::ActiveModel::from(row).reset_all();
        model.org_id = sea_orm::ActiveValue::NotSet;
        model.created_at = sea_orm::ActiveValue::NotSet;
        product::Entity::update(model).exec(self.conn()).await?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
    pub async fn product(&self, id: &ProductId) -> Result<Option<ProductRow>, StoreError> {
        Ok(product::Entity::find_by_id(id.clone())
            .one(self.conn())
            .await?)
    }

    /// An organisation's product with this name, if any.
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn product_named(
        &self,
        org_id: &OrgId,
        name: &str,
    ) -> Result<Option<ProductRow>, StoreError> {
        Ok(product::Entity::find()
            .filter(product::Column::OrgId.eq(org_id))
            .filter(product::Column::Name.eq(name))
            .one(self.conn())
            .await?)
    }

    /// The products an organisation registered, by name.
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn products_of_org(&self, org_id: &OrgId) -> Result<Vec<ProductRow>, StoreError> {
        Ok(product::Entity::find()
            .filter(product::Column::OrgId.eq(org_id))
            .order_by(product::Column::Name, Order::Asc)
            .all(self.conn())
            .await?)
    }

    /// Every product, by name.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn all_products(&self) -> Result<Vec<ProductRow>, StoreError> {
        Ok(product::Entity::find()
            .order_by(product::Column::Name, Order::Asc)
            .order_by(product::Column::Id, Order::Asc)
            .all(self.conn())
            .await?)
    }

    /// The products whose site list names this organisation, by name.
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn products_at_site(&self, org_id: &OrgId) -> Result<Vec<ProductRow>, StoreError> {
        let ids: BTreeSet<ProductId> = product_site::Entity::find()
            .filter(product_site::Column::OrgId.eq(org_id))
            .all(self.conn())
            .await?
            .into_iter()
            .map(|s| s.product_id)
            .collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(product::Entity::find()
            .filter(product::Column::Id.is_in(ids))
            .order_by(product::Column::Name, Order::Asc)
            .all(self.conn())
            .await?)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_product_version(&self, row: ProductVersionRow) -> Result<(), StoreError> {
        product_version::Entity::insert(product_version::ActiveModel::from(row))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
    pub async fn product_version(
        &self,
        id: &ProductVersionId,
    ) -> Result<Option<ProductVersionRow>, StoreError> {
        Ok(product_version::Entity::find_by_id(id.clone())
            .one(self.conn())
            .await?)
    }

    /// A product's versions in the order they were registered (the last is the current).
    #[tracing::instrument(level = "debug", skip_all, fields(product_id = %product_id))]
    pub async fn versions_of_product(
        &self,
        product_id: &ProductId,
    ) -> Result<Vec<ProductVersionRow>, StoreError> {
        Ok(product_version::Entity::find()
            .filter(product_version::Column::ProductId.eq(product_id))
            .order_by(product_version::Column::CreatedAt, Order::Asc)
            .order_by(product_version::Column::Id, Order::Asc)
            .all(self.conn())
            .await?)
    }

    /// Replaces a product's site list.
    #[tracing::instrument(level = "debug", skip_all, fields(product_id = %product_id))]
    pub async fn replace_product_sites(
        &self,
        product_id: &ProductId,
        rows: Vec<ProductSiteRow>,
    ) -> Result<(), StoreError> {
        product_site::Entity::delete_many()
            .filter(product_site::Column::ProductId.eq(product_id))
            .exec(self.conn())
            .await?;
        if !rows.is_empty() {
            product_site::Entity::insert_many(
                rows.into_iter().map(product_site::ActiveModel::from),
            )
            .exec(self.conn())
            .await?;
        }
        Ok(())
    }

    /// A product's sites, in the order they were given.
    #[tracing::instrument(level = "debug", skip_all, fields(product_id = %product_id))]
    pub async fn sites_of_product(
        &self,
        product_id: &ProductId,
    ) -> Result<Vec<ProductSiteRow>, StoreError> {
        Ok(product_site::Entity::find()
            .filter(product_site::Column::ProductId.eq(product_id))
            .order_by(product_site::Column::CreatedAt, Order::Asc)
            .order_by(product_site::Column::Id, Order::Asc)
            .all(self.conn())
            .await?)
    }

    /// A site by id.
    #[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
    pub async fn product_site(
        &self,
        id: &ProductSiteId,
    ) -> Result<Option<ProductSiteRow>, StoreError> {
        Ok(product_site::Entity::find_by_id(id.clone())
            .one(self.conn())
            .await?)
    }

    /// Appends an answer (earlier answers stay, as its history).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_product_answer(&self, row: ProductAnswerRow) -> Result<(), StoreError> {
        product_answer::Entity::insert(product_answer::ActiveModel::from(row))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Every answer given for a product version, oldest first.
    #[tracing::instrument(level = "debug", skip_all, fields(version_id = %version_id))]
    pub async fn answers_of_version(
        &self,
        version_id: &ProductVersionId,
    ) -> Result<Vec<ProductAnswerRow>, StoreError> {
        Ok(product_answer::Entity::find()
            .filter(product_answer::Column::VersionId.eq(version_id))
            .order_by(product_answer::Column::AnsweredAt, Order::Asc)
            .order_by(product_answer::Column::Id, Order::Asc)
            .all(self.conn())
            .await?)
    }

    /// The achievements bound to any of these product versions.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn achievements_of_versions(
        &self,
        versions: &[ProductVersionId],
    ) -> Result<Vec<AchievementRow>, StoreError> {
        if versions.is_empty() {
            return Ok(Vec::new());
        }
        Ok(achievement::Entity::find()
            .filter(achievement::Column::ProductVersionId.is_in(versions.iter().cloned()))
            .all(self.conn())
            .await?)
    }

    /// The active awards of these achievements that have a holder.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn active_awards_of_achievements(
        &self,
        achievements: &[AchievementId],
    ) -> Result<Vec<BoundAward>, StoreError> {
        if achievements.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<(Option<AccountId>, Option<AchievementId>)> = award::Entity::find()
            .select_only()
            .column(award::Column::HolderId)
            .column(award::Column::AchievementId)
            .filter(award::Column::AchievementId.is_in(achievements.iter().cloned()))
            .filter(award::Column::Status.eq(AwardStatus::Active))
            .into_tuple()
            .all(self.conn())
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(holder, achievement)| {
                Some(BoundAward {
                    holder_id: holder?,
                    achievement_id: achievement?,
                })
            })
            .collect())
    }

    /// Attested evidence gained on any of these product versions.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn attested_evidence_on_versions(
        &self,
        versions: &[ProductVersionId],
    ) -> Result<Vec<EvidenceRow>, StoreError> {
        if versions.is_empty() {
            return Ok(Vec::new());
        }
        Ok(evidence::Entity::find()
            .filter(evidence::Column::ProductVersionId.is_in(versions.iter().cloned()))
            .filter(evidence::Column::Status.eq(EvidenceStatus::Attested))
            .order_by(evidence::Column::CreatedAt, Order::Asc)
            .all(self.conn())
            .await?)
    }

    /// The people of an organisation, for a site's coverage: its members (any role) and the
    /// holders whose evidence was submitted to it or imported from it.
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn people_of_org(&self, org_id: &OrgId) -> Result<BTreeSet<AccountId>, StoreError> {
        let mut people: BTreeSet<AccountId> = membership::Entity::find()
            .filter(membership::Column::OrgId.eq(org_id))
            .all(self.conn())
            .await?
            .into_iter()
            .map(|m| m.account_id)
            .collect();
        let holders: Vec<AccountId> = evidence::Entity::find()
            .select_only()
            .column(evidence::Column::HolderId)
            .distinct()
            .filter(evidence::Column::OrgId.eq(org_id))
            .into_tuple()
            .all(self.conn())
            .await?;
        people.extend(holders);
        Ok(people)
    }
}
