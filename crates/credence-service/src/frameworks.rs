//! Framework use cases: list, read, validate and import framework versions.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use credence_domain::{bundled, Framework, FrameworkSlug};
use credence_store::frameworks::{FrameworkSummary, ImportOutcome};
use credence_store::Store;
use sha2::{Digest, Sha256};

use crate::{Operator, ServiceError};

/// The result of an import, for people and machines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub slug: String,
    pub version: String,
    pub statements: usize,
    /// False when the identical version was already stored.
    pub created: bool,
}

/// Reads and imports frameworks. Parsed versions are cached in memory: a stored version is
/// immutable, so a cached copy can never go stale, even with several processes.
#[derive(Clone, Debug)]
pub struct FrameworkService {
    store: Store,
    cache: Arc<RwLock<VersionCache>>,
}

/// Parsed framework versions by (slug, version).
type VersionCache = HashMap<(String, String), Arc<Framework>>;

/// Validates a framework document and returns it with its normalised JSON and digest.
pub fn validate(bytes: &[u8]) -> Result<(Framework, String, String), ServiceError> {
    let framework = Framework::from_json(bytes).map_err(ServiceError::Invalid)?;
    let normalised = serde_json::to_string_pretty(framework.document())
        .map_err(ServiceError::wrap("normalising a framework document"))?;
    let digest = hex::encode(Sha256::digest(normalised.as_bytes()));
    Ok((framework, normalised, digest))
}

impl FrameworkService {
    pub fn new(store: Store) -> Self {
        Self {
            store,
            cache: Arc::default(),
        }
    }

    /// Every stored framework version.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn list(&self) -> Result<Vec<FrameworkSummary>, ServiceError> {
        Ok(self.store.list_frameworks().await?)
    }

    /// A framework by slug, in its latest version unless one is named.
    #[tracing::instrument(level = "info", skip_all, fields(slug = %slug))]
    pub async fn get(
        &self,
        slug: &FrameworkSlug,
        version: Option<&str>,
    ) -> Result<Arc<Framework>, ServiceError> {
        if let Some(version) = version {
            if let Some(hit) = self.cached(slug.as_str(), version) {
                return Ok(hit);
            }
        }
        let stored = self
            .store
            .find_framework(slug.as_str(), version)
            .await?
            .ok_or_else(|| match version {
                Some(v) => ServiceError::NotFound(format!("framework '{slug}' version '{v}'")),
                None => ServiceError::NotFound(format!("framework '{slug}'")),
            })?;
        if let Some(hit) = self.cached(slug.as_str(), &stored.summary.version) {
            return Ok(hit);
        }
        let framework = Framework::from_json(stored.document.as_bytes()).map_err(|p| {
            ServiceError::internal(format!("stored framework {slug} no longer validates: {p}"))
        })?;
        let framework = Arc::new(framework);
        if let Ok(mut cache) = self.cache.write() {
            cache.insert(
                (slug.to_string(), stored.summary.version.clone()),
                framework.clone(),
            );
        }
        Ok(framework)
    }

    fn cached(&self, slug: &str, version: &str) -> Option<Arc<Framework>> {
        let cache = self.cache.read().ok()?;
        cache.get(&(slug.to_owned(), version.to_owned())).cloned()
    }

    /// Imports a framework document. Importing the same content twice changes nothing; a
    /// new version is stored beside the earlier ones; different content under an existing
    /// version is refused, since credentials refer to it.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn import(
        &self,
        operator: &Operator,
        bytes: &[u8],
    ) -> Result<ImportReport, ServiceError> {
        let (framework, normalised, digest) = validate(bytes)?;
        let outcome = self
            .store
            .import_framework(&framework, &normalised, &digest)
            .await?;
        let report = |created| ImportReport {
            slug: framework.slug().to_string(),
            version: framework.version().to_owned(),
            statements: framework.document().statements.len(),
            created,
        };
        match outcome {
            ImportOutcome::Created(_) => {
                tracing::info!(
                    operator = operator.label(),
                    slug = %framework.slug(),
                    version = framework.version(),
                    "framework imported"
                );
                Ok(report(true))
            }
            ImportOutcome::Unchanged(_) => Ok(report(false)),
            ImportOutcome::Conflict(existing) => Err(ServiceError::Conflict(format!(
                "framework '{}' version '{}' is already stored with different content \
                 (sha256 {}); publish the change as a new version",
                existing.slug, existing.version, existing.content_sha256
            ))),
        }
    }

    /// Imports every bundled framework that is not stored yet.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn import_bundled(
        &self,
        operator: &Operator,
    ) -> Result<Vec<ImportReport>, ServiceError> {
        let mut reports = Vec::new();
        for document in bundled::ALL {
            reports.push(self.import(operator, document.as_bytes()).await?);
        }
        Ok(reports)
    }
}
