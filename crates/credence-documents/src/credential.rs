//! The unsigned OB 3.0 `OpenBadgeCredential` awarding an achievement to a holder: the
//! holder's salted, hashed e-mail address, the embedded achievement, one result per
//! competency statement, evidence links and its status entry (revocation, and suspension
//! too when its achievement opts in). The service signs what this returns and stores it as
//! signed.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use credence_domain::framework::{Pathway, Statement};
use credence_domain::{Framework, LevelCode, StatementCode};
use credence_vc::contexts::{CREDENTIALS_V2, OB_V3P0_3_0_3};
use credence_vc::model::{IdentityObject, OneOrMany};
use credence_vc::status_list::{status_list_entry, StatusPurpose};
use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::achievement::{level_id, result_description_id, statement_alignment};
use super::{base, date_time, IssuerProfile};

/// The holder a credential is awarded to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recipient<'a> {
    /// The holder's e-mail address; only its salted hash is written.
    pub email: &'a str,
    /// The salt hashed after the address (random, chosen by the service).
    pub salt: &'a str,
    /// The holder's DID, when they have given one; it becomes the subject's `id`.
    pub did: Option<&'a str>,
}

/// One piece of evidence behind an award, published at `{base}/evidence/{uuid}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceLink {
    pub uuid: Uuid,
    /// A short name, such as "Course completion: AI in radiology".
    pub name: String,
    /// What the evidence shows, in Markdown.
    pub narrative: Option<String>,
    /// The kind of evidence, such as "Course completion" or "Workplace observation".
    pub genre: Option<String>,
}

/// The credential's places in its organisation's status lists (chosen at random by the
/// service, for herd privacy).
///
/// With a suspension index, `credentialStatus` is an array of two entries, as VC 2.0
/// allows; OB 3.0 allows one entry only (`credentialStatus` is `[0..1]` and the 1EdTech
/// schema wants an object; 1EdTech's issue 623 proposes arrays for 3.1), so such a
/// credential fails that schema on `/credentialStatus` and nowhere else. Without one, the
/// revocation entry is written alone, as an object, and the credential is OB 3.0 valid but
/// cannot be suspended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusIndices {
    pub revocation: usize,
    pub suspension: Option<usize>,
}

/// What a credential is built from.
#[derive(Debug, Clone)]
pub struct AwardInput<'a> {
    /// The credential's UUID; its id is `{base}/credentials/{uuid}`.
    pub credential_uuid: Uuid,
    /// The installation's base URL, such as `https://credence.example`.
    pub base_url: &'a str,
    /// The issuing organisation.
    pub issuer: &'a IssuerProfile,
    /// The issuing organisation's slug, which places its status lists.
    pub org_slug: &'a str,
    /// The achievement, as published (see [`super::achievement::achievement_document`]);
    /// embedded as it is.
    pub achievement: &'a Value,
    /// The credential's name; the achievement's name when absent.
    pub name: Option<&'a str>,
    pub valid_from: DateTime<Utc>,
    pub valid_until: Option<DateTime<Utc>>,
    pub recipient: Recipient<'a>,
    /// The levels achieved, per statement; may be empty.
    pub results: &'a AwardResults,
    pub evidence: &'a [EvidenceLink],
    pub status: StatusIndices,
    /// The id of the credential this one renews (a product-specific badge after a product
    /// change, or an expired one).
    pub renews: Option<&'a str>,
}

/// `{base}/credentials/{uuid}`.
pub fn credential_url(base_url: &str, uuid: Uuid) -> String {
    format!("{}/credentials/{}", base(base_url), uuid.hyphenated())
}

/// `{base}/evidence/{uuid}`.
pub fn evidence_url(base_url: &str, uuid: Uuid) -> String {
    format!("{}/evidence/{}", base(base_url), uuid.hyphenated())
}

/// `{base}/orgs/{slug}/status/revocation` (or `suspension`).
pub fn status_list_url(base_url: &str, org_slug: &str, purpose: StatusPurpose) -> String {
    format!(
        "{}/orgs/{org_slug}/status/{}",
        base(base_url),
        purpose.as_str()
    )
}

/// `sha256$` and the lowercase hex SHA-256 of the e-mail address (trimmed and lowercased)
/// followed by the salt: OB 3.0's hashed `emailAddress` identity.
pub fn identity_hash(email: &str, salt: &str) -> String {
    IdentityObject::hashed_email(email, salt).identity_hash
}

/// Whether a credential subject names this e-mail address among its `identifier`s
/// (hashed or plain; the address is trimmed and lowercased first).
pub fn email_matches(credential_subject: &Value, email: &str) -> bool {
    let Some(identifiers) = credential_subject.get("identifier") else {
        return false;
    };
    match serde_json::from_value::<OneOrMany<Value>>(identifiers.clone()) {
        Ok(identifiers) => identifiers.iter().any(|identifier| {
            serde_json::from_value::<IdentityObject>(identifier.clone())
                .is_ok_and(|identity| identity.matches_email(email))
        }),
        Err(_) => false,
    }
}

/// A level achieved in one competency statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AchievedLevel {
    pub statement: StatementCode,
    pub level: LevelCode,
}

/// Why an achieved level cannot be written as a result of a pathway's credential.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResultProblem {
    #[error("The framework has no competency statement {0}.")]
    UnknownStatement(StatementCode),
    #[error(
        "Competency statement {statement} belongs to the pathway {belongs_to}, not to {pathway}."
    )]
    OtherPathway {
        statement: StatementCode,
        belongs_to: String,
        pathway: String,
    },
    #[error("The framework has no level {0}.")]
    UnknownLevel(LevelCode),
    #[error("Competency statement {statement} is assessed on the {taxonomy} taxonomy, which has no level {level}.")]
    WrongTaxonomy {
        statement: StatementCode,
        taxonomy: String,
        level: LevelCode,
    },
    #[error("Competency statement {0} is given more than one result.")]
    Repeated(StatementCode),
}

/// The `result`s of a credential, checked against the framework: one per statement, each
/// naming its level's `RubricCriterionLevel` and its taxonomy's `ResultDescription` in the
/// achievement, with the statement's alignment. In the pathway's statement order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AwardResults {
    results: Vec<Value>,
}

impl AwardResults {
    /// No results: the credential states the achievement only.
    pub fn none() -> Self {
        Self::default()
    }

    /// Results for the levels achieved, refusing with every problem found a statement that
    /// is not the pathway's, a level that is not of the statement's taxonomy and a
    /// statement given twice. Whether the levels meet the requirements is not checked here:
    /// that is the progress rule's (or an issuer's justified override's) business.
    pub fn new(
        framework: &Framework,
        pathway: &Pathway,
        base_url: &str,
        achievement_id: &str,
        achieved: &[AchievedLevel],
    ) -> Result<Self, Vec<ResultProblem>> {
        let order: HashMap<&StatementCode, usize> = framework
            .document()
            .statements
            .iter()
            .enumerate()
            .map(|(i, s)| (&s.code, i))
            .collect();
        let mut problems = Vec::new();
        let mut seen: Vec<&StatementCode> = Vec::new();
        let mut results: Vec<(usize, Value)> = Vec::new();
        for entry in achieved {
            let Some(statement) = framework.statement(&entry.statement) else {
                problems.push(ResultProblem::UnknownStatement(entry.statement.clone()));
                continue;
            };
            if statement.pathway != pathway.code {
                problems.push(ResultProblem::OtherPathway {
                    statement: statement.code.clone(),
                    belongs_to: statement.pathway.to_string(),
                    pathway: pathway.code.to_string(),
                });
                continue;
            }
            if seen.contains(&&entry.statement) {
                problems.push(ResultProblem::Repeated(entry.statement.clone()));
                continue;
            }
            seen.push(&entry.statement);
            let Some(taxonomy) = framework.taxonomy_of(&entry.level) else {
                problems.push(ResultProblem::UnknownLevel(entry.level.clone()));
                continue;
            };
            if taxonomy.code != statement.taxonomy {
                problems.push(ResultProblem::WrongTaxonomy {
                    statement: statement.code.clone(),
                    taxonomy: statement.taxonomy.to_string(),
                    level: entry.level.clone(),
                });
                continue;
            }
            let index = order.get(&statement.code).copied().unwrap_or(usize::MAX);
            results.push((
                index,
                result(framework, base_url, achievement_id, statement, &entry.level),
            ));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        results.sort_by_key(|(index, _)| *index);
        Ok(Self {
            results: results.into_iter().map(|(_, r)| r).collect(),
        })
    }

    /// One result per statement of the pathway at its required level, for an award the
    /// issuer vouches for as a whole (a bulk award): statements without a stated level are
    /// left out.
    pub fn at_required_levels(
        framework: &Framework,
        pathway: &Pathway,
        base_url: &str,
        achievement_id: &str,
    ) -> Self {
        let results = framework
            .pathway_statements(&pathway.code)
            .filter_map(|statement| {
                let level = statement.level.as_ref()?;
                Some(result(
                    framework,
                    base_url,
                    achievement_id,
                    statement,
                    level,
                ))
            })
            .collect();
        Self { results }
    }

    /// The `result` objects, in the pathway's statement order.
    pub fn as_slice(&self) -> &[Value] {
        &self.results
    }

    pub fn len(&self) -> usize {
        self.results.len()
    }

    pub fn is_empty(&self) -> bool {
        self.results.is_empty()
    }
}

/// One OB 3.0 `Result`: the level achieved in a statement.
fn result(
    framework: &Framework,
    base_url: &str,
    achievement_id: &str,
    statement: &Statement,
    level: &LevelCode,
) -> Value {
    json!({
        "type": ["Result"],
        "resultDescription": result_description_id(achievement_id, &statement.taxonomy),
        "achievedLevel": level_id(achievement_id, &statement.taxonomy, level),
        "alignment": [statement_alignment(base_url, framework, statement)],
    })
}

/// The `@context`, the credential's `type` and the subject's `type` of every award
/// credential: what its achievement is embedded under.
pub fn embedding_types() -> (Value, Value, Value) {
    (
        json!([CREDENTIALS_V2, OB_V3P0_3_0_3]),
        json!(["VerifiableCredential", "OpenBadgeCredential"]),
        json!(["AchievementSubject"]),
    )
}

/// The unsigned `OpenBadgeCredential`.
///
/// A renewal is recorded as an `Evidence` entry whose `id` is the renewed credential's id:
/// OB 3.0 has no renewal property, and a property of our own would be an undefined term,
/// which safe-mode canonicalisation refuses (and which a verifier would silently drop).
pub fn award_credential(input: &AwardInput<'_>) -> Value {
    let name = input
        .name
        .map(Value::from)
        .or_else(|| input.achievement.get("name").cloned())
        .unwrap_or_else(|| Value::from("Open Badge"));

    let (context, credential_types, subject_types) = embedding_types();
    let mut subject = Map::new();
    if let Some(did) = input.recipient.did {
        subject.insert("id".into(), did.into());
    }
    subject.insert("type".into(), subject_types);
    let identity = IdentityObject::hashed_email(input.recipient.email, input.recipient.salt);
    subject.insert(
        "identifier".into(),
        json!([{
            "type": "IdentityObject",
            "identityHash": identity.identity_hash,
            "identityType": "emailAddress",
            "hashed": true,
            "salt": input.recipient.salt,
        }]),
    );
    subject.insert("achievement".into(), input.achievement.clone());
    if !input.results.is_empty() {
        subject.insert(
            "result".into(),
            Value::Array(input.results.as_slice().to_vec()),
        );
    }

    let mut evidence: Vec<Value> = input
        .evidence
        .iter()
        .map(|e| {
            let mut item = Map::new();
            item.insert("id".into(), evidence_url(input.base_url, e.uuid).into());
            item.insert("type".into(), json!(["Evidence"]));
            item.insert("name".into(), e.name.clone().into());
            if let Some(narrative) = &e.narrative {
                item.insert("narrative".into(), narrative.clone().into());
            }
            if let Some(genre) = &e.genre {
                item.insert("genre".into(), genre.clone().into());
            }
            Value::Object(item)
        })
        .collect();
    if let Some(renewed) = input.renews {
        evidence.push(json!({
            "id": renewed,
            "type": ["Evidence"],
            "name": "Renewed credential",
            "description": format!("This credential renews the credential {renewed}."),
            "genre": "Renewal",
        }));
    }

    let mut vc = Map::new();
    vc.insert("@context".into(), context);
    vc.insert(
        "id".into(),
        credential_url(input.base_url, input.credential_uuid).into(),
    );
    vc.insert("type".into(), credential_types);
    vc.insert("name".into(), name);
    vc.insert("issuer".into(), input.issuer.to_json());
    vc.insert("validFrom".into(), date_time(input.valid_from).into());
    if let Some(until) = input.valid_until {
        vc.insert("validUntil".into(), date_time(until).into());
    }
    vc.insert("credentialSubject".into(), Value::Object(subject));
    if !evidence.is_empty() {
        vc.insert("evidence".into(), Value::Array(evidence));
    }
    vc.insert(
        "credentialStatus".into(),
        credential_status(input.base_url, input.org_slug, input.status),
    );
    Value::Object(vc)
}

/// A credential's `credentialStatus`: the revocation entry as an object, as Open Badges 3.0
/// requires, or an array of it and the suspension entry when there is one (see
/// [`StatusIndices`]).
pub fn credential_status(base_url: &str, org_slug: &str, indices: StatusIndices) -> Value {
    let entry = |purpose, index| {
        status_list_entry(
            &status_list_url(base_url, org_slug, purpose),
            index,
            purpose,
        )
    };
    let revocation = entry(StatusPurpose::Revocation, indices.revocation);
    match indices.suspension {
        Some(index) => json!([revocation, entry(StatusPurpose::Suspension, index)]),
        None => revocation,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::achievement::tests::{achievement_id, nhs_achievement};
    use crate::achievement::{achievement_document, AchievementInput};
    use crate::badge::{badge_data_url, badge_svg, BadgeSpec};
    use crate::test_support::{issuer, nhs, BASE};
    use credence_domain::PathwayCode;
    use credence_vc::canon::Canonicalizer;
    use credence_vc::did::StaticResolver;
    use credence_vc::keys::SigningKey;
    use credence_vc::proof::{sign, verify_proofs, ProofOptions};
    use credence_vc::schema::{validate_credential, SchemaError};

    fn pathway(code: &str) -> &'static Pathway {
        nhs()
            .pathway(&PathwayCode::new(code).expect("code"))
            .expect("pathway")
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("date-time")
            .with_timezone(&Utc)
    }

    fn uuid(n: u128) -> Uuid {
        Uuid::from_u128(0x1234_5678_0000_4000_8000_0000_0000_0000 + n)
    }

    /// A fully loaded credential for `pathway`, issued by `issuer_did`.
    fn full_credential(pathway_code: &str, issuer_did: &str) -> Value {
        let framework = nhs();
        let pathway = pathway(pathway_code);
        let issuer = issuer(issuer_did);
        let id = achievement_id(pathway_code);
        let image = badge_data_url(&badge_svg(&BadgeSpec::for_pathway(pathway)));
        let achievement = achievement_document(&AchievementInput {
            framework,
            pathway,
            achievement_id: &id,
            issuer: &issuer,
            base_url: BASE,
            name: None,
            description: None,
            image: &image,
            validity_days: None,
            product: None,
        });
        let results = AwardResults::at_required_levels(framework, pathway, BASE, &id);
        let evidence = [
            EvidenceLink {
                uuid: uuid(1),
                name: "Course completion: AI for clinicians".into(),
                narrative: Some("Completed the *e-learning* module on 2026-10-01.".into()),
                genre: Some("Course completion".into()),
            },
            EvidenceLink {
                uuid: uuid(2),
                name: "Workplace observation".into(),
                narrative: None,
                genre: None,
            },
        ];
        award_credential(&AwardInput {
            credential_uuid: uuid(0),
            base_url: BASE,
            issuer: &issuer,
            org_slug: "hee",
            achievement: &achievement,
            name: None,
            valid_from: at("2026-11-28T09:30:00Z"),
            valid_until: Some(at("2029-11-28T09:30:00Z")),
            recipient: Recipient {
                email: "Ada.Lovelace@NHS.example",
                salt: "c2FsdA",
                did: Some("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"),
            },
            results: &results,
            evidence: &evidence,
            status: StatusIndices {
                revocation: 94_567,
                suspension: Some(12),
            },
            renews: Some(
                "https://credence.example/credentials/00000000-0000-4000-8000-000000000009",
            ),
        })
    }

    fn minimal_credential(achievement: &Value) -> Value {
        let issuer = issuer("did:example:issuer");
        let results = AwardResults::none();
        award_credential(&AwardInput {
            credential_uuid: uuid(0),
            base_url: "https://credence.example/",
            issuer: &issuer,
            org_slug: "hee",
            achievement,
            name: Some("My badge"),
            valid_from: at("2026-11-28T09:30:00Z"),
            valid_until: None,
            recipient: Recipient {
                email: "ada@example.org",
                salt: "salt",
                did: None,
            },
            results: &results,
            evidence: &[],
            status: StatusIndices {
                revocation: 131_071,
                suspension: None,
            },
            renews: None,
        })
    }

    /// Validates against the 1EdTech schema, allowing only the one known deviation: a
    /// `credentialStatus` array (see [`StatusIndices`]), whose entries must each make the
    /// credential valid on their own.
    fn check_schema(name: &str, vc: &Value) {
        let Err(error) = validate_credential(vc) else {
            return;
        };
        let SchemaError::Invalid { violations, .. } = &error else {
            panic!("{name}: {error}");
        };
        let entries = vc["credentialStatus"].as_array();
        assert!(
            entries.is_some() && violations.iter().all(|v| v.pointer == "/credentialStatus"),
            "{name}: {error}"
        );
        for entry in entries.into_iter().flatten() {
            let mut single = vc.clone();
            single["credentialStatus"] = entry.clone();
            validate_credential(&single).unwrap_or_else(|e| panic!("{name} with {entry}: {e}"));
        }
    }

    #[test]
    fn credentials_validate_and_canonicalise_for_every_pathway() {
        for pathway in &nhs().document().pathways {
            let vc = full_credential(pathway.code.as_str(), "did:example:issuer");
            check_schema(pathway.code.as_str(), &vc);
            Canonicalizer::standard()
                .canonicalize(&vc)
                .unwrap_or_else(|e| panic!("{}: {e}", pathway.code));
        }
        let minimal = minimal_credential(&nhs_achievement("foundational"));
        validate_credential(&minimal).expect("minimal credential validates");
        Canonicalizer::standard()
            .canonicalize(&minimal)
            .expect("minimal credential canonicalises");
    }

    /// Every pathway's award credential (full, and minimal) reads the same with its
    /// achievement prepared as read whole, and a credential signed either way is the same.
    #[test]
    fn prepared_achievements_sign_as_whole_readings_do() {
        let (context, credential_types, subject_types) = embedding_types();
        let key = SigningKey::generate().expect("key");
        let did = key.verifying_key().did_key();
        for pathway in &nhs().document().pathways {
            let vc = full_credential(pathway.code.as_str(), &did);
            let achievement = &vc["credentialSubject"]["achievement"];
            let prepared = Canonicalizer::standard()
                .prepare_achievement(&context, &credential_types, &subject_types, achievement)
                .unwrap_or_else(|e| panic!("{}: {e}", pathway.code));
            let canon = Canonicalizer::standard().clone().with_achievement(prepared);
            let minimal = minimal_credential(achievement);
            for doc in [&vc, &minimal] {
                assert!(canon.reads_prepared(doc), "{}", pathway.code);
                assert_eq!(
                    canon.canonicalize(doc),
                    Canonicalizer::standard().canonicalize(doc),
                    "{}",
                    pathway.code
                );
            }
            let mut options = ProofOptions::new(key.verifying_key().did_key_verification_method());
            options.created = Some("2026-11-28T09:30:00Z".into());
            let whole = sign(&vc, &key, &options).expect("signs");
            options.canonicalizer = canon.clone();
            assert_eq!(sign(&vc, &key, &options).expect("signs"), whole);
        }
    }

    #[test]
    fn signed_credentials_verify_and_tampering_is_caught() {
        let key = SigningKey::generate().expect("key");
        let did = key.verifying_key().did_key();
        let vc = full_credential("foundational", &did);
        let mut options = ProofOptions::new(key.verifying_key().did_key_verification_method());
        options.created = Some("2026-11-28T09:30:00Z".into());
        let signed = sign(&vc, &key, &options).expect("signs");
        check_schema("signed", &signed);
        let verified = verify_proofs(&signed, &StaticResolver::new(), Canonicalizer::standard())
            .expect("verifies");
        assert_eq!(verified.len(), 1);
        assert_eq!(verified[0].issuer_is_controller, Some(true));

        let mut tampered = signed.clone();
        tampered["credentialSubject"]["result"][0]["achievedLevel"] = json!(format!(
            "{}#levels-knowledge-understanding",
            achievement_id("foundational")
        ));
        assert!(
            verify_proofs(&tampered, &StaticResolver::new(), Canonicalizer::standard()).is_err()
        );
    }

    #[test]
    fn credential_shape() {
        let vc = full_credential("foundational", "did:example:issuer");
        assert_eq!(
            vc["@context"],
            json!([
                "https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
            ])
        );
        assert_eq!(
            vc["id"],
            "https://credence.example/credentials/12345678-0000-4000-8000-000000000000"
        );
        assert_eq!(
            vc["type"],
            json!(["VerifiableCredential", "OpenBadgeCredential"])
        );
        assert_eq!(vc["name"], "Foundational AI education");
        assert_eq!(
            vc["issuer"],
            json!({
                "id": "did:example:issuer",
                "type": ["Profile"],
                "name": "Health Education Example",
                "url": "https://hee.example/",
            })
        );
        assert_eq!(vc["validFrom"], "2026-11-28T09:30:00Z");
        assert_eq!(vc["validUntil"], "2029-11-28T09:30:00Z");

        let subject = &vc["credentialSubject"];
        assert_eq!(subject["type"], json!(["AchievementSubject"]));
        assert_eq!(
            subject["id"],
            "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
        );
        let identity = &subject["identifier"][0];
        assert_eq!(identity["identityType"], "emailAddress");
        assert_eq!(identity["hashed"], true);
        assert_eq!(identity["salt"], "c2FsdA");
        assert_eq!(
            identity["identityHash"],
            identity_hash("ada.lovelace@nhs.example", "c2FsdA")
        );
        let mut expected_achievement = nhs_achievement("foundational");
        expected_achievement["creator"]["id"] = json!("did:example:issuer");
        assert_eq!(subject["achievement"], expected_achievement);

        let results = subject["result"].as_array().expect("results");
        assert_eq!(results.len(), 30);
        let id = achievement_id("foundational");
        assert_eq!(
            results[0],
            json!({
                "type": ["Result"],
                "resultDescription": format!("{id}#levels-knowledge"),
                "achievedLevel": format!("{id}#levels-knowledge-awareness"),
                "alignment": [subject["achievement"]["alignment"][0]],
            })
        );
        // Every result names a level and a description the achievement defines.
        let descriptions = subject["achievement"]["resultDescription"]
            .as_array()
            .expect("descriptions");
        for result in results {
            let description = descriptions
                .iter()
                .find(|d| d["id"] == result["resultDescription"])
                .expect("description");
            assert!(description["rubricCriterionLevel"]
                .as_array()
                .expect("levels")
                .iter()
                .any(|l| l["id"] == result["achievedLevel"]));
        }

        assert_eq!(
            vc["evidence"],
            json!([
                {
                    "id": "https://credence.example/evidence/12345678-0000-4000-8000-000000000001",
                    "type": ["Evidence"],
                    "name": "Course completion: AI for clinicians",
                    "narrative": "Completed the *e-learning* module on 2026-10-01.",
                    "genre": "Course completion",
                },
                {
                    "id": "https://credence.example/evidence/12345678-0000-4000-8000-000000000002",
                    "type": ["Evidence"],
                    "name": "Workplace observation",
                },
                {
                    "id": "https://credence.example/credentials/00000000-0000-4000-8000-000000000009",
                    "type": ["Evidence"],
                    "name": "Renewed credential",
                    "description": "This credential renews the credential https://credence.example/credentials/00000000-0000-4000-8000-000000000009.",
                    "genre": "Renewal",
                },
            ])
        );
        assert_eq!(
            vc["credentialStatus"],
            json!([
                {
                    "id": "https://credence.example/orgs/hee/status/revocation#94567",
                    "type": "BitstringStatusListEntry",
                    "statusPurpose": "revocation",
                    "statusListIndex": "94567",
                    "statusListCredential": "https://credence.example/orgs/hee/status/revocation",
                },
                {
                    "id": "https://credence.example/orgs/hee/status/suspension#12",
                    "type": "BitstringStatusListEntry",
                    "statusPurpose": "suspension",
                    "statusListIndex": "12",
                    "statusListCredential": "https://credence.example/orgs/hee/status/suspension",
                },
            ])
        );
        // Deterministic.
        assert_eq!(vc, full_credential("foundational", "did:example:issuer"));
    }

    #[test]
    fn optional_parts_are_left_out() {
        let vc = minimal_credential(&nhs_achievement("foundational"));
        assert_eq!(vc["name"], "My badge");
        for absent in ["validUntil", "evidence"] {
            assert!(vc.get(absent).is_none(), "{absent}");
        }
        for absent in ["id", "result"] {
            assert!(vc["credentialSubject"].get(absent).is_none(), "{absent}");
        }
        assert_eq!(
            vc["credentialStatus"],
            json!({
                "id": "https://credence.example/orgs/hee/status/revocation#131071",
                "type": "BitstringStatusListEntry",
                "statusPurpose": "revocation",
                "statusListIndex": "131071",
                "statusListCredential": "https://credence.example/orgs/hee/status/revocation",
            })
        );
    }

    /// (statement, level) pairs and the problems expected, none for success.
    fn check_results(pathway_code: &str, achieved: &[(&str, &str)], expected: &[ResultProblem]) {
        let achieved: Vec<AchievedLevel> = achieved
            .iter()
            .map(|(s, l)| AchievedLevel {
                statement: StatementCode::new(*s).expect("statement"),
                level: LevelCode::new(*l).expect("level"),
            })
            .collect();
        let outcome = AwardResults::new(
            nhs(),
            pathway(pathway_code),
            BASE,
            &achievement_id(pathway_code),
            &achieved,
        );
        match outcome {
            Ok(results) => {
                assert!(expected.is_empty(), "expected {expected:?}");
                assert_eq!(results.len(), achieved.len());
            }
            Err(problems) => assert_eq!(problems, expected),
        }
    }

    #[test]
    fn results_are_checked_against_the_framework() {
        let s = |code: &str| StatementCode::new(code).expect("statement");
        let l = |code: &str| LevelCode::new(code).expect("level");
        check_results(
            "foundational",
            &[("T1-02", "understanding"), ("T1-01", "awareness")],
            &[],
        );
        check_results("advanced-creator", &[("A4-50", "awareness")], &[]);
        check_results(
            "foundational",
            &[("T9-99", "awareness")],
            &[ResultProblem::UnknownStatement(s("T9-99"))],
        );
        check_results(
            "foundational",
            &[("A4-01", "awareness")],
            &[ResultProblem::OtherPathway {
                statement: s("A4-01"),
                belongs_to: "advanced-creator".into(),
                pathway: "foundational".into(),
            }],
        );
        check_results(
            "foundational",
            &[("T1-01", "expert")],
            &[ResultProblem::UnknownLevel(l("expert"))],
        );
        check_results(
            "foundational",
            &[("T1-01", "proficiency")],
            &[ResultProblem::WrongTaxonomy {
                statement: s("T1-01"),
                taxonomy: "knowledge".into(),
                level: l("proficiency"),
            }],
        );
        check_results(
            "foundational",
            &[
                ("T1-01", "awareness"),
                ("T1-01", "familiarity"),
                ("T9-99", "awareness"),
            ],
            &[
                ResultProblem::Repeated(s("T1-01")),
                ResultProblem::UnknownStatement(s("T9-99")),
            ],
        );
        assert_eq!(
            ResultProblem::Repeated(s("T1-01")).to_string(),
            "Competency statement T1-01 is given more than one result."
        );
    }

    #[test]
    fn results_follow_the_pathway_order() {
        let id = achievement_id("foundational");
        let achieved =
            [("T1-03", "familiarity"), ("T1-01", "understanding")].map(|(s, l)| AchievedLevel {
                statement: StatementCode::new(s).expect("statement"),
                level: LevelCode::new(l).expect("level"),
            });
        let results =
            AwardResults::new(nhs(), pathway("foundational"), BASE, &id, &achieved).expect("valid");
        let codes: Vec<&Value> = results
            .as_slice()
            .iter()
            .map(|r| &r["alignment"][0]["targetCode"])
            .collect();
        assert_eq!(codes, [&json!("T1-01"), &json!("T1-03")]);
        assert_eq!(
            results.as_slice()[0]["achievedLevel"],
            format!("{id}#levels-knowledge-understanding")
        );
        let required = AwardResults::at_required_levels(
            nhs(),
            pathway("advanced-creator"),
            BASE,
            &achievement_id("advanced-creator"),
        );
        assert_eq!(required.len(), 51, "A4-50 has no level and is left out");
    }

    #[test]
    fn identity_hashes() {
        // sha256("ada@example.org" + "salt"), computed independently with sha256sum.
        let expected = "sha256$a014001d5b097167917a72429dd5a82f1753a805174e3d74f47086d6459b96a1";
        for email in ["ada@example.org", "Ada@Example.ORG", "  ada@example.org\n"] {
            assert_eq!(identity_hash(email, "salt"), expected, "{email:?}");
        }
        assert_ne!(identity_hash("ada@example.org", "pepper"), expected);
    }

    #[test]
    fn e_mail_matching() {
        let vc = minimal_credential(&nhs_achievement("foundational"));
        let subject = &vc["credentialSubject"];
        let check = |subject: &Value, email: &str, expected: bool| {
            assert_eq!(
                email_matches(subject, email),
                expected,
                "{email} in {subject}"
            );
        };
        check(subject, "ada@example.org", true);
        check(subject, " ADA@example.org ", true);
        check(subject, "bob@example.org", false);
        check(subject, "", false);
        let single = json!({"identifier": subject["identifier"][0]});
        check(&single, "ada@example.org", true);
        let plain = json!({"identifier": [{
            "type": "IdentityObject", "hashed": false,
            "identityHash": "Ada@Example.org", "identityType": "emailAddress"
        }]});
        check(&plain, "ada@example.org", true);
        let other_kind = json!({"identifier": [{
            "type": "IdentityObject", "hashed": false,
            "identityHash": "ada@example.org", "identityType": "sourcedId"
        }]});
        check(&other_kind, "ada@example.org", false);
        check(&json!({}), "ada@example.org", false);
        check(
            &json!({"identifier": "ada@example.org"}),
            "ada@example.org",
            false,
        );
        check(&json!({"identifier": [42, null]}), "ada@example.org", false);
    }

    #[test]
    fn urls() {
        assert_eq!(
            status_list_url("https://c.example/", "org-1", StatusPurpose::Suspension),
            "https://c.example/orgs/org-1/status/suspension"
        );
        assert_eq!(
            evidence_url("https://c.example", uuid(5)),
            "https://c.example/evidence/12345678-0000-4000-8000-000000000005"
        );
    }
}
