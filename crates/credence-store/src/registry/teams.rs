//! Teams and their members (invitations, acceptance, leaving), and the attested evidence of
//! a team's members read in one query.

use chrono::{DateTime, Utc};
use credence_domain::registry::{EvidenceStatus, TeamMemberState};
use credence_domain::{AccountId, LevelCode, OrgId, StatementCode, TeamId};
use sea_orm::{
    sea_query::OnConflict, ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, Order,
    QueryFilter, QueryOrder, QuerySelect,
};

use crate::entity::{account, evidence, team, team_member};
use crate::{StoreError, Tx};

use super::{AccountRow, TeamMemberRow, TeamRow};

impl Tx {
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_team(&self, row: TeamRow) -> Result<(), StoreError> {
        team::Entity::insert(team::ActiveModel::from(row))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
    pub async fn team(&self, id: &TeamId) -> Result<Option<TeamRow>, StoreError> {
        Ok(team::Entity::find_by_id(id.clone())
            .one(self.conn())
            .await?)
    }

    /// An organisation's teams, by name.
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn teams_of_org(&self, org_id: &OrgId) -> Result<Vec<TeamRow>, StoreError> {
        Ok(team::Entity::find()
            .filter(team::Column::OrgId.eq(org_id))
            .order_by(team::Column::Name, Order::Asc)
            .all(self.conn())
            .await?)
    }

    /// Invites an account (again, after a refusal or a departure): the row is written as
    /// invited, with the archetypes given.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn upsert_team_member(&self, row: TeamMemberRow) -> Result<(), StoreError> {
        team_member::Entity::insert(team_member::ActiveModel::from(row))
            .on_conflict(
                OnConflict::columns([team_member::Column::TeamId, team_member::Column::AccountId])
                    .update_columns([
                        team_member::Column::Archetypes,
                        team_member::Column::State,
                        team_member::Column::InvitedAt,
                        team_member::Column::AnsweredAt,
                    ])
                    .to_owned(),
            )
            .exec(self.conn())
            .await?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn team_member(
        &self,
        team_id: &TeamId,
        account_id: &AccountId,
    ) -> Result<Option<TeamMemberRow>, StoreError> {
        Ok(
            team_member::Entity::find_by_id((team_id.clone(), account_id.clone()))
                .one(self.conn())
                .await?,
        )
    }

    /// Sets a member's state and when they answered.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn set_team_member_state(
        &self,
        team_id: &TeamId,
        account_id: &AccountId,
        state: TeamMemberState,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        team_member::ActiveModel {
            team_id: sea_orm::ActiveValue::Unchanged(team_id.clone()),
            account_id: sea_orm::ActiveValue::Unchanged(account_id.clone()),
            state: Set(state),
            answered_at: Set(Some(at)),
            ..Default::default()
        }
        .update(self.conn())
        .await?;
        Ok(())
    }

    /// Everyone invited to a team, in any state, with their accounts, oldest invitation
    /// first.
    #[tracing::instrument(level = "debug", skip_all, fields(team_id = %team_id))]
    pub async fn team_members(
        &self,
        team_id: &TeamId,
    ) -> Result<Vec<(TeamMemberRow, AccountRow)>, StoreError> {
        let rows = team_member::Entity::find()
            .filter(team_member::Column::TeamId.eq(team_id))
            .order_by(team_member::Column::InvitedAt, Order::Asc)
            .all(self.conn())
            .await?;
        let ids: Vec<AccountId> = rows.iter().map(|r| r.account_id.clone()).collect();
        let accounts = account::Entity::find()
            .filter(account::Column::Id.is_in(ids))
            .all(self.conn())
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                let a = accounts.iter().find(|a| a.id == r.account_id)?.clone();
                Some((r, a))
            })
            .collect())
    }

    /// The teams an account was invited to or belongs to, with each membership row.
    #[tracing::instrument(level = "debug", skip_all, fields(account_id = %account_id))]
    pub async fn teams_of_account(
        &self,
        account_id: &AccountId,
    ) -> Result<Vec<(TeamMemberRow, TeamRow)>, StoreError> {
        let rows = team_member::Entity::find()
            .filter(team_member::Column::AccountId.eq(account_id))
            .order_by(team_member::Column::InvitedAt, Order::Desc)
            .all(self.conn())
            .await?;
        let ids: Vec<TeamId> = rows.iter().map(|r| r.team_id.clone()).collect();
        let teams = team::Entity::find()
            .filter(team::Column::Id.is_in(ids))
            .all(self.conn())
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                let t = teams.iter().find(|t| t.id == r.team_id)?.clone();
                Some((r, t))
            })
            .collect())
    }

    /// The attested evidence of several accounts in one stored framework version: each
    /// piece's holder, statement and confirmed level.
    #[tracing::instrument(level = "debug", skip_all, fields(framework_id = %framework_id))]
    pub async fn attested_levels_of(
        &self,
        holders: &[AccountId],
        framework_id: i64,
    ) -> Result<Vec<(AccountId, StatementCode, LevelCode)>, StoreError> {
        if holders.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<(AccountId, StatementCode, Option<LevelCode>)> = evidence::Entity::find()
            .select_only()
            .column(evidence::Column::HolderId)
            .column(evidence::Column::StatementCode)
            .column(evidence::Column::LevelConfirmed)
            .filter(evidence::Column::HolderId.is_in(holders.to_vec()))
            .filter(evidence::Column::FrameworkId.eq(framework_id))
            .filter(evidence::Column::Status.eq(EvidenceStatus::Attested))
            .into_tuple()
            .all(self.conn())
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(h, s, l)| Some((h, s, l?)))
            .collect())
    }
}
