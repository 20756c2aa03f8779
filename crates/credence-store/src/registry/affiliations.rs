//! Affiliations between organisations: a system's proposals, their acceptance, and the
//! organisations whose workforce a system's view covers.

use credence_domain::registry::AffiliationState;
use credence_domain::OrgId;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};

use crate::entity::affiliation;
use crate::{StoreError, Tx};

use super::AffiliationRow;

impl Tx {
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_affiliation(&self, row: AffiliationRow) -> Result<(), StoreError> {
        affiliation::Entity::insert(affiliation::ActiveModel::from(row))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// The affiliation of `member` to `parent`, in whatever state.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn affiliation(
        &self,
        parent: &OrgId,
        member: &OrgId,
    ) -> Result<Option<AffiliationRow>, StoreError> {
        Ok(
            affiliation::Entity::find_by_id((parent.to_owned(), member.to_owned()))
                .one(self.conn())
                .await?,
        )
    }

    /// Every affiliation the organisation takes part in, on either side.
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn affiliations_of(&self, org_id: &OrgId) -> Result<Vec<AffiliationRow>, StoreError> {
        Ok(affiliation::Entity::find()
            .filter(
                Condition::any()
                    .add(affiliation::Column::ParentOrgId.eq(org_id))
                    .add(affiliation::Column::MemberOrgId.eq(org_id)),
            )
            .all(self.conn())
            .await?)
    }

    /// The organisations that accepted their affiliation to `parent`.
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %parent))]
    pub async fn affiliated_orgs(&self, parent: &OrgId) -> Result<Vec<OrgId>, StoreError> {
        Ok(affiliation::Entity::find()
            .filter(affiliation::Column::ParentOrgId.eq(parent))
            .filter(affiliation::Column::State.eq(AffiliationState::Accepted))
            .all(self.conn())
            .await?
            .into_iter()
            .map(|r| r.member_org_id)
            .collect())
    }

    /// Accepts a proposed affiliation; returns whether one was waiting.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn accept_affiliation(
        &self,
        parent: &OrgId,
        member: &OrgId,
        by: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<bool, StoreError> {
        let done = affiliation::Entity::update_many()
            .col_expr(
                affiliation::Column::State,
                Expr::value(AffiliationState::Accepted),
            )
            .col_expr(affiliation::Column::AnsweredBy, Expr::value(by.to_owned()))
            .col_expr(affiliation::Column::AnsweredAt, Expr::value(at))
            .filter(affiliation::Column::ParentOrgId.eq(parent))
            .filter(affiliation::Column::MemberOrgId.eq(member))
            .filter(affiliation::Column::State.eq(AffiliationState::Invited))
            .exec(self.conn())
            .await?;
        Ok(done.rows_affected > 0)
    }

    /// Ends (or declines) an affiliation; returns whether there was one.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn delete_affiliation(
        &self,
        parent: &OrgId,
        member: &OrgId,
    ) -> Result<bool, StoreError> {
        let done = affiliation::Entity::delete_by_id((parent.to_owned(), member.to_owned()))
            .exec(self.conn())
            .await?;
        Ok(done.rows_affected > 0)
    }
}
