//! Counters of what the registry does, kept where it happens: awards issued, verifications
//! by verdict, status lists rebuilt. Whoever serves metrics registers them (the web layer
//! at `/metrics`); this crate knows nothing of HTTP.

use credence_vc::verify::Verdict;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::registry::Registry as MetricsRegistry;

/// How an award was issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum IssuedVia {
    /// One award by an issuer.
    Award,
    /// A row of a bulk award job.
    Bulk,
    /// The VC-API's issue endpoint.
    VcApi,
    /// An accreditation (stored as an award of the accrediting body).
    Accreditation,
}

impl IssuedVia {
    fn as_str(self) -> &'static str {
        match self {
            Self::Award => "award",
            Self::Bulk => "bulk",
            Self::VcApi => "vc_api",
            Self::Accreditation => "accreditation",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct ViaLabel {
    via: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct VerdictLabel {
    verdict: &'static str,
}

/// The registry's counters; cheap to clone (clones count into the same values).
#[derive(Debug, Clone, Default)]
pub struct Metrics {
    awards_issued: Family<ViaLabel, Counter>,
    verifications: Family<VerdictLabel, Counter>,
    status_list_rebuilds: Counter,
}

impl Metrics {
    /// Adds these counters to `registry` (names get `_total` when encoded).
    pub fn register(&self, registry: &mut MetricsRegistry) {
        registry.register(
            "credence_awards_issued",
            "Credentials issued and committed, by how they were issued",
            self.awards_issued.clone(),
        );
        registry.register(
            "credence_verifications",
            "Credentials verified, by verdict (verified, not_valid, incomplete)",
            self.verifications.clone(),
        );
        registry.register(
            "credence_status_list_rebuilds",
            "Status lists rebuilt and re-signed",
            self.status_list_rebuilds.clone(),
        );
    }

    pub(crate) fn awards_issued(&self, via: IssuedVia, count: u64) {
        self.awards_issued
            .get_or_create(&ViaLabel { via: via.as_str() })
            .inc_by(count);
    }

    pub(crate) fn verified(&self, verdict: Verdict) {
        let verdict = match verdict {
            Verdict::Verified => "verified",
            Verdict::VerifiedWithWarnings => "verified_with_warnings",
            Verdict::NotValid => "not_valid",
            Verdict::Incomplete => "incomplete",
        };
        self.verifications
            .get_or_create(&VerdictLabel { verdict })
            .inc();
    }

    pub(crate) fn status_list_rebuilt(&self) {
        self.status_list_rebuilds.inc();
    }
}
