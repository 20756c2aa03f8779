//! Teams (an organisation's AI multidisciplinary team, say): an administrator makes a team
//! and invites accounts with the archetypes they play in it; a person counts only once
//! they accept, and may decline or leave. The team's page shows its combined, attested
//! coverage of each played archetype's advanced pathway and of its product-specific
//! pathway (who covers each statement, and the gaps, from
//! [`credence_domain::coverage`]), and the pathway that would close the most gaps. Only the
//! team's members and the organisation's administrators may see it (others: 404).

use std::collections::HashMap;

use credence_domain::coverage::{gap_closers, pathway_coverage, PathwayCoverage};
use credence_domain::registry::{Email, NotificationKind, TeamMemberState};
use credence_domain::{
    AccountId, ArchetypeCode, Attainment, Framework, OrgSlug, PathwayCode, PathwayKind, TeamId,
};
use credence_store::registry::{AccountRow, OrgRow, TeamMemberRow, TeamRow};
use serde::Serialize;
use serde_json::json;

use crate::achievements::DEFAULT_FRAMEWORK;
use crate::desks::{CallerDesk, HolderDesk, OrgAdminDesk, PublicDesk};
use crate::evidence::{framework_by_slug, LoadedFramework};
use crate::notifications::Tell;
use crate::registry::{audit, Registry};
use crate::ServiceError;

/// The report's words on collective requirements (line 1650 of the seed).
pub const COLLECTIVE_QUOTE: &str = "The requirements are collective rather than individual. An individual will not always meet all the requirements themselves, but work within a team where others bring advanced knowledge and skills.";

/// The seed line of [`COLLECTIVE_QUOTE`].
pub const COLLECTIVE_QUOTE_LINE: u32 = 1650;

/// A new team, as an administrator writes it.
#[derive(Debug, Clone, Default)]
pub struct NewTeam {
    pub name: String,
    /// The AI product it works with, e.g. `tri-X` (optional).
    pub product_name: String,
    /// A product-specific pathway of the framework (optional).
    pub product_pathway: String,
}

/// A team as lists show it.
#[derive(Debug, Clone, Serialize)]
pub struct TeamView {
    pub id: TeamId,
    pub org: String,
    pub org_name: String,
    pub name: String,
    pub product_name: Option<String>,
    pub product_pathway: Option<String>,
    pub created_at: String,
}

/// A person invited to a team.
#[derive(Debug, Clone, Serialize)]
pub struct TeamMemberView {
    pub account_id: AccountId,
    pub display_name: String,
    pub archetypes: Vec<String>,
    /// The archetypes' names, e.g. `Embedder`.
    pub archetype_names: Vec<String>,
    pub state: TeamMemberState,
}

/// A team and where the viewer stands in it (their own invitations and memberships).
#[derive(Debug, Clone, Serialize)]
pub struct MyTeam {
    pub team: TeamView,
    pub archetype_names: Vec<String>,
    pub state: TeamMemberState,
}

/// Who covers one requirement.
#[derive(Debug, Clone, Serialize)]
pub struct CoveredBy {
    pub display_name: String,
    pub level: String,
}

/// One requirement of a pathway, with who in the team covers it.
#[derive(Debug, Clone, Serialize)]
pub struct RequirementRow {
    pub statement: String,
    pub text: String,
    pub layer: String,
    pub factor: Option<String>,
    pub level: String,
    pub level_name: String,
    pub covered_by: Vec<CoveredBy>,
}

/// The team's combined coverage of one pathway.
#[derive(Debug, Clone, Serialize)]
pub struct PathwayCoverageView {
    pub pathway: String,
    pub name: String,
    pub kind: String,
    pub required: usize,
    pub covered: usize,
    pub gaps: usize,
    pub requirements: Vec<RequirementRow>,
}

/// A pathway and how many of the team's gaps completing it would close.
#[derive(Debug, Clone, Serialize)]
pub struct GapCloserView {
    pub pathway: String,
    pub name: String,
    pub closes: usize,
    pub statements: Vec<String>,
}

/// A team's page: its members, its coverage and its gaps.
#[derive(Debug, Clone, Serialize)]
pub struct TeamCoverage {
    pub team: TeamView,
    pub framework: String,
    pub framework_version: String,
    /// The report's words on collective requirements and their line.
    pub quote: &'static str,
    pub quote_line: u32,
    /// Accepted members: only they count.
    pub members: Vec<TeamMemberView>,
    /// Invitations not (yet) accepted: they do not count.
    pub not_counted: Vec<TeamMemberView>,
    pub pathways: Vec<PathwayCoverageView>,
    /// Every gap statement, once.
    pub gap_count: usize,
    /// The single pathway closing the most gaps, then the others that close some.
    pub best: Option<GapCloserView>,
    pub others: Vec<GapCloserView>,
    /// Whether the viewer administers the organisation (may invite).
    pub can_manage: bool,
}

fn team_view(team: &TeamRow, org: &OrgRow) -> TeamView {
    TeamView {
        id: team.id.clone(),
        org: org.slug.clone(),
        org_name: org.name.clone(),
        name: team.name.clone(),
        product_name: team.product_name.clone(),
        product_pathway: team.product_pathway.clone(),
        created_at: team.created_at.to_rfc3339(),
    }
}

fn archetype_codes(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

fn archetype_names(framework: &Framework, codes: &[String]) -> Vec<String> {
    codes
        .iter()
        .map(|c| {
            ArchetypeCode::new(c)
                .ok()
                .and_then(|code| framework.archetype(&code).map(|a| a.name.clone()))
                .unwrap_or_else(|| c.clone())
        })
        .collect()
}

fn member_view(framework: &Framework, row: &TeamMemberRow, account: &AccountRow) -> TeamMemberView {
    let archetypes = archetype_codes(&row.archetypes);
    TeamMemberView {
        account_id: account.id.clone(),
        display_name: account.display_name.clone(),
        archetype_names: archetype_names(framework, &archetypes),
        archetypes,
        state: row.state,
    }
}

impl Registry {
    async fn team_framework(&self) -> Result<LoadedFramework, ServiceError> {
        let tx = self.store.read().await?;
        framework_by_slug(&tx, DEFAULT_FRAMEWORK, None)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("framework '{DEFAULT_FRAMEWORK}'")))
    }

    /// The team `id` of the organisation `slug` (404 when either is missing or the team is
    /// another organisation's).
    async fn team_of(
        &self,
        slug: &OrgSlug,
        id: &TeamId,
    ) -> Result<(OrgRow, TeamRow), ServiceError> {
        let org = self.org(slug).await?;
        let tx = self.store.read().await?;
        match tx.team(id).await? {
            Some(team) if team.org_id == org.id => Ok((org, team)),
            _ => Err(ServiceError::NotFound(format!("team {id}"))),
        }
    }
}

/// The default framework's archetypes and pathways, as (code, name), for the team and
/// target forms.
#[derive(Debug, Clone, Serialize)]
pub struct FrameworkChoices {
    pub archetypes: Vec<(String, String)>,
    /// Product-specific pathways (templates), for a team.
    pub product_pathways: Vec<(String, String)>,
    /// The foundational and advanced pathways, for a target.
    pub target_pathways: Vec<(String, String)>,
}

impl PublicDesk<'_> {
    /// The choices the team and target forms offer.
    pub async fn framework_choices(&self) -> Result<FrameworkChoices, ServiceError> {
        let loaded = self.team_framework().await?;
        let doc = loaded.framework.document();
        let pathways = |keep: &dyn Fn(PathwayKind) -> bool| {
            doc.pathways
                .iter()
                .filter(|p| keep(p.kind))
                .map(|p| (p.code.to_string(), p.name.clone()))
                .collect()
        };
        Ok(FrameworkChoices {
            archetypes: doc
                .archetypes
                .iter()
                .map(|a| (a.code.to_string(), a.name.clone()))
                .collect(),
            product_pathways: pathways(&|k| k == PathwayKind::ProductTemplate),
            target_pathways: pathways(&|k| k != PathwayKind::ProductTemplate),
        })
    }
}

impl OrgAdminDesk<'_> {
    /// Makes a team. Its name is required (at most 200 characters); a product pathway, when
    /// given, must be one of the framework's product-specific pathways.
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.admin.0.org.slug))]
    pub async fn create_team(&self, new: NewTeam) -> Result<TeamView, ServiceError> {
        let org = &self.admin.0.org;
        let name = new.name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(ServiceError::invalid(
                "/name",
                "Give the team a name of at most 200 characters.",
            ));
        }
        let product_name = Some(new.product_name.trim())
            .filter(|p| !p.is_empty())
            .map(str::to_owned);
        if product_name
            .as_ref()
            .is_some_and(|p| p.chars().count() > 200)
        {
            return Err(ServiceError::invalid(
                "/product_name",
                "At most 200 characters.",
            ));
        }
        let loaded = self.team_framework().await?;
        let product_pathway = match new.product_pathway.trim() {
            "" => None,
            code => {
                let ok = PathwayCode::new(code).ok().and_then(|c| {
                    loaded
                        .framework
                        .pathway(&c)
                        .filter(|p| p.kind == PathwayKind::ProductTemplate)
                        .map(|p| p.code.as_str().to_owned())
                });
                Some(ok.ok_or_else(|| {
                    ServiceError::invalid(
                        "/product_pathway",
                        "Choose one of the framework's product-specific pathways, or none.",
                    )
                })?)
            }
        };
        let now = self.now();
        let row = TeamRow {
            id: TeamId::random(),
            org_id: org.id.clone(),
            name: name.to_owned(),
            product_name,
            product_pathway,
            created_at: now,
        };
        let tx = self.store.write().await?;
        tx.insert_team(row.clone()).await?;
        audit(
            &tx,
            now,
            &self.admin.0.label,
            "team.create",
            Some(&org.id),
            &format!("team:{}", row.id),
            json!({"name": row.name}),
        )
        .await?;
        tx.commit().await?;
        Ok(team_view(&row, org))
    }

    /// The organisation's teams.
    pub async fn teams(&self) -> Result<Vec<TeamView>, ServiceError> {
        let org = &self.admin.0.org;
        let tx = self.store.read().await?;
        Ok(tx
            .teams_of_org(&org.id)
            .await?
            .iter()
            .map(|t| team_view(t, org))
            .collect())
    }

    /// Invites the account with `email` to team `team_id`, playing `archetypes` (codes of
    /// the framework's archetypes, at least one). The person is told in the app and by
    /// e-mail, and counts only once they accept. Inviting a member again is a conflict;
    /// someone who declined or left may be invited again.
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.admin.0.org.slug, team = %team_id))]
    pub async fn invite_to_team(
        &self,
        team_id: &TeamId,
        email: &str,
        archetypes: &[String],
    ) -> Result<TeamMemberView, ServiceError> {
        let org = &self.admin.0.org;
        let team = {
            let tx = self.store.read().await?;
            tx.team(team_id).await?
        }
        .filter(|t| t.org_id == org.id)
        .ok_or_else(|| ServiceError::NotFound(format!("team {team_id}")))?;
        let email =
            Email::new(email).map_err(|e| ServiceError::invalid("/email", e.to_string()))?;
        let loaded = self.team_framework().await?;
        let mut chosen: Vec<String> = Vec::new();
        for (i, code) in archetypes.iter().enumerate() {
            let known = ArchetypeCode::new(code.trim())
                .ok()
                .filter(|c| loaded.framework.archetype(c).is_some());
            match known {
                Some(c) if !chosen.contains(&c.as_str().to_owned()) => {
                    chosen.push(c.as_str().to_owned());
                }
                Some(_) => {}
                None => {
                    return Err(ServiceError::invalid(
                        &format!("/archetypes/{i}"),
                        "Choose archetypes from the framework's list.",
                    ))
                }
            }
        }
        if chosen.is_empty() {
            return Err(ServiceError::invalid(
                "/archetypes",
                "Choose at least one archetype the person plays in the team.",
            ));
        }
        let now = self.now();
        let tx = self.store.write().await?;
        let account = tx.account_by_email(email.as_str()).await?.ok_or_else(|| {
            ServiceError::invalid(
                "/email",
                format!("No account has the e-mail address {email}; ask them to create one first."),
            )
        })?;
        if let Some(existing) = tx.team_member(&team.id, &account.id).await? {
            if matches!(
                existing.state,
                TeamMemberState::Invited | TeamMemberState::Member
            ) {
                return Err(ServiceError::Conflict(format!(
                    "{email} is already {} of {}.",
                    if existing.state == TeamMemberState::Member {
                        "a member"
                    } else {
                        "invited to be a member"
                    },
                    team.name
                )));
            }
        }
        let row = TeamMemberRow {
            team_id: team.id.clone(),
            account_id: account.id.clone(),
            archetypes: chosen.join(","),
            state: TeamMemberState::Invited,
            invited_at: now,
            answered_at: None,
        };
        tx.upsert_team_member(row.clone()).await?;
        audit(
            &tx,
            now,
            &self.admin.0.label,
            "team.invite",
            Some(&org.id),
            &format!("account:{}", account.id),
            json!({"team": team.id, "archetypes": chosen}),
        )
        .await?;
        let names = archetype_names(&loaded.framework, &chosen).join(", ");
        self.notify(
            &tx,
            Tell {
                account_id: account.id.clone(),
                kind: NotificationKind::TeamInvitation,
                title: format!("{} invites you to join {}", org.name, team.name),
                paragraphs: vec![
                    format!("{} invites you to join its team {}, as {names}.", org.name, team.name),
                    "If you accept, your attested evidence counts towards the team's combined coverage, and the team's members and the organisation's administrators see your name beside the statements you cover. You can decline, or leave later.".to_owned(),
                ],
                link: "/teams".to_owned(),
                action: "Answer the invitation",
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(member_view(&loaded.framework, &row, &account))
    }
}

impl HolderDesk<'_> {
    /// The teams the holder is invited to or belongs to.
    pub async fn my_teams(&self) -> Result<Vec<MyTeam>, ServiceError> {
        let loaded = self.team_framework().await?;
        let tx = self.store.read().await?;
        let mut out = Vec::new();
        for (member, team) in tx.teams_of_account(&self.holder.account_id).await? {
            let Some(org) = tx.org(&team.org_id).await? else {
                continue;
            };
            out.push(MyTeam {
                team: team_view(&team, &org),
                archetype_names: archetype_names(
                    &loaded.framework,
                    &archetype_codes(&member.archetypes),
                ),
                state: member.state,
            });
        }
        Ok(out)
    }

    /// Accepts or declines an invitation to team `team_id` (404 without one), or leaves a
    /// team the holder belongs to (`TeamMemberState::Left`; 404 when not a member).
    #[tracing::instrument(level = "info", skip_all, fields(account = %self.holder.account_id, team = %team_id))]
    pub async fn answer_team(
        &self,
        team_id: &TeamId,
        answer: TeamMemberState,
    ) -> Result<(), ServiceError> {
        let now = self.now();
        let tx = self.store.write().await?;
        let member = tx.team_member(team_id, &self.holder.account_id).await?;
        let allowed = matches!(
            (member.as_ref().map(|m| m.state), answer),
            (
                Some(TeamMemberState::Invited),
                TeamMemberState::Member | TeamMemberState::Declined
            ) | (Some(TeamMemberState::Member), TeamMemberState::Left)
        );
        if !allowed {
            return Err(ServiceError::NotFound(match answer {
                TeamMemberState::Left => format!("a membership of team {team_id}"),
                _ => format!("an invitation to team {team_id}"),
            }));
        }
        let team = tx
            .team(team_id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("team {team_id}")))?;
        tx.set_team_member_state(team_id, &self.holder.account_id, answer, now)
            .await?;
        audit(
            &tx,
            now,
            &self.holder.label,
            &format!("team.{answer}"),
            Some(&team.org_id),
            &format!("team:{team_id}"),
            json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

impl CallerDesk<'_> {
    /// A team's page: its members and combined coverage. Only the team's (accepted)
    /// members, the organisation's administrators and the operator may see it; for anyone
    /// else the team does not exist (404), so its members' names never leave it.
    #[tracing::instrument(level = "info", skip_all, fields(org = %slug, team = %team_id))]
    pub async fn team(
        &self,
        slug: &OrgSlug,
        team_id: &TeamId,
    ) -> Result<TeamCoverage, ServiceError> {
        let (org, team) = self.team_of(slug, team_id).await?;
        let can_manage = self.actor.org_admin(&org).is_ok();
        let loaded = self.team_framework().await?;
        let tx = self.store.read().await?;
        let everyone = tx.team_members(&team.id).await?;
        let is_member = self.actor.account_id().is_some_and(|me| {
            everyone
                .iter()
                .any(|(m, _)| &m.account_id == me && m.state == TeamMemberState::Member)
        });
        if !can_manage && !is_member {
            return Err(ServiceError::NotFound(format!("team {team_id}")));
        }
        let (members, not_counted): (Vec<_>, Vec<_>) = everyone
            .iter()
            .partition(|(m, _)| m.state == TeamMemberState::Member);
        let ids: Vec<AccountId> = members.iter().map(|(m, _)| m.account_id.clone()).collect();
        let mut attained: HashMap<AccountId, Vec<Attainment>> = HashMap::new();
        for (holder, statement, level) in tx.attested_levels_of(&ids, loaded.id).await? {
            attained
                .entry(holder)
                .or_default()
                .push(Attainment { statement, level });
        }
        drop(tx);
        let framework = &loaded.framework;
        let people: Vec<&[Attainment]> = ids
            .iter()
            .map(|id| attained.get(id).map_or(&[][..], Vec::as_slice))
            .collect();
        let names: Vec<&str> = members
            .iter()
            .map(|(_, a)| a.display_name.as_str())
            .collect();
        let coverages = team_pathways(framework, &members, team.product_pathway.as_deref())
            .iter()
            .map(|p| pathway_coverage(framework, p, &people))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| ServiceError::internal(format!("team coverage: {e}")))?;
        let mut gap_statements: Vec<&str> = coverages
            .iter()
            .flat_map(|c| c.gaps().map(|g| g.statement.as_str()))
            .collect();
        gap_statements.sort_unstable();
        gap_statements.dedup();
        let mut closers = gap_closers(framework, &coverages)
            .into_iter()
            .map(|c| GapCloserView {
                name: framework
                    .pathway(&c.pathway)
                    .map_or_else(|| c.pathway.to_string(), |p| p.name.clone()),
                pathway: c.pathway.to_string(),
                closes: c.closes.len(),
                statements: c.closes.iter().map(ToString::to_string).collect(),
            });
        let best = closers.next();
        Ok(TeamCoverage {
            team: team_view(&team, &org),
            framework: loaded.slug.clone(),
            framework_version: loaded.version.clone(),
            quote: COLLECTIVE_QUOTE,
            quote_line: COLLECTIVE_QUOTE_LINE,
            members: members
                .iter()
                .map(|(m, a)| member_view(framework, m, a))
                .collect(),
            not_counted: not_counted
                .iter()
                .map(|(m, a)| member_view(framework, m, a))
                .collect(),
            pathways: coverages
                .iter()
                .map(|c| coverage_view(framework, c, &names))
                .collect(),
            gap_count: gap_statements.len(),
            best,
            others: closers.take(4).collect(),
            can_manage,
        })
    }
}

/// The pathways a team covers: the advanced pathway of every archetype its members play
/// (in the framework's order of archetypes), then its product-specific pathway.
fn team_pathways(
    framework: &Framework,
    members: &[&(TeamMemberRow, AccountRow)],
    product: Option<&str>,
) -> Vec<PathwayCode> {
    let played: Vec<String> = members
        .iter()
        .flat_map(|(m, _)| archetype_codes(&m.archetypes))
        .collect();
    let mut out: Vec<PathwayCode> = Vec::new();
    for archetype in &framework.document().archetypes {
        if !played.iter().any(|p| p == archetype.code.as_str()) {
            continue;
        }
        if let Some(p) = framework.document().pathways.iter().find(|p| {
            p.kind == PathwayKind::Advanced && p.archetype.as_ref() == Some(&archetype.code)
        }) {
            out.push(p.code.clone());
        }
    }
    if let Some(code) = product.and_then(|p| PathwayCode::new(p).ok()) {
        if framework.pathway(&code).is_some() {
            out.push(code);
        }
    }
    out
}

fn coverage_view(
    framework: &Framework,
    c: &PathwayCoverage,
    names: &[&str],
) -> PathwayCoverageView {
    let pathway = framework.pathway(&c.pathway);
    let level_name = |l: &credence_domain::LevelCode| {
        framework
            .level(l)
            .map_or_else(|| l.to_string(), |l| l.name.clone())
    };
    PathwayCoverageView {
        pathway: c.pathway.to_string(),
        name: pathway.map_or_else(|| c.pathway.to_string(), |p| p.name.clone()),
        kind: pathway.map_or("", |p| p.kind.label()).to_owned(),
        required: c.requirements.len(),
        covered: c.covered(),
        gaps: c.gaps().count(),
        requirements: c
            .requirements
            .iter()
            .map(|r| RequirementRow {
                statement: r.statement.to_string(),
                text: framework
                    .statement(&r.statement)
                    .map_or_else(String::new, |s| s.text.clone()),
                layer: r.layer.clone(),
                factor: r.factor.clone(),
                level: r.required.to_string(),
                level_name: level_name(&r.required),
                covered_by: r
                    .covered_by
                    .iter()
                    .map(|(i, level)| CoveredBy {
                        display_name: names.get(*i).map_or_else(String::new, |n| (*n).to_owned()),
                        level: level_name(level),
                    })
                    .collect(),
            })
            .collect(),
    }
}
