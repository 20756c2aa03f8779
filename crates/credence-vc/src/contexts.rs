//! The bundled, pinned JSON-LD contexts and the offline loader that serves them: nothing is
//! ever fetched from the network.

use std::fmt;

/// A JSON-LD context compiled into the binary, with the URL it answers for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct BundledContext {
    /// The context URL, exactly as documents name it.
    pub url: &'static str,
    /// The context document (JSON text).
    pub content: &'static str,
}

impl fmt::Debug for BundledContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BundledContext")
            .field("url", &self.url)
            .field("bytes", &self.content.len())
            .finish()
    }
}

macro_rules! bundled {
    ($url:expr, $file:expr) => {
        BundledContext {
            url: $url,
            content: include_str!(concat!("../contexts/", $file)),
        }
    };
}

/// Verifiable Credentials Data Model 2.0.
pub const CREDENTIALS_V2: &str = "https://www.w3.org/ns/credentials/v2";
/// Verifiable Credentials Data Model 1.1.
pub const CREDENTIALS_V1: &str = "https://www.w3.org/2018/credentials/v1";
/// Data Integrity v2 (proof terms for VC 1.1 documents).
pub const DATA_INTEGRITY_V2: &str = "https://w3id.org/security/data-integrity/v2";
/// Multikey v1.
pub const MULTIKEY_V1: &str = "https://w3id.org/security/multikey/v1";
/// Open Badges 3.0.3 (the current one).
pub const OB_V3P0_3_0_3: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/// The Open Badges 3.0 extensions context.
pub const OB_V3P0_EXTENSIONS: &str = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json";
/// Ed25519Signature2020 (verification of older credentials only).
pub const ED25519_2020_V1: &str = "https://w3id.org/security/suites/ed25519-2020/v1";
/// DID v1.
pub const DID_V1: &str = "https://www.w3.org/ns/did/v1";
/// W3C's examples context for VC 2.0 (defines `@vocab`).
pub const CREDENTIALS_EXAMPLES_V2: &str = "https://www.w3.org/ns/credentials/examples/v2";

/// The contexts a production document may name (see `contexts/README.md` for sources).
pub const STANDARD: &[BundledContext] = &[
    bundled!(CREDENTIALS_V2, "credentials-v2.jsonld"),
    bundled!(CREDENTIALS_V1, "credentials-v1.jsonld"),
    bundled!(DATA_INTEGRITY_V2, "data-integrity-v2.jsonld"),
    bundled!(MULTIKEY_V1, "multikey-v1.jsonld"),
    bundled!(
        "https://www.w3.org/ns/credentials/status/v1",
        "credentials-status-v1.jsonld"
    ),
    bundled!(OB_V3P0_3_0_3, "ob-v3p0-context-3.0.3.json"),
    bundled!(
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
        "ob-v3p0-context-3.0.2.json"
    ),
    bundled!(
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
        "ob-v3p0-context-3.0.1.json"
    ),
    bundled!(
        "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
        "ob-v3p0-context.json"
    ),
    bundled!(OB_V3P0_EXTENSIONS, "ob-v3p0-extensions.json"),
    bundled!(DID_V1, "did-v1.jsonld"),
    bundled!(ED25519_2020_V1, "ed25519-signature-2020-v1.jsonld"),
    // W3C's examples context, which the specification's examples, the test vectors and the
    // public test suites use. It defines `@vocab`, so a document that names it has every
    // undefined term mapped into the examples vocabulary instead of refused by safe mode:
    // that is the document's choice, and documents that do not name it are checked as ever.
    bundled!(CREDENTIALS_EXAMPLES_V2, "credentials-examples-v2.jsonld"),
    // The citizenship vocabulary of the W3C vc-di-eddsa "employ" vector (a release
    // candidate context published at w3id.org).
    bundled!(
        "https://w3id.org/citizenship/v4rc1",
        "citizenship-v4rc1.jsonld"
    ),
];

/// The error for a context URL that is not bundled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "The JSON-LD context {url} is not one of the contexts bundled with Credence, and contexts are never fetched from the network."
)]
pub struct UnknownContext {
    /// The URL that was asked for.
    pub url: String,
}

/// Why a context from a local file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LocalContextError {
    /// The URL is not an absolute http(s) URL.
    #[error("{0:?} is not an http(s) URL a document could name as a context.")]
    BadUrl(String),
    /// The URL is one of the bundled contexts, which cannot be replaced.
    #[error("{0} is bundled with Credence and cannot be replaced.")]
    Bundled(String),
    /// The file is not a JSON object with an `@context`.
    #[error("The file for {url} is not a JSON-LD context document (a JSON object with \"@context\"): {reason}")]
    NotAContext {
        /// The URL the file was given for.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
}

/// A context the operator supplies from a local file (setting `vc.contexts`), to be added to
/// a [`ContextSet`]. Its URL and text are kept for the life of the process (they are read
/// once, at start). A bundled context cannot be replaced.
pub fn local_context(url: &str, content: String) -> Result<BundledContext, LocalContextError> {
    let scheme_ok = url.starts_with("https://") || url.starts_with("http://");
    if !scheme_ok || url.contains(char::is_whitespace) || url.split("://").nth(1) == Some("") {
        return Err(LocalContextError::BadUrl(url.to_owned()));
    }
    if STANDARD.iter().any(|c| c.url == url) {
        return Err(LocalContextError::Bundled(url.to_owned()));
    }
    let not_a_context = |reason: String| LocalContextError::NotAContext {
        url: url.to_owned(),
        reason,
    };
    let value: serde_json::Value =
        serde_json::from_str(&content).map_err(|e| not_a_context(e.to_string()))?;
    if value.get("@context").is_none() {
        return Err(not_a_context("it has no \"@context\" member".into()));
    }
    Ok(BundledContext {
        url: Box::leak(url.to_owned().into_boxed_str()),
        content: Box::leak(content.into_boxed_str()),
    })
}

/// A fixed set of contexts, looked up by URL.
#[derive(Debug, Clone)]
pub struct ContextSet {
    contexts: Vec<BundledContext>,
}

impl Default for ContextSet {
    fn default() -> Self {
        Self::standard()
    }
}

impl ContextSet {
    /// The production set: [`STANDARD`].
    pub fn standard() -> Self {
        Self {
            contexts: STANDARD.to_vec(),
        }
    }

    /// Adds (or replaces) one context.
    #[must_use]
    pub fn with(mut self, context: BundledContext) -> Self {
        self.contexts.retain(|c| c.url != context.url);
        self.contexts.push(context);
        self
    }

    /// The context document for `url`, or an error naming the URL.
    pub fn load(&self, url: &str) -> Result<&'static str, UnknownContext> {
        self.contexts
            .iter()
            .find(|c| c.url == url)
            .map(|c| c.content)
            .ok_or_else(|| UnknownContext {
                url: url.to_owned(),
            })
    }

    /// Whether `url` is in this set.
    pub fn contains(&self, url: &str) -> bool {
        self.contexts.iter().any(|c| c.url == url)
    }

    /// The URLs in this set.
    pub fn urls(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.contexts.iter().map(|c| c.url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_context_is_a_json_object_with_a_context() {
        for c in STANDARD {
            let value: serde_json::Value = serde_json::from_str(c.content)
                .unwrap_or_else(|e| panic!("{} is not JSON: {e}", c.url));
            assert!(value.get("@context").is_some(), "{} has no @context", c.url);
        }
    }

    fn check(set: &ContextSet, url: &str, known: bool) {
        match set.load(url) {
            Ok(_) => assert!(known, "{url} should be refused"),
            Err(e) => {
                assert!(!known, "{url} should be known");
                assert!(e.to_string().contains(url), "error must name the URL: {e}");
            }
        }
    }

    #[test]
    fn loader_knows_exactly_the_bundled_urls() {
        let standard = ContextSet::standard();
        for (url, in_standard) in [
            ("https://www.w3.org/ns/credentials/v2", true),
            ("https://www.w3.org/2018/credentials/v1", true),
            ("https://w3id.org/security/data-integrity/v2", true),
            ("https://w3id.org/security/multikey/v1", true),
            ("https://www.w3.org/ns/credentials/status/v1", true),
            (
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
                true,
            ),
            (
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
                true,
            ),
            (
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
                true,
            ),
            ("https://purl.imsglobal.org/spec/ob/v3p0/context.json", true),
            (
                "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
                true,
            ),
            ("https://www.w3.org/ns/did/v1", true),
            ("https://w3id.org/security/suites/ed25519-2020/v1", true),
            ("https://www.w3.org/ns/credentials/examples/v2", true),
            ("https://w3id.org/citizenship/v4rc1", true),
        ] {
            check(&standard, url, in_standard);
        }
        for url in [
            "https://example.com/context.json",
            "http://www.w3.org/ns/credentials/v2",
            "https://www.w3.org/ns/credentials/v2/",
            "",
        ] {
            check(&standard, url, false);
        }
    }

    #[test]
    fn local_contexts_are_added_but_never_replace_a_bundled_one() {
        let text = r#"{"@context": {"ex": "https://example.org/vocab#"}}"#;
        let added = local_context("https://example.org/ctx/v1", text.into())
            .unwrap_or_else(|e| panic!("{e}"));
        let set = ContextSet::standard().with(added);
        assert_eq!(set.load("https://example.org/ctx/v1").ok(), Some(text));
        assert!(matches!(
            local_context(CREDENTIALS_V2, text.into()),
            Err(LocalContextError::Bundled(_))
        ));
        assert!(matches!(
            local_context("file:///etc/passwd", text.into()),
            Err(LocalContextError::BadUrl(_))
        ));
        assert!(matches!(
            local_context("https://example.org/x", "[1]".into()),
            Err(LocalContextError::NotAContext { .. })
        ));
        assert!(matches!(
            local_context("https://example.org/x", "not json".into()),
            Err(LocalContextError::NotAContext { .. })
        ));
    }
}
