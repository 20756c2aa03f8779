//! A product version's dossier: its answers to the report's question sets beside the
//! product-specific pathway, and the coverage of its sites' staff (aggregate counts, with
//! small-number suppression for viewers who do not administer the site); and the refresher
//! rule: when a new version is registered, holders of an earlier version's credential need a
//! refresher until the new version's product-specific pathway is met by evidence attested
//! for that version (or an award for it is held).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use credence_domain::{
    AccountId, AchievementId, AwardId, Framework, OrgId, PathwayCode, PathwayKind, PlainCode,
    ProductId, ProductVersionId,
};
use credence_store::registry::{EvidenceRow, ProductRow, ProductVersionRow};
use credence_store::Tx;
use serde::Serialize;

use super::{answer_view, involved, AnswerView, ProductView, DEPLOYMENT_SET, PROCUREMENT_SET};
use crate::awards::DEFAULT_FRAMEWORK;
use crate::desks::{CallerDesk, HolderDesk};
use crate::evidence::{attainments, framework_by_slug, LoadedFramework};
use crate::ServiceError;

/// The refresher rule and its source, as the dossier and the holder's pages state it.
pub const REFRESHER_RULE: &str = "When a new version of a product is registered, a holder of an earlier version's product-specific credential needs a refresher until evidence for the new version is attested. The report: training should be \"continually updating ... as products iterate and change\" (line 979), and a User \"continues to attend refresher sessions as the product is updated\" (line 1203).";

/// A count as a viewer may see it: exact, or suppressed.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct CountView {
    /// The count, when it may be shown.
    pub count: Option<u64>,
    /// The count in words: "7", or "fewer than 5".
    pub text: String,
}

impl CountView {
    fn exact(n: u64) -> Self {
        Self {
            count: Some(n),
            text: n.to_string(),
        }
    }

    /// `n` for an administrator of the site; otherwise suppressed when under `k` (the
    /// setting `workforce.suppress_below`, as for the workforce view), and also when
    /// `total - n` is (so that subtracting it from a shown total cannot reveal a small count).
    fn of(n: u64, total: u64, exact: bool, k: u64) -> Self {
        let rest = total.saturating_sub(n);
        if exact {
            Self::exact(n)
        } else if n < k {
            Self {
                count: None,
                text: format!("fewer than {k}"),
            }
        } else if rest > 0 && rest < k {
            Self {
                count: None,
                text: format!("{k} or more (not shown: it would reveal a small difference)"),
            }
        } else {
            Self::exact(n)
        }
    }
}

/// The coverage of one site's staff for the dossier's product version.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct SiteCoverageView {
    pub site: String,
    pub org: Option<String>,
    /// Whether the viewer administers the site, and so sees exact counts.
    pub exact: bool,
    /// The site's people: its members and the holders whose evidence it assessed.
    pub people: CountView,
    /// Of them, those who hold the product-specific award for this version or whose
    /// attested evidence for this version meets the pathway.
    pub covered: CountView,
    /// Of them, those who hold an earlier version's credential and are not covered for
    /// this version (only for the current version).
    pub refresher_needed: CountView,
}

/// One question with the answers given for it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct QuestionAnswersView {
    pub code: String,
    pub layer: String,
    pub factor: Option<String>,
    pub text: String,
    pub source_line: u32,
    pub answers: Vec<AnswerView>,
}

/// A question set with its answers for the dossier's version.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct QuestionSetView {
    pub code: String,
    pub name: String,
    pub table: String,
    /// Who answers it: "buying organisations" or "deploying sites".
    pub answered_by: String,
    pub answered: usize,
    pub questions: Vec<QuestionAnswersView>,
}

/// One statement of the product-specific pathway.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct PathwayStatementView {
    pub code: String,
    pub layer: String,
    pub factor: Option<String>,
    pub level: Option<String>,
    pub text: String,
}

/// A product version's dossier.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct DossierView {
    pub product: ProductView,
    /// The version shown (the current one unless another was asked for); none when the
    /// product has no version yet.
    pub version: Option<super::VersionView>,
    pub question_sets: Vec<QuestionSetView>,
    pub pathway: String,
    pub pathway_name: String,
    pub pathway_statements: Vec<PathwayStatementView>,
    pub coverage: Vec<SiteCoverageView>,
    pub refresher_rule: String,
}

/// A holder's product credential that an earlier version's: a refresher is needed.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct RefresherNotice {
    #[schema(value_type = String)]
    pub product_id: ProductId,
    pub product: String,
    /// The version the holder's credential is for.
    pub held_version: String,
    /// The product's current version.
    pub current_version: String,
    pub achievement: String,
    pub rule: String,
    /// The holder's credentials of the product's earlier versions (those the refresher
    /// is for).
    #[schema(value_type = Vec<String>)]
    pub awards: Vec<AwardId>,
}

/// The framework that product-specific pathways are read from: the bundled framework's
/// latest stored version.
pub(crate) async fn product_framework(tx: &Tx) -> Result<LoadedFramework, ServiceError> {
    framework_by_slug(tx, DEFAULT_FRAMEWORK, None)
        .await?
        .ok_or_else(|| ServiceError::internal("the bundled framework is not stored"))
}

/// The framework's product-specific pathway (the first of kind product-template).
pub(crate) fn product_pathway(framework: &Framework) -> Result<PathwayCode, ServiceError> {
    framework
        .document()
        .pathways
        .iter()
        .find(|p| p.kind == PathwayKind::ProductTemplate)
        .map(|p| p.code.clone())
        .ok_or_else(|| ServiceError::internal("the framework has no product-specific pathway"))
}

/// Who is covered for which version of one product.
struct Coverage {
    /// Holders covered, by version.
    covered: HashMap<ProductVersionId, HashSet<AccountId>>,
    /// Holders of an active award, by version.
    awarded: HashMap<ProductVersionId, HashSet<AccountId>>,
    /// Achievement names by version.
    achievements: HashMap<AchievementId, (ProductVersionId, String)>,
}

impl Coverage {
    fn is_covered(&self, holder: &AccountId, version: &ProductVersionId) -> bool {
        self.covered
            .get(version)
            .is_some_and(|s| s.contains(holder))
    }

    /// Whether `holder` holds an award of a version registered before `version`.
    fn holds_earlier(
        &self,
        holder: &AccountId,
        versions: &[ProductVersionRow],
        version: &ProductVersionId,
    ) -> bool {
        versions
            .iter()
            .take_while(|v| &v.id != version)
            .any(|v| self.awarded.get(&v.id).is_some_and(|s| s.contains(holder)))
    }
}

/// Reads who holds what for `versions` of one product.
async fn coverage(
    tx: &Tx,
    framework: &Framework,
    versions: &[ProductVersionRow],
) -> Result<Coverage, ServiceError> {
    let ids: Vec<ProductVersionId> = versions.iter().map(|v| v.id.clone()).collect();
    let pathway = product_pathway(framework)?;
    let achievements: HashMap<AchievementId, (ProductVersionId, String)> = tx
        .achievements_of_versions(&ids)
        .await?
        .into_iter()
        .filter_map(|a| Some((a.id.clone(), (a.product_version_id?, a.name))))
        .collect();
    let achievement_ids: Vec<AchievementId> = achievements.keys().cloned().collect();
    let mut awarded: HashMap<ProductVersionId, HashSet<AccountId>> = HashMap::new();
    for award in tx.active_awards_of_achievements(&achievement_ids).await? {
        if let Some((version, _)) = achievements.get(&award.achievement_id) {
            awarded
                .entry(version.clone())
                .or_default()
                .insert(award.holder_id);
        }
    }
    let mut evidence: HashMap<(ProductVersionId, AccountId), Vec<EvidenceRow>> = HashMap::new();
    for row in tx.attested_evidence_on_versions(&ids).await? {
        if let Some(v) = row.product_version_id.clone() {
            evidence
                .entry((v, row.holder_id.clone()))
                .or_default()
                .push(row);
        }
    }
    let mut covered = awarded.clone();
    for ((version, holder), rows) in evidence {
        // The product pathway's own requirements (its prerequisite is the award's concern).
        let done = credence_domain::progress(framework, &pathway, &attainments(&rows))
            .map(|p| p.met() == p.required())
            .unwrap_or(false);
        if done {
            covered.entry(version).or_default().insert(holder);
        }
    }
    Ok(Coverage {
        covered,
        awarded,
        achievements,
    })
}

fn statement_views(framework: &Framework, pathway: &PathwayCode) -> Vec<PathwayStatementView> {
    framework
        .pathway_statements(pathway)
        .map(|s| PathwayStatementView {
            code: s.code.to_string(),
            layer: s.layer.clone(),
            factor: s.factor.clone(),
            level: s.level.as_ref().map(|l| {
                framework
                    .level(l)
                    .map_or_else(|| l.to_string(), |l| l.name.clone())
            }),
            text: s.text.clone(),
        })
        .collect()
}

impl CallerDesk<'_> {
    /// Whether the caller may read a private product's dossier: a member (any role) of the
    /// registering organisation or of one of its registry sites, or the operator.
    async fn may_read(&self, tx: &Tx, product: &ProductRow) -> Result<bool, ServiceError> {
        if product.public || self.actor.is_operator() {
            return Ok(true);
        }
        for grant in self.actor.grants() {
            if involved(tx, product, &grant.org_id).await? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The organisations whose exact counts the caller sees: those it administers.
    fn administered(&self) -> HashSet<OrgId> {
        self.actor
            .grants()
            .iter()
            .filter(|g| g.role == credence_domain::registry::Role::Admin)
            .map(|g| g.org_id.clone())
            .collect()
    }

    /// A product version's dossier (`version` none: the current one). A private product's
    /// is not found for anyone but the members of its organisation and of its sites.
    #[tracing::instrument(level = "info", skip_all, fields(id = %id))]
    pub async fn product_dossier(
        &self,
        id: &ProductId,
        version: Option<&ProductVersionId>,
    ) -> Result<DossierView, ServiceError> {
        let tx = self.store.read().await?;
        let row = self.product_row(&tx, id).await?;
        if !self.may_read(&tx, &row).await? {
            return Err(ServiceError::NotFound(format!("product '{id}'")));
        }
        let product = self.product_view(&tx, &row).await?;
        let versions = tx.versions_of_product(id).await?;
        let chosen = match version {
            Some(v) => Some(
                versions
                    .iter()
                    .find(|r| &r.id == v)
                    .ok_or_else(|| ServiceError::NotFound(format!("product version '{v}'")))?,
            ),
            None => versions.last(),
        };
        let loaded = product_framework(&tx).await?;
        let framework: Arc<Framework> = loaded.framework.clone();
        let pathway = product_pathway(&framework)?;
        let pathway_name = framework
            .pathway(&pathway)
            .map(|p| p.name.clone())
            .unwrap_or_default();
        let (question_sets, coverage_view) = match chosen {
            Some(v) => (
                self.question_sets(&tx, &framework, v).await?,
                self.site_coverage(&tx, &framework, &row, &versions, v)
                    .await?,
            ),
            None => (Vec::new(), Vec::new()),
        };
        let current = versions.last().map(|v| v.id.clone());
        Ok(DossierView {
            version: chosen.map(|v| super::version_view(v, current.as_ref() == Some(&v.id))),
            product,
            question_sets,
            pathway: pathway.to_string(),
            pathway_name,
            pathway_statements: statement_views(&framework, &pathway),
            coverage: coverage_view,
            refresher_rule: REFRESHER_RULE.to_owned(),
        })
    }

    async fn question_sets(
        &self,
        tx: &Tx,
        framework: &Framework,
        version: &ProductVersionRow,
    ) -> Result<Vec<QuestionSetView>, ServiceError> {
        let answers = tx.answers_of_version(&version.id).await?;
        let mut orgs = HashMap::new();
        for a in &answers {
            if !orgs.contains_key(&a.org_id) {
                if let Some(o) = tx.org(&a.org_id).await? {
                    orgs.insert(a.org_id.clone(), o);
                }
            }
        }
        let mut out = Vec::new();
        for (code, who) in [
            (PROCUREMENT_SET, "buying organisations"),
            (DEPLOYMENT_SET, "deploying sites"),
        ] {
            let code = PlainCode::new(code).map_err(ServiceError::wrap("a question set code"))?;
            let Some(set) = framework.question_set(&code) else {
                continue;
            };
            let mut questions = Vec::new();
            let mut answered = 0;
            for q in framework.questions_in(&code) {
                // The latest answer of each organisation, with how many it replaced.
                let mut latest: Vec<AnswerView> = Vec::new();
                for a in answers.iter().filter(|a| a.question_code == q.code) {
                    let Some(org) = orgs.get(&a.org_id) else {
                        continue;
                    };
                    match latest.iter().position(|v| v.org == org.slug) {
                        Some(i) => {
                            let earlier = latest[i].earlier + 1;
                            latest[i] = answer_view(a, org, earlier);
                        }
                        None => latest.push(answer_view(a, org, 0)),
                    }
                }
                if !latest.is_empty() {
                    answered += 1;
                }
                questions.push(QuestionAnswersView {
                    code: q.code.to_string(),
                    layer: q.layer.clone(),
                    factor: q.factor.clone(),
                    text: q.text.clone(),
                    source_line: q.source_line,
                    answers: latest,
                });
            }
            out.push(QuestionSetView {
                code: set.code.to_string(),
                name: set.name.clone(),
                table: set.table.clone(),
                answered_by: who.to_owned(),
                answered,
                questions,
            });
        }
        Ok(out)
    }

    async fn site_coverage(
        &self,
        tx: &Tx,
        framework: &Framework,
        product: &ProductRow,
        versions: &[ProductVersionRow],
        version: &ProductVersionRow,
    ) -> Result<Vec<SiteCoverageView>, ServiceError> {
        let cover = coverage(tx, framework, versions).await?;
        let is_current = versions.last().map(|v| &v.id) == Some(&version.id);
        let administered = self.administered();
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        for site in tx.sites_of_product(&product.id).await? {
            let Some(org_id) = site.org_id.clone() else {
                continue;
            };
            if !site.deploys || !seen.insert(org_id.clone()) {
                continue;
            }
            let Some(org) = tx.org(&org_id).await? else {
                continue;
            };
            let people = tx.people_of_org(&org_id).await?;
            let total = people.len() as u64;
            let covered = people
                .iter()
                .filter(|p| cover.is_covered(p, &version.id))
                .count() as u64;
            let refresher = if is_current {
                people
                    .iter()
                    .filter(|p| {
                        cover.holds_earlier(p, versions, &version.id)
                            && !cover.is_covered(p, &version.id)
                    })
                    .count() as u64
            } else {
                0
            };
            let exact = self.actor.is_operator() || administered.contains(&org_id);
            let k = self.config.workforce_suppress_below;
            out.push(SiteCoverageView {
                site: org.name.clone(),
                org: Some(org.slug.clone()),
                exact,
                people: CountView::of(total, total, exact, k),
                covered: CountView::of(covered, total, exact, k),
                refresher_needed: CountView::of(refresher, total, exact, k),
            });
        }
        Ok(out)
    }
}

impl HolderDesk<'_> {
    /// The holder's product credentials that need a refresher: an active award of an
    /// achievement bound to a product version that is no longer the product's current one,
    /// while the holder is not covered for the current version.
    #[tracing::instrument(level = "info", skip_all, fields(account = %self.holder.account_id))]
    pub async fn refreshers_needed(&self) -> Result<Vec<RefresherNotice>, ServiceError> {
        let holder = &self.holder.account_id;
        let tx = self.store.read().await?;
        let mut products: Vec<ProductId> = Vec::new();
        let mut held_awards: Vec<(AwardId, ProductVersionId)> = Vec::new();
        for award in tx.award_facts_of_holder(holder).await? {
            if award.status != credence_domain::registry::AwardStatus::Active {
                continue;
            }
            let Some(achievement) = &award.achievement_id else {
                continue;
            };
            let Some(row) = tx.achievement(achievement).await? else {
                continue;
            };
            let Some(version) = &row.product_version_id else {
                continue;
            };
            if let Some(v) = tx.product_version(version).await? {
                held_awards.push((award.id.clone(), v.id.clone()));
                if !products.contains(&v.product_id) {
                    products.push(v.product_id);
                }
            }
        }
        if products.is_empty() {
            return Ok(Vec::new());
        }
        let loaded = product_framework(&tx).await?;
        let mut out = Vec::new();
        for product_id in products {
            let Some(product) = tx.product(&product_id).await? else {
                continue;
            };
            let versions = tx.versions_of_product(&product_id).await?;
            let Some(current) = versions.last() else {
                continue;
            };
            let cover = coverage(&tx, &loaded.framework, &versions).await?;
            if cover.is_covered(holder, &current.id)
                || !cover.holds_earlier(holder, &versions, &current.id)
            {
                continue;
            }
            let held = versions
                .iter()
                .rev()
                .find(|v| cover.awarded.get(&v.id).is_some_and(|s| s.contains(holder)))
                .map(|v| v.version.clone())
                .unwrap_or_default();
            let achievement = cover
                .achievements
                .values()
                .find(|(v, _)| versions.iter().any(|r| &r.id == v && r.version == held))
                .map(|(_, name)| name.clone())
                .unwrap_or_default();
            out.push(RefresherNotice {
                product_id: product.id.clone(),
                product: product.name.clone(),
                held_version: held,
                current_version: current.version.clone(),
                achievement,
                rule: REFRESHER_RULE.to_owned(),
                awards: held_awards
                    .iter()
                    .filter(|(_, v)| v != &current.id && versions.iter().any(|r| &r.id == v))
                    .map(|(a, _)| a.clone())
                    .collect(),
            });
        }
        Ok(out)
    }
}

/// A product version to choose on the evidence form: its id and "{product} {version}".
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct VersionChoice {
    pub id: ProductVersionId,
    pub label: String,
}

impl CallerDesk<'_> {
    /// Every product version the caller may read, for the evidence form's product
    /// version field, by product name and then in the order registered.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn product_version_choices(&self) -> Result<Vec<VersionChoice>, ServiceError> {
        let tx = self.store.read().await?;
        let mut out = Vec::new();
        for row in tx.all_products().await? {
            if !self.may_read(&tx, &row).await? {
                continue;
            }
            for v in tx.versions_of_product(&row.id).await? {
                out.push(VersionChoice {
                    id: v.id,
                    label: format!("{} {}", row.name, v.version),
                });
            }
        }
        Ok(out)
    }

    /// The products an organisation registered that the caller may read (public ones, and
    /// all of them for the members of the organisation and of its sites).
    #[tracing::instrument(level = "info", skip_all, fields(slug = %slug))]
    pub async fn products_of(
        &self,
        slug: &credence_domain::OrgSlug,
    ) -> Result<Vec<ProductView>, ServiceError> {
        let org = self.org(slug).await?;
        let tx = self.store.read().await?;
        let mut out = Vec::new();
        for row in tx.products_of_org(&org.id).await? {
            if self.may_read(&tx, &row).await? {
                out.push(self.product_view(&tx, &row).await?);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::CountView;

    #[test]
    fn small_counts_and_small_differences_are_suppressed_for_non_admins() {
        // Under 5: suppressed, for anyone but the site's admins.
        assert_eq!(CountView::of(3, 40, false, 5).count, None);
        assert_eq!(CountView::of(3, 40, false, 5).text, "fewer than 5");
        assert_eq!(CountView::of(0, 40, false, 5).count, None);
        assert_eq!(CountView::of(3, 40, true, 5).count, Some(3));
        // 37 of 40 would reveal that 3 are not covered, by subtraction.
        assert_eq!(CountView::of(37, 40, false, 5).count, None);
        assert!(CountView::of(37, 40, false, 5)
            .text
            .starts_with("5 or more"));
        // All, or far from all: shown.
        assert_eq!(CountView::of(40, 40, false, 5).count, Some(40));
        assert_eq!(CountView::of(20, 40, false, 5).count, Some(20));
    }
}
