//! Credence's domain model: competency frameworks, their taxonomies and pathways, and the
//! pure rules that turn a holder's attested evidence into pathway progress.
//!
//! Nothing here performs IO. The store persists these types, the service orchestrates them,
//! and the web and CLI crates present them.

// Tests may unwrap: a panic there is a failed test. Code that ships may not.
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod case;
pub mod codes;
#[cfg(feature = "sea-orm")]
mod column;
pub mod coverage;
pub mod disclosure;
pub mod framework;
pub mod ids;
pub mod progress;
pub mod registry;
pub mod validate;
mod validate_links;

pub use codes::{
    ArchetypeCode, CodeError, FrameworkSlug, LevelCode, OrgSlug, PathwayCode, PlainCode,
    QuestionCode, StatementCode, TaxonomyCode, TopicCode,
};
pub use framework::{Framework, FrameworkDocument, PathwayKind};
pub use ids::{
    AccountId, AccreditationId, AchievementId, AttachmentId, AwardId, BulkJobId, EvidenceId,
    IdError, KeyId, NotificationId, OAuthClientId, OrgId, OutboxId, ProductAnswerId, ProductId,
    ProductSiteId, ProductVersionId, TargetId, TeamId, TokenId, WalletOfferId,
};
pub use progress::{progress, Attainment, PathwayProgress};
pub use validate::{FormProblems, Problem, Problems};

/// Frameworks compiled into the binary, always available even with an empty database.
pub mod bundled {
    /// The NHS AI Lab / Health Education England framework, *Developing healthcare
    /// workers' confidence in AI* (2022), as a framework document.
    pub const NHS_AI_CONFIDENCE_2022: &str =
        include_str!("../../../data/frameworks/nhs-ai-confidence-2022.json");

    /// The slug of [`NHS_AI_CONFIDENCE_2022`].
    pub const NHS_AI_CONFIDENCE_2022_SLUG: &str = "nhs-ai-confidence-2022";

    /// Every bundled framework document, as JSON text.
    pub const ALL: &[&str] = &[NHS_AI_CONFIDENCE_2022];
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_topics;
