//! Version-bound evidence: an achievement bound to an AI product version counts only
//! evidence gained on that version, so a product-specific award needs evidence for its
//! version; evidence for another version, or for none, is named in the refusal.

use credence_domain::ProductVersionId;
use credence_store::registry::{AchievementRow, EvidenceRow};
use credence_store::Tx;

use crate::awards::AwardContext;
use crate::ServiceError;

/// The product version an achievement is bound to, with its label ("tri-X 2.0").
#[derive(Debug, Clone)]
pub(crate) struct VersionBinding {
    pub id: ProductVersionId,
    pub label: String,
}

/// The binding of `achievement`, read inside `tx`.
pub(crate) async fn binding_of(
    tx: &Tx,
    achievement: &AchievementRow,
) -> Result<Option<VersionBinding>, ServiceError> {
    let Some(id) = &achievement.product_version_id else {
        return Ok(None);
    };
    let version = tx
        .product_version(id)
        .await?
        .ok_or_else(|| ServiceError::internal("an achievement's product version vanished"))?;
    let product = tx
        .product(&version.product_id)
        .await?
        .ok_or_else(|| ServiceError::internal("a product version's product vanished"))?;
    Ok(Some(VersionBinding {
        id: version.id,
        label: format!("{} {}", product.name, version.version),
    }))
}

/// The evidence that counts for an award bound to `binding` (all of it when unbound):
/// of the statements `in_pathway` keeps (the product-specific pathway's), only evidence
/// gained on that version; the rest (a prerequisite's) as it is.
pub(crate) fn bound<'a>(
    binding: Option<&VersionBinding>,
    evidence: &[&'a EvidenceRow],
    in_pathway: impl Fn(&EvidenceRow) -> bool,
) -> Vec<&'a EvidenceRow> {
    evidence
        .iter()
        .copied()
        .filter(|e| {
            binding.is_none_or(|b| !in_pathway(e) || e.product_version_id.as_ref() == Some(&b.id))
        })
        .collect()
}

/// The sentence naming the evidence left out for an award bound to `binding`, among the
/// statements `counts` keeps (the pathway's); none when nothing was left out.
pub(crate) fn left_out(
    binding: Option<&VersionBinding>,
    evidence: &[&EvidenceRow],
    counts: impl Fn(&EvidenceRow) -> bool,
) -> Option<String> {
    let binding = binding?;
    let mut other = Vec::new();
    let mut none = Vec::new();
    for e in evidence.iter().filter(|e| counts(e)) {
        match &e.product_version_id {
            Some(v) if v == &binding.id => {}
            Some(_) => other.push(e.statement_code.to_string()),
            None => none.push(e.statement_code.to_string()),
        }
    }
    if other.is_empty() && none.is_empty() {
        return None;
    }
    for list in [&mut other, &mut none] {
        list.sort_unstable();
        list.dedup();
    }
    let mut parts = Vec::new();
    if !other.is_empty() {
        parts.push(format!("gained on another version: {}", other.join(", ")));
    }
    if !none.is_empty() {
        parts.push(format!("naming no product version: {}", none.join(", ")));
    }
    Some(format!(
        "This award is for {}: only evidence gained on that version counts. Attested evidence left out, {}. Record evidence for {} (naming its product version) and have it attested.",
        binding.label,
        parts.join("; "),
        binding.label
    ))
}

/// The product version (its id as a request gives it) a new achievement of `org` for
/// `pathway` is bound to, with the product it names: refused at `/product_version` when it
/// is not registered, when the pathway is not product-specific, or when `org` neither
/// registered the product nor is one of its sites.
pub(crate) async fn version_for_achievement(
    tx: &Tx,
    org: &credence_store::registry::OrgRow,
    text: &str,
    pathway: &credence_domain::framework::Pathway,
) -> Result<(credence_documents::Product, ProductVersionId), ServiceError> {
    let refuse = |m: &str| ServiceError::invalid("/product_version", m);
    if pathway.kind != credence_domain::PathwayKind::ProductTemplate {
        return Err(refuse(
            "Only an achievement for the product-specific pathway names a product version.",
        ));
    }
    let version = match ProductVersionId::new(text.trim()) {
        Ok(id) => tx.product_version(&id).await?,
        Err(_) => None,
    }
    .ok_or_else(|| refuse("No AI product version with this identifier is registered here."))?;
    let product = tx
        .product(&version.product_id)
        .await?
        .ok_or_else(|| ServiceError::internal("a product version's product vanished"))?;
    if !super::involved(tx, &product, &org.id).await? {
        return Err(refuse(
            "Your organisation neither registered this product nor is one of its sites.",
        ));
    }
    Ok((
        credence_documents::Product {
            name: product.name,
            version: version.version,
        },
        version.id,
    ))
}

impl AwardContext {
    /// Whether `e` is evidence for a statement of the award's own pathway.
    fn in_pathway(&self, e: &EvidenceRow) -> bool {
        self.framework
            .statement(&e.statement_code)
            .is_some_and(|s| s.pathway == self.pathway_code)
    }

    /// The evidence that counts for this award (see [`bound`]).
    pub(crate) fn counted<'a>(&self, evidence: &[&'a EvidenceRow]) -> Vec<&'a EvidenceRow> {
        bound(self.product_version.as_ref(), evidence, |e| {
            self.in_pathway(e)
        })
    }

    /// The problem naming the evidence left out for a version-bound award, if any.
    pub(crate) fn left_out(&self, evidence: &[&EvidenceRow]) -> Option<(String, String)> {
        left_out(self.product_version.as_ref(), evidence, |e| {
            self.in_pathway(e)
        })
        .map(|m| ("/product_version".to_owned(), m))
    }
}
