//! A holder's dashboard: their pathways' progress, the archetypes they follow, and the
//! work waiting for them in the organisations where they hold a role.

use super::*;

/// An archetype a holder may follow.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ArchetypeChoice {
    pub code: String,
    pub name: String,
    pub summary: String,
    pub chosen: bool,
}

/// A holder's dashboard: their pathways' progress (foundational first, then the
/// archetypes they follow, then product-specific pathways) and their archetype choices.
#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub account: AccountView,
    pub pathways: Vec<PathwayPicture>,
    pub archetypes: Vec<ArchetypeChoice>,
    pub evidence_by_status: Vec<(String, usize)>,
    pub credentials: usize,
    /// What waits for the account in the organisations where it holds a role, first on the
    /// page: assessors see the evidence waiting, issuers and admins their console.
    pub waiting: Vec<Waiting>,
    /// Credentials that expire soon or expired lately, unrenewed, with what renewal needs.
    pub expiring: Vec<crate::expiry::ExpiringCredential>,
}

/// Work waiting for the account in one organisation.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Waiting {
    /// What waits, in a sentence: "3 pieces of evidence wait for an assessor".
    pub text: String,
    /// Where to do it.
    pub link: String,
    /// The link's words.
    pub action: String,
}

impl HolderDesk<'_> {
    /// Chooses the workforce archetypes the holder follows (codes of the dashboard
    /// framework's archetypes).
    #[tracing::instrument(level = "info", skip_all, fields(account = %self.holder.account_id))]
    pub async fn set_archetypes(&self, codes: &[String]) -> Result<AccountView, ServiceError> {
        let holder = &self.holder;
        let framework = self.dashboard_framework().await?;
        let mut chosen = BTreeSet::new();
        let mut problems = FormProblems::new();
        for (i, code) in codes.iter().enumerate() {
            let known = ArchetypeCode::new(code.trim())
                .ok()
                .filter(|c| framework.archetype(c).is_some());
            match known {
                Some(c) => {
                    chosen.insert(c.as_str().to_owned());
                }
                // One message says it for every unknown code.
                None if problems.is_empty() => problems.add(
                    &format!("/archetypes/{i}"),
                    "Choose your roles from the list of archetypes shown.",
                ),
                None => {}
            }
        }
        problems.finish().map_err(ServiceError::Invalid)?;
        let tx = self.store.write().await?;
        let mut row = own_account(&tx, holder).await?;
        row.archetypes = chosen.into_iter().collect::<Vec<_>>().join(",");
        tx.update_account(row.clone()).await?;
        let roles = crate::accounts::roles_of(&tx, &row.id).await?;
        tx.commit().await?;
        Ok(account_view(&row, roles))
    }

    /// The holder's dashboard.
    #[tracing::instrument(level = "info", skip_all, fields(account = %self.holder.account_id))]
    pub async fn dashboard(&self) -> Result<Dashboard, ServiceError> {
        let holder = &self.holder;
        let tx = self.store.read().await?;
        let account = own_account(&tx, holder).await?;
        let roles = crate::accounts::roles_of(&tx, &account.id).await?;
        let evidence = tx
            .evidence_of_holder(&account.id, Page::new(0, Page::MAX_LIMIT))
            .await?;
        let awards = tx.award_facts_of_holder(&account.id).await?;
        let framework = framework_by_slug(&tx, DASHBOARD_FRAMEWORK, None).await?;
        let mut pathways = Vec::new();
        let mut archetypes = Vec::new();
        if let Some(loaded) = framework {
            let attested = tx
                .attested_evidence_of(&account.id, loaded.id)
                .await?
                .into_iter()
                .collect::<Vec<_>>();
            let chosen: Vec<&str> = account.archetypes.split(',').collect();
            let started: BTreeSet<&str> = evidence
                .iter()
                .filter(|e| e.framework_id == loaded.id)
                .map(|e| e.statement_code.as_str())
                .collect();
            pathways = pictures(&loaded, &chosen, &started, &attested);
            archetypes = loaded
                .framework
                .document()
                .archetypes
                .iter()
                .map(|a| ArchetypeChoice {
                    code: a.code.as_str().to_owned(),
                    name: a.name.clone(),
                    summary: a.summary.clone(),
                    chosen: chosen.contains(&a.code.as_str()),
                })
                .collect();
        }
        let mut waiting = Vec::new();
        for role in &roles {
            let Some(org) = tx.org_by_slug(&role.org).await? else {
                continue;
            };
            match role.role {
                credence_domain::registry::Role::Assessor => {
                    let n = tx.count_evidence_queue(&org.id).await?;
                    waiting.push(Waiting {
                        text: match n {
                            0 => format!("No evidence waits for an assessor at {}.", org.name),
                            1 => format!(
                                "1 piece of evidence waits for an assessor at {}.",
                                org.name
                            ),
                            n => format!(
                                "{n} pieces of evidence wait for an assessor at {}.",
                                org.name
                            ),
                        },
                        link: "/assess".into(),
                        action: "Assess evidence".into(),
                    });
                }
                credence_domain::registry::Role::Issuer
                | credence_domain::registry::Role::Admin => {
                    let link = format!("/console/{}", org.slug);
                    if waiting.iter().any(|w: &Waiting| w.link == link) {
                        continue;
                    }
                    waiting.push(Waiting {
                        text: format!(
                            "You {} for {}: awards, achievements and what waits for a decision are in its console.",
                            if role.role == credence_domain::registry::Role::Issuer { "issue credentials" } else { "administer the organisation" },
                            org.name
                        ),
                        link,
                        action: format!("Open the console of {}", org.name),
                    });
                }
            }
        }
        let mut by_status: Vec<(String, usize)> = Vec::new();
        for status in EvidenceStatus::ALL {
            let n = evidence.iter().filter(|e| e.status == *status).count();
            by_status.push((status.to_string(), n));
        }
        let expiring = self.expiring_of_holder(&tx, &awards, self.now()).await?;
        Ok(Dashboard {
            expiring,
            account: account_view(&account, roles),
            pathways,
            archetypes,
            evidence_by_status: by_status,
            credentials: awards.len(),
            waiting,
        })
    }
}

impl Registry {
    async fn dashboard_framework(&self) -> Result<Arc<Framework>, ServiceError> {
        let tx = self.store.read().await?;
        framework_by_slug(&tx, DASHBOARD_FRAMEWORK, None)
            .await?
            .map(|f| f.framework)
            .ok_or_else(|| ServiceError::NotFound(format!("framework '{DASHBOARD_FRAMEWORK}'")))
    }
}
