//! Accreditations given by accrediting bodies to providers.

use chrono::{DateTime, Utc};
use credence_domain::registry::AccreditationStatus;
use credence_domain::{AccreditationId, OrgId};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, Order, QueryFilter, QueryOrder,
};

use crate::entity::accreditation;
use crate::{StoreError, Tx};

use super::AccreditationRow;

impl Tx {
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_accreditation(&self, row: AccreditationRow) -> Result<(), StoreError> {
        accreditation::Entity::insert(accreditation::ActiveModel::from(row))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
    pub async fn accreditation(
        &self,
        id: &AccreditationId,
    ) -> Result<Option<AccreditationRow>, StoreError> {
        Ok(accreditation::Entity::find_by_id(id.clone())
            .one(self.conn())
            .await?)
    }

    /// Accreditations an organisation received (as provider) or gave (as body), newest first.
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn accreditations_of(
        &self,
        org_id: &OrgId,
        as_body: bool,
    ) -> Result<Vec<AccreditationRow>, StoreError> {
        let column = if as_body {
            accreditation::Column::BodyOrgId
        } else {
            accreditation::Column::ProviderOrgId
        };
        Ok(accreditation::Entity::find()
            .filter(column.eq(org_id))
            .order_by(accreditation::Column::CreatedAt, Order::Desc)
            .all(self.conn())
            .await?)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
    pub async fn set_accreditation_status(
        &self,
        id: &AccreditationId,
        status: AccreditationStatus,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        accreditation::ActiveModel {
            id: sea_orm::ActiveValue::Unchanged(id.clone()),
            status: Set(status),
            reason: Set(Some(reason.to_owned())),
            updated_at: Set(at),
            ..Default::default()
        }
        .update(self.conn())
        .await?;
        Ok(())
    }
}
