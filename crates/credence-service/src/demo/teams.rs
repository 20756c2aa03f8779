//! Seeding the demo's teams (made and invited by the organisation's administrator, accepted
//! by the personas who accept), the numbered staff of an organisation's workforce (accounts
//! with their archetypes and evidence attested by the organisation's assessor, written like
//! imported completions: each piece with its decision, one transaction per person), its
//! targets, and the affiliations of organisations to a system (proposed by the system,
//! accepted by the organisation). What exists is left alone.

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};
use credence_domain::registry::{
    AffiliationState, EvidenceKind, EvidenceStatus, Role, TeamMemberState,
};
use credence_domain::{EvidenceId, Framework, PathwayCode, PathwayKind};
use credence_store::registry::{EvidenceRow, NewDecision};

use super::world::{Workforce, World};
use super::{email, DemoSummary, DEMO_PASSWORD};
use crate::accounts::{NewAccount, Password};
use crate::actor::{Holder, OperatorPower};
use crate::awards::DEFAULT_FRAMEWORK;
use crate::evidence::framework_by_slug;
use crate::registry::Registry;
use crate::teams::NewTeam;
use crate::workforce::NewTarget;
use crate::ServiceError;

impl Registry {
    /// The demo's teams, their invitations and acceptances.
    pub(super) async fn seed_teams(
        &self,
        world: &World,
        operator: &OperatorPower,
        summary: &mut DemoSummary,
    ) -> Result<(), ServiceError> {
        for team in &world.teams {
            let org = self.org_named(&team.org).await?;
            let admin = self.with_org_admin(&operator.admin_of(&org));
            if admin.teams().await?.iter().any(|t| t.name == team.name) {
                continue;
            }
            let made = admin
                .create_team(NewTeam {
                    name: team.name.clone(),
                    product_name: team.product_name.clone().unwrap_or_default(),
                    product_pathway: team.product_pathway.clone().unwrap_or_default(),
                })
                .await?;
            summary.changes += 1;
            for m in &team.members {
                let address = email(&m.persona);
                let invited = admin
                    .invite_to_team(&made.id, &address, &m.archetypes)
                    .await?;
                summary.changes += 1;
                if m.accepted {
                    let holder = Holder {
                        account_id: invited.account_id.clone(),
                        label: format!("account:{}", invited.account_id),
                    };
                    self.with_holder(&holder)
                        .answer_team(&made.id, TeamMemberState::Member)
                        .await?;
                    summary.changes += 1;
                }
            }
        }
        Ok(())
    }

    /// The numbered staff of the workforce tables and the targets.
    pub(super) async fn seed_workforce(
        &self,
        world: &World,
        framework: &Framework,
        operator: &OperatorPower,
        summary: &mut DemoSummary,
    ) -> Result<(), ServiceError> {
        for w in &world.workforce {
            self.seed_staff(world, framework, w, operator, summary)
                .await?;
        }
        for t in &world.targets {
            let org = self.org_named(&t.org).await?;
            let admin = self.with_org_admin(&operator.admin_of(&org));
            let view = admin.workforce().await?;
            let same = view
                .targets
                .iter()
                .any(|x| x.archetype == t.archetype && x.pathway == t.pathway && x.due == t.due);
            if same {
                continue;
            }
            admin
                .add_target(NewTarget {
                    archetype: t.archetype.clone().unwrap_or_default(),
                    pathway: t.pathway.clone(),
                    percent: t.percent.to_string(),
                    due: t.due.clone(),
                })
                .await?;
            summary.changes += 1;
        }
        for a in &world.affiliations {
            let system = self.org_named(&a.system).await?;
            let member = self.org_named(&a.member).await?;
            let member_slug = credence_domain::OrgSlug::new(&member.slug)
                .map_err(|e| ServiceError::internal_from("a demo organisation's slug", e))?;
            let system_slug = credence_domain::OrgSlug::new(&system.slug)
                .map_err(|e| ServiceError::internal_from("a demo organisation's slug", e))?;
            let theirs = self.with_org_admin(&operator.admin_of(&member));
            let known = theirs.affiliations().await?.systems;
            match known.iter().find(|s| s.org == system.slug).map(|s| s.state) {
                Some(AffiliationState::Accepted) => continue,
                Some(AffiliationState::Invited) => {}
                None => {
                    self.with_org_admin(&operator.admin_of(&system))
                        .propose_affiliation(&member_slug)
                        .await?;
                }
            }
            theirs.accept_affiliation(&system_slug).await?;
            summary.changes += 1;
        }
        Ok(())
    }

    async fn seed_staff(
        &self,
        world: &World,
        framework: &Framework,
        w: &Workforce,
        operator: &OperatorPower,
        summary: &mut DemoSummary,
    ) -> Result<(), ServiceError> {
        let org = self.org_named(&w.org).await?;
        let assessor = world
            .staff_of(&w.org, Role::Assessor)
            .ok_or_else(|| ServiceError::internal(format!("no assessor at {}", w.org)))?;
        let assessor_id = self
            .account_by_email(&email(&assessor.account))
            .await?
            .map(|a| a.id);
        let today = self.now().date_naive();
        let this_month = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap_or(today);
        let first = this_month
            .checked_sub_months(chrono::Months::new(w.months_ago))
            .unwrap_or(this_month);
        let mut n = 0;
        for (g, group) in w.groups.iter().enumerate() {
            let month = first
                .checked_add_months(chrono::Months::new(u32::try_from(g).unwrap_or(0)))
                .unwrap_or(first);
            for _ in 0..group.count {
                n += 1;
                let local = format!("{}-{n:02}", w.account_prefix);
                if self.account_by_email(&email(&local)).await?.is_some() {
                    continue;
                }
                let account = self
                    .with_operator(operator)
                    .create_account_as_operator(
                        NewAccount {
                            email: email(&local),
                            display_name: w.display_name.replace("{n}", &n.to_string()),
                            password: Password::new(DEMO_PASSWORD.into()),
                        },
                        false,
                    )
                    .await?;
                summary.accounts += 1;
                let holder = Holder {
                    account_id: account.id.clone(),
                    label: format!("account:{}", account.id),
                };
                self.with_holder(&holder)
                    .set_archetypes(std::slice::from_ref(&group.archetype))
                    .await?;
                let mut plan: Vec<(PathwayCode, usize)> = Vec::new();
                if let Some(f) = pathway_of(framework, PathwayKind::Foundational, None) {
                    plan.push((f, group.foundational));
                }
                if let Some(a) =
                    pathway_of(framework, PathwayKind::Advanced, Some(&group.archetype))
                {
                    plan.push((a, group.advanced));
                }
                let tx = self.store.write().await?;
                let loaded = framework_by_slug(&tx, DEFAULT_FRAMEWORK, None)
                    .await?
                    .ok_or_else(|| ServiceError::internal("the demo's framework"))?;
                let mut day = 0;
                for (pathway, count) in plan {
                    for s in framework.pathway_statements(&pathway).take(count) {
                        let Some(level) = s.level.clone() else {
                            continue;
                        };
                        let on = (month + Duration::days(day % 27)).min(today);
                        day += 1;
                        let at = Utc
                            .with_ymd_and_hms(on.year(), on.month(), on.day(), 10, 0, 0)
                            .single()
                            .unwrap_or_else(|| self.now());
                        let row = EvidenceRow {
                            id: EvidenceId::random(),
                            holder_id: account.id.clone(),
                            framework_id: loaded.id,
                            statement_code: s.code.clone(),
                            level_claimed: level.clone(),
                            kind: EvidenceKind::CourseCompletion,
                            narrative: format!(
                                "Demo data: {}'s in-house AI education course (fictional), assessed by its assessor.",
                                org.name
                            ),
                            occurred_on: on,
                            provider: Some(org.name.clone()),
                            org_id: Some(org.id.clone()),
                            status: EvidenceStatus::Attested,
                            level_confirmed: Some(level.clone()),
                            source: "demo".into(),
                            external_ref: None,
                            public: false,
                            product_version_id: None,
                            created_at: at,
                            updated_at: at,
                        };
                        tx.insert_evidence(row.clone()).await?;
                        tx.insert_decision(NewDecision {
                            evidence_id: row.id.clone(),
                            actor_id: assessor_id.clone(),
                            decision: "attested".into(),
                            level: Some(level.as_str().to_owned()),
                            comment: None,
                            decided_at: at,
                        })
                        .await?;
                        summary.evidence_steps += 1;
                    }
                }
                tx.commit().await?;
            }
        }
        Ok(())
    }
}

/// The pathway of `kind` (for `archetype`, when given).
fn pathway_of(
    framework: &Framework,
    kind: PathwayKind,
    archetype: Option<&str>,
) -> Option<PathwayCode> {
    framework
        .document()
        .pathways
        .iter()
        .find(|p| {
            p.kind == kind
                && archetype.is_none_or(|a| p.archetype.as_ref().is_some_and(|c| c.as_str() == a))
        })
        .map(|p| p.code.clone())
}
