//! One error type for callers (the CLI, the service) that use several parts of the crate.

use crate::canon::CanonError;
use crate::contexts::UnknownContext;
use crate::did::DidError;
use crate::keys::KeyError;
use crate::proof::ProofError;

/// Any error of this crate's contexts, canonicalisation, keys, DIDs and proofs. Each
/// variant's message is the sentence of the error it wraps.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A context is not bundled.
    #[error(transparent)]
    Context(#[from] UnknownContext),
    /// Canonicalisation failed.
    #[error(transparent)]
    Canon(#[from] CanonError),
    /// A key could not be read or made.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// A DID or verification method could not be resolved.
    #[error(transparent)]
    Did(#[from] DidError),
    /// A proof could not be made or did not verify.
    #[error(transparent)]
    Proof(#[from] ProofError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_pass_through_and_types_are_thread_safe() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Error>();
        assert_send_sync::<crate::canon::Canonicalizer>();
        assert_send_sync::<crate::keys::SigningKey>();
        let inner = ProofError::NoProof;
        assert_eq!(Error::from(inner.clone()).to_string(), inner.to_string());
    }
}
