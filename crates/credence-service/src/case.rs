//! The frameworks as 1EdTech CASE 1.1: the packages, documents, items and associations the
//! public CASE API serves, and the import of a CASE package as a framework version.
//!
//! A framework version's package is built once per process (`Caches::case_packages`):
//! stored versions are immutable, so it never goes stale.

use std::sync::Arc;

use credence_domain::case::{
    self, CfAssociation, CfAssociationSet, CfDocument, CfDocumentSet, CfItem, CfItemTypeSet,
    CfPackage,
};
use credence_domain::{Framework, FrameworkSlug, Problem, Problems};
use uuid::Uuid;

use crate::desks::{OperatorDesk, PublicDesk};
use crate::frameworks::{FrameworkService, ImportReport};
use crate::{Operator, Registry, ServiceError};

/// Reads a CASE package into a framework document and checks it as a framework: the
/// package's own problems name its fields (`/CFItems/3/fullStatement`), the framework's
/// name the part of the framework made from it.
pub fn framework_from_case(bytes: &[u8]) -> Result<Vec<u8>, ServiceError> {
    let doc = case::from_package(bytes).map_err(ServiceError::Invalid)?;
    if let Err(Problems(problems)) = Framework::new(doc.clone()) {
        return Err(ServiceError::Invalid(Problems(
            problems
                .into_iter()
                .map(|p| Problem {
                    message: format!("in the framework read from the package: {}", p.message),
                    pointer: p.pointer,
                })
                .collect(),
        )));
    }
    serde_json::to_vec_pretty(&doc).map_err(ServiceError::wrap("writing the imported framework"))
}

impl FrameworkService {
    /// Imports a CASE 1.1 package as a framework version, as [`FrameworkService::import`]
    /// does a framework document: nothing is written unless the whole package is valid.
    pub async fn import_case(
        &self,
        operator: &Operator,
        bytes: &[u8],
    ) -> Result<ImportReport, ServiceError> {
        let document = framework_from_case(bytes)?;
        self.import(operator, &document).await
    }
}

impl Registry {
    /// The package of one stored framework version, built once.
    async fn case_package_of(
        &self,
        slug: &str,
        version: &str,
    ) -> Result<Arc<CfPackage>, ServiceError> {
        let key = (slug.to_owned(), version.to_owned());
        if let Some(hit) = self
            .caches
            .case_packages
            .read()
            .ok()
            .and_then(|c| c.get(&key).cloned())
        {
            return Ok(hit);
        }
        let stored = self
            .store
            .find_framework(slug, Some(version))
            .await?
            .ok_or_else(|| {
                ServiceError::NotFound(format!("framework '{slug}' version '{version}'"))
            })?;
        let framework = Framework::from_json(stored.document.as_bytes()).map_err(|p| {
            ServiceError::internal(format!("stored framework {slug} no longer validates: {p}"))
        })?;
        let package = Arc::new(case::package(&framework, &self.config.base_url));
        if let Ok(mut cache) = self.caches.case_packages.write() {
            cache.insert(key, package.clone());
        }
        Ok(package)
    }

    /// Every stored framework version's package, in the store's order.
    async fn case_packages(&self) -> Result<Vec<Arc<CfPackage>>, ServiceError> {
        let mut out = Vec::new();
        for summary in self.store.list_frameworks().await? {
            out.push(
                self.case_package_of(&summary.slug, &summary.version)
                    .await?,
            );
        }
        Ok(out)
    }

    /// The stored framework version whose `CFDocument` has this identifier.
    async fn case_version_of(&self, id: &Uuid) -> Result<(String, String), ServiceError> {
        for summary in self.store.list_frameworks().await? {
            let Ok(slug) = FrameworkSlug::new(summary.slug.clone()) else {
                continue;
            };
            if &case::document_id(&slug, &summary.version) == id {
                return Ok((summary.slug, summary.version));
            }
        }
        Err(ServiceError::NotFound(format!("CASE document '{id}'")))
    }
}

impl PublicDesk<'_> {
    /// `GET /CFDocuments`: the document of every stored framework version. A registry with
    /// none has no set to give (CASE's `CFDocumentSet` holds at least one): not found.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn case_documents(&self) -> Result<CfDocumentSet, ServiceError> {
        let base = &self.config.base_url;
        let documents: Vec<CfDocument> = self
            .case_packages()
            .await?
            .iter()
            .map(|p| case::standalone_document(p, base))
            .collect();
        if documents.is_empty() {
            return Err(ServiceError::NotFound(
                "a CASE document (no framework is stored)".into(),
            ));
        }
        Ok(CfDocumentSet { documents })
    }

    /// `GET /CFDocuments/{id}`.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn case_document(&self, id: &Uuid) -> Result<CfDocument, ServiceError> {
        let package = self.case_package(id).await?;
        Ok(case::standalone_document(&package, &self.config.base_url))
    }

    /// `GET /CFPackages/{id}`: a framework version's whole package (its document's id).
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn case_package(&self, id: &Uuid) -> Result<Arc<CfPackage>, ServiceError> {
        let (slug, version) = self.case_version_of(id).await?;
        self.case_package_of(&slug, &version).await
    }

    /// `GET /CFItems/{id}`.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn case_item(&self, id: &Uuid) -> Result<CfItem, ServiceError> {
        let id = id.to_string();
        for package in self.case_packages().await? {
            if let Some(item) = case::standalone_item(&package, &id) {
                return Ok(item);
            }
        }
        Err(ServiceError::NotFound(format!("CASE item '{id}'")))
    }

    /// `GET /CFItemAssociations/{id}`: an item with its associations.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn case_item_associations(
        &self,
        id: &Uuid,
    ) -> Result<CfAssociationSet, ServiceError> {
        let id = id.to_string();
        for package in self.case_packages().await? {
            if let Some(set) = case::export::item_associations(&package, &id) {
                return Ok(set);
            }
        }
        Err(ServiceError::NotFound(format!("CASE item '{id}'")))
    }

    /// `GET /CFItemTypes/{id}`: an item type and the types below it; the same in every
    /// framework.
    pub fn case_item_types(&self, id: &Uuid) -> Result<CfItemTypeSet, ServiceError> {
        case::export::item_type_set(&self.config.base_url, &id.to_string())
            .ok_or_else(|| ServiceError::NotFound(format!("CASE item type '{id}'")))
    }

    /// `GET /CFAssociations/{id}`.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn case_association(&self, id: &Uuid) -> Result<CfAssociation, ServiceError> {
        let id = id.to_string();
        for package in self.case_packages().await? {
            if let Some(association) = case::export::standalone_association(&package, &id) {
                return Ok(association);
            }
        }
        Err(ServiceError::NotFound(format!("CASE association '{id}'")))
    }
}

impl OperatorDesk<'_> {
    /// Imports a CASE 1.1 package as a framework version (see [`FrameworkService::import_case`]).
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn import_case_package(&self, bytes: &[u8]) -> Result<ImportReport, ServiceError> {
        // The import logs the new version; this process's packages are read from the
        // database on every call, so nothing is cleared here.
        FrameworkService::new(self.store.clone())
            .import_case(&self.operator.as_operator(), bytes)
            .await
    }
}
