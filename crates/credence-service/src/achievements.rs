//! Achievements: an issuer publishes one for a pathway of a framework (its OB 3.0
//! `Achievement` document and badge image), and anyone reads them.

use credence_domain::FormProblems;
use credence_domain::{AchievementId, FrameworkSlug, OrgSlug, PathwayCode};
use credence_store::registry::{AchievementRow, OrgRow};
use credence_store::Tx;
use serde::Serialize;
use serde_json::{json, Value};

use crate::actor::Issuer;
use crate::award_record::record_id;
use crate::awards::AwardContext;
use crate::desks::{IssuerDesk, PublicDesk};
use crate::orgs::optional_text;
use crate::registry::{audit, Registry};
use crate::ServiceError;
use credence_documents::{
    achievement_document, badge_data_url, badge_svg, AchievementInput, BadgeSpec, IssuerProfile,
    Product,
};

/// The framework used when an achievement names none.
pub const DEFAULT_FRAMEWORK: &str = "nhs-ai-confidence-2022";

/// A new achievement's details.
#[derive(Debug, Clone, Default)]
pub struct NewAchievement {
    pub pathway: String,
    /// A framework slug; the latest stored version is used.
    pub framework: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub validity_days: Option<i64>,
    pub product: Option<Product>,
    /// Whether its awards can be suspended. They then carry a suspension entry beside the
    /// revocation entry, which the Open Badges 3.0 schema does not allow (it wants one
    /// `credentialStatus` object): strict OB 3.0 validators refuse such credentials. Off by
    /// default.
    pub suspendable: bool,
    /// Whether its awards are public at once (anyone with the link sees them, also while
    /// one waits for a claim), rather than private until their holder publishes them.
    pub awards_public: bool,
    /// The id of the AI product version a product-specific achievement is for (its name
    /// and version then come from the registry, not from `product`): its awards need
    /// evidence gained on that version.
    pub product_version: Option<String>,
}

/// An achievement as anyone may see it.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct AchievementView {
    /// The uuid, as used in paths.
    #[schema(value_type = String)]
    pub uuid: AchievementId,
    /// The achievement's URL (its OB 3.0 id).
    pub id: String,
    pub org: String,
    pub framework_id: i64,
    pub pathway: String,
    pub name: String,
    pub description: String,
    pub validity_days: Option<i64>,
    /// Whether its awards can be suspended (and so carry two status entries).
    pub suspendable: bool,
    /// Whether its awards are public at once.
    pub awards_public: bool,
    /// The AI product version it is bound to.
    #[schema(value_type = Option<String>)]
    pub product_version: Option<credence_domain::ProductVersionId>,
    pub created_at: String,
}

fn achievement_view(registry: &Registry, org: &OrgRow, row: &AchievementRow) -> AchievementView {
    AchievementView {
        uuid: row.id.clone(),
        id: registry.url(&format!("/achievements/{}", row.id)),
        org: org.slug.clone(),
        framework_id: row.framework_id,
        pathway: row.pathway.clone(),
        name: row.name.clone(),
        description: row.description.clone(),
        validity_days: row.validity_days,
        suspendable: row.suspendable,
        awards_public: row.awards_public,
        product_version: row.product_version_id.clone(),
        created_at: row.created_at.to_rfc3339(),
    }
}

/// The organisation as the issuer of its documents.
pub(crate) fn issuer_profile(registry: &Registry, org: &OrgRow) -> IssuerProfile {
    IssuerProfile {
        did: org.did.clone(),
        name: org.name.clone(),
        url: org
            .url
            .clone()
            .unwrap_or_else(|| registry.url(&format!("/orgs/{}", org.slug))),
    }
}

impl IssuerDesk<'_> {
    /// Publishes an achievement for a pathway of a framework's latest version.
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.issuer.0.org.slug))]
    pub async fn create_achievement(
        &self,
        new: NewAchievement,
    ) -> Result<AchievementView, ServiceError> {
        let issuer = &self.issuer;
        self.check_achievement(&new, &mut FormProblems::new())
            .await?;
        let org = &issuer.0.org;
        let slug = new.framework.as_deref().unwrap_or(DEFAULT_FRAMEWORK);
        let slug = FrameworkSlug::new(slug.trim())
            .map_err(|e| ServiceError::invalid("/framework", e.to_string()))?;
        let stored = self
            .store
            .find_framework(slug.as_str(), None)
            .await?
            .ok_or_else(|| ServiceError::invalid("/framework", "No such framework is stored."))?;
        let pathway_code = PathwayCode::new(new.pathway.trim())
            .map_err(|e| ServiceError::invalid("/pathway", e.to_string()))?;
        let name = optional_text(new.name, "/name", 200)?;
        let description = optional_text(new.description, "/description", 4000)?;
        let now = self.now();
        let tx = self.store.write().await?;
        let framework = self.framework_by_id(&tx, stored.summary.id).await?;
        let pathway = framework
            .pathway(&pathway_code)
            .ok_or_else(|| ServiceError::invalid("/pathway", "Choose a pathway from the list."))?;
        let (product, product_version_id) = match new
            .product_version
            .as_deref()
            .filter(|t| !t.trim().is_empty())
        {
            Some(text) => {
                let (product, id) =
                    crate::products::version_for_achievement(&tx, org, text, pathway).await?;
                (Some(product), Some(id))
            }
            None => (new.product.clone(), None),
        };
        let uuid = AchievementId::random();
        let achievement_id = self.url(&format!("/achievements/{uuid}"));
        let mut spec = BadgeSpec::for_pathway(pathway);
        if let Some(n) = &name {
            spec.name = n.clone();
        }
        spec.caption = product.as_ref().map(Product::label);
        spec.issuer = Some(org.name.clone());
        let image = badge_data_url(&badge_svg(&spec));
        let profile = issuer_profile(self, org);
        let validity = new
            .validity_days
            .map(|d| u32::try_from(d).unwrap_or(u32::MAX));
        let document = achievement_document(&AchievementInput {
            framework: &framework,
            pathway,
            achievement_id: &achievement_id,
            issuer: &profile,
            base_url: &self.config.base_url,
            name: name.as_deref(),
            description: description.as_deref(),
            image: &image,
            validity_days: validity,
            product: product.as_ref(),
        });
        let row = AchievementRow {
            id: uuid,
            org_id: org.id.clone(),
            framework_id: stored.summary.id,
            pathway: pathway_code.to_string(),
            name: document
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or(&pathway.name)
                .to_owned(),
            description: document
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            validity_days: new.validity_days,
            document: document.to_string(),
            created_at: now,
            suspendable: new.suspendable,
            awards_public: new.awards_public,
            product_version_id,
        };
        tx.insert_achievement(row.clone()).await?;
        audit(
            &tx,
            now,
            &issuer.0.label,
            "achievement.create",
            Some(&org.id),
            &format!("achievement:{}", row.id),
            json!({"pathway": row.pathway, "framework": slug.as_str(), "version": stored.summary.version, "suspendable": row.suspendable, "awards_public": row.awards_public}),
        )
        .await?;
        tx.commit().await?;
        Ok(achievement_view(self, org, &row))
    }
}

impl PublicDesk<'_> {
    /// An organisation's achievements (public).
    #[tracing::instrument(level = "info", skip_all, fields(slug = %slug))]
    pub async fn achievements(&self, slug: &OrgSlug) -> Result<Vec<AchievementView>, ServiceError> {
        let org = self.org(slug).await?;
        let tx = self.store.read().await?;
        Ok(tx
            .achievements_of_org(&org.id)
            .await?
            .iter()
            .map(|a| achievement_view(self, &org, a))
            .collect())
    }
}

impl Registry {
    /// The id of an achievement named by its uuid or its URL (`{base}/achievements/{uuid}`,
    /// its OB 3.0 id), as a request gives it; a malformed one is the 404 of a missing one.
    pub(crate) fn achievement_named(&self, text: &str) -> Result<AchievementId, ServiceError> {
        let prefix = self.url("/achievements/");
        record_id(text.strip_prefix(&prefix).unwrap_or(text), "achievement")
    }

    /// What every award of `achievement` (its uuid or URL, as a request names it) shares,
    /// read inside `tx`; the signer is opened once.
    pub(crate) async fn award_context(
        &self,
        tx: &Tx,
        issuer: &Issuer,
        achievement: &str,
        pointer: &str,
    ) -> Result<AwardContext, ServiceError> {
        match self.achievement_named(achievement) {
            Ok(id) => self.award_context_of(tx, issuer, &id, pointer).await,
            Err(ServiceError::NotFound(_)) => Err(unknown_achievement(&issuer.0.org, pointer)),
            Err(e) => Err(e),
        }
    }

    /// An achievement by its id.
    pub(crate) async fn achievement_row(
        &self,
        tx: &Tx,
        id: &AchievementId,
    ) -> Result<AchievementRow, ServiceError> {
        tx.achievement(id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("achievement '{id}'")))
    }
}

impl PublicDesk<'_> {
    /// The OB 3.0 `Achievement` document (public).
    #[tracing::instrument(level = "info", skip_all, fields(id = %id))]
    pub async fn achievement_json(&self, id: &AchievementId) -> Result<Value, ServiceError> {
        let tx = self.store.read().await?;
        let row = self.achievement_row(&tx, id).await?;
        serde_json::from_str(&row.document)
            .map_err(ServiceError::wrap("reading a stored credential"))
    }

    /// The achievement's badge image, as SVG text (public).
    #[tracing::instrument(level = "info", skip_all, fields(id = %id))]
    pub async fn achievement_image(&self, id: &AchievementId) -> Result<String, ServiceError> {
        use base64::Engine;
        let document = self.achievement_json(id).await?;
        let url = match document.get("image") {
            Some(Value::String(s)) => s.clone(),
            Some(image) => image
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            None => String::new(),
        };
        let encoded = url
            .strip_prefix("data:image/svg+xml;base64,")
            .ok_or_else(|| ServiceError::NotFound("the achievement's image".into()))?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .map_err(ServiceError::wrap("decoding an achievement image"))?;
        String::from_utf8(bytes).map_err(ServiceError::wrap("reading an achievement image as text"))
    }
}

/// The refusal of an achievement `org` does not have (or a malformed id), at `pointer`.
pub(crate) fn unknown_achievement(org: &OrgRow, pointer: &str) -> ServiceError {
    ServiceError::invalid(
        pointer,
        format!(
            "Choose an achievement from the list; {} has none with that identifier.",
            org.name
        ),
    )
}
