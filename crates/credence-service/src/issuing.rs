//! What every credential this registry signs goes through first: the VC Data Model's
//! normative requirements, the 1EdTech schema its type calls for, and the organisation's
//! choice of cryptosuite. Awards, accreditations, status lists and VC-API credentials all
//! sign through [`Registry::proof_options`] after [`check_before_signing`].

use credence_store::registry::OrgRow;
use credence_vc::proof::{Cryptosuite, ProofOptions};
use credence_vc::schema::{validate_credential, SchemaError};
use credence_vc::vcdm::check_credential;
use serde_json::Value;

use crate::registry::Registry;
use crate::ServiceError;
use credence_domain::Problems;
use credence_vc::keys::SigningKey;

/// What signing needs: the verification method id and the opened key.
#[derive(Debug)]
pub struct Signer {
    pub verification_method: String,
    pub key: SigningKey,
    pub issuer_did: String,
}

/// Refuses `unsigned` (422, every problem named by its JSON pointer under `prefix`, such
/// as `/credential`) when it breaks a MUST of the VC Data Model or, for an Open Badges 3.0
/// credential (`OpenBadgeCredential`, `AchievementCredential`, `EndorsementCredential`),
/// the bundled 1EdTech schema. Credentials of other types are checked against the data
/// model only.
pub(crate) fn check_before_signing(unsigned: &Value, prefix: &str) -> Result<(), ServiceError> {
    let mut problems = data_model_problems(unsigned, prefix, &[]);
    match validate_credential(unsigned) {
        Ok(()) | Err(SchemaError::UnknownType) => {}
        Err(SchemaError::Invalid { schema, violations }) => {
            problems.extend(violations.into_iter().map(|v| credence_domain::Problem {
                pointer: format!("{prefix}{}", v.pointer),
                message: format!(
                    "{} (the 1EdTech Open Badges 3.0 {schema} schema)",
                    v.message
                ),
            }))
        }
        Err(other @ SchemaError::BadSchema { .. }) => {
            return Err(ServiceError::internal_from(
                "checking a credential against its schema",
                other,
            ))
        }
    }
    refuse(problems)
}

/// Refuses `document` (422, pointers under `prefix`) when it breaks a MUST of the VC Data
/// Model, except the requirements named in `waived` (those Credence fulfils itself).
pub(crate) fn check_data_model(
    document: &Value,
    prefix: &str,
    waived: &[&str],
) -> Result<(), ServiceError> {
    refuse(data_model_problems(document, prefix, waived))
}

/// The data model's violations in `document`, as problems under `prefix`.
fn data_model_problems(
    document: &Value,
    prefix: &str,
    waived: &[&str],
) -> Vec<credence_domain::Problem> {
    check_credential(document)
        .into_iter()
        .filter(|v| !waived.contains(&v.requirement))
        .map(|v| credence_domain::Problem {
            pointer: format!("{prefix}{}", v.pointer),
            message: format!("{} (VC Data Model, {})", v.message, v.requirement),
        })
        .collect()
}

fn refuse(problems: Vec<credence_domain::Problem>) -> Result<(), ServiceError> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Invalid(Problems(problems)))
    }
}

/// The cryptosuite an organisation signs with unless a request names one.
pub(crate) fn default_suite(org: &OrgRow) -> Cryptosuite {
    org.cryptosuite
        .as_deref()
        .and_then(|name| Cryptosuite::from_name(name).ok())
        .unwrap_or_default()
}

/// Parses a cryptosuite a request names, refusing an unknown one at `pointer`.
pub fn parse_suite(name: &str, pointer: &str) -> Result<Cryptosuite, ServiceError> {
    Cryptosuite::from_name(name.trim()).map_err(|_| {
        ServiceError::invalid(
            pointer,
            format!(
                "{name:?} is not a cryptosuite Credence signs with: use eddsa-rdfc-2022 or eddsa-jcs-2022."
            ),
        )
    })
}

impl Registry {
    /// Proof options for a document `org` signs now with `signer`: `created` at seconds
    /// precision, the suite asked for or else the organisation's default, and this
    /// registry's contexts.
    pub(crate) fn proof_options(
        &self,
        org: &OrgRow,
        signer: &Signer,
        created: &str,
        suite: Option<Cryptosuite>,
    ) -> ProofOptions {
        let mut options = ProofOptions::new(signer.verification_method.clone());
        options.created = Some(created.to_owned());
        options.cryptosuite = suite.unwrap_or_else(|| default_suite(org));
        options.canonicalizer = self.config.canonicalizer.clone();
        options
    }
}
