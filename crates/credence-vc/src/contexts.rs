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
];

/// Contexts needed only by the W3C test vectors. They are not in [`STANDARD`] because the
/// examples context defines `@vocab`, which would let any undefined term through safe mode.
pub const TEST_VECTORS: &[BundledContext] = &[
    bundled!(
        "https://www.w3.org/ns/credentials/examples/v2",
        "credentials-examples-v2.jsonld"
    ),
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

    /// The production set plus the contexts the W3C test vectors need.
    pub fn with_test_vectors() -> Self {
        let mut set = Self::standard();
        set.contexts.extend_from_slice(TEST_VECTORS);
        set
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
        for c in STANDARD.iter().chain(TEST_VECTORS) {
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
        let vectors = ContextSet::with_test_vectors();
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
            ("https://www.w3.org/ns/credentials/examples/v2", false),
            ("https://w3id.org/citizenship/v4rc1", false),
        ] {
            check(&standard, url, in_standard);
            check(&vectors, url, true);
        }
        for url in [
            "https://example.com/context.json",
            "http://www.w3.org/ns/credentials/v2",
            "https://www.w3.org/ns/credentials/v2/",
            "",
        ] {
            check(&standard, url, false);
            check(&vectors, url, false);
        }
    }
}
