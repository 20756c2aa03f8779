//! Validation of credentials against the bundled 1EdTech Open Badges 3.0 JSON Schemas.
//!
//! The schemas live in `crates/credence-vc/schemas/` (see its README for their source) and
//! are compiled into the crate; nothing is fetched. They reference no other document, and the
//! validator is built offline, so a schema that did name a remote `$ref` would fail to
//! compile with an error naming it rather than reach the network. Each schema is compiled
//! once, on first use. `format` keywords (`date-time`, `uri`, ...) are checked too, so, for
//! example, an `activityStartDate` that is a bare date (as in the `ob3-interop` test
//! vector) is refused: OB 3.0 types it as DateTime.
//!
//! Every violation is reported with the JSON pointer of the offending value, such as
//! `/credentialSubject/achievement: "criteria" is a required property`.

use std::fmt;
use std::sync::OnceLock;

use jsonschema::{Draft, Validator};
use serde_json::Value;

/// A bundled 1EdTech schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SchemaKind {
    /// `ob_v3p0_achievementcredential_schema.json`: `OpenBadgeCredential` and
    /// `AchievementCredential`.
    AchievementCredential,
    /// `ob_v3p0_endorsementcredential_schema.json`: `EndorsementCredential`.
    EndorsementCredential,
    /// `ob_v3p0_profile_schema.json`: `Profile`.
    Profile,
}

const ALL: [SchemaKind; 3] = [
    SchemaKind::AchievementCredential,
    SchemaKind::EndorsementCredential,
    SchemaKind::Profile,
];

impl SchemaKind {
    /// The schema's `$id`, the URL 1EdTech publishes it at.
    pub fn id(self) -> &'static str {
        match self {
            SchemaKind::AchievementCredential => "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
            SchemaKind::EndorsementCredential => "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_endorsementcredential_schema.json",
            SchemaKind::Profile => "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_profile_schema.json",
        }
    }

    /// The bundled schema whose `$id` is `id`, as named by a credential's
    /// `credentialSchema`.
    pub fn from_id(id: &str) -> Option<Self> {
        ALL.into_iter().find(|kind| kind.id() == id)
    }

    /// The schema text.
    fn text(self) -> &'static str {
        match self {
            SchemaKind::AchievementCredential => {
                include_str!("../schemas/ob_v3p0_achievementcredential_schema.json")
            }
            SchemaKind::EndorsementCredential => {
                include_str!("../schemas/ob_v3p0_endorsementcredential_schema.json")
            }
            SchemaKind::Profile => include_str!("../schemas/ob_v3p0_profile_schema.json"),
        }
    }

    fn slot(self) -> &'static OnceLock<Result<Validator, String>> {
        static ACHIEVEMENT: OnceLock<Result<Validator, String>> = OnceLock::new();
        static ENDORSEMENT: OnceLock<Result<Validator, String>> = OnceLock::new();
        static PROFILE: OnceLock<Result<Validator, String>> = OnceLock::new();
        match self {
            SchemaKind::AchievementCredential => &ACHIEVEMENT,
            SchemaKind::EndorsementCredential => &ENDORSEMENT,
            SchemaKind::Profile => &PROFILE,
        }
    }

    /// The compiled validator, built on first use.
    fn validator(self) -> Result<&'static Validator, SchemaError> {
        self.slot()
            .get_or_init(|| {
                let schema: Value = serde_json::from_str(self.text()).map_err(|e| e.to_string())?;
                jsonschema::options()
                    .with_draft(Draft::Draft201909)
                    .should_validate_formats(true)
                    .offline()
                    .build(&schema)
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(|reason| SchemaError::BadSchema {
                schema: self,
                reason: reason.clone(),
            })
    }
}

impl fmt::Display for SchemaKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SchemaKind::AchievementCredential => "OB 3.0 AchievementCredential",
            SchemaKind::EndorsementCredential => "OB 3.0 EndorsementCredential",
            SchemaKind::Profile => "OB 3.0 Profile",
        })
    }
}

/// One way in which a document breaks a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The JSON pointer of the offending value (empty for the whole document).
    pub pointer: String,
    /// What is wrong, in the validator's words (shortened if very long).
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "(the document)"
        } else {
            &self.pointer
        };
        write!(f, "{pointer}: {}", self.message)
    }
}

/// Why a document did not validate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaError {
    /// The document breaks the schema.
    #[error("the document does not match the 1EdTech {schema} schema: {}", list(.violations))]
    Invalid {
        /// The schema used.
        schema: SchemaKind,
        /// Every violation, in the validator's order.
        violations: Vec<Violation>,
    },
    /// The document's `type` names no OB 3.0 credential.
    #[error("the document's type includes none of OpenBadgeCredential, AchievementCredential or EndorsementCredential, so no OB 3.0 schema applies")]
    UnknownType,
    /// A bundled schema could not be compiled (a build defect, not a document problem).
    #[error("the bundled {schema} schema could not be compiled: {reason}")]
    BadSchema {
        /// The schema.
        schema: SchemaKind,
        /// The compiler's message.
        reason: String,
    },
}

fn list(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(Violation::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

const MAX_MESSAGE_CHARS: usize = 300;

fn depth(pointer: &str) -> usize {
    pointer.matches('/').count()
}

/// Adds the violations behind `error`. The 1EdTech schemas wrap most properties in
/// `oneOf: [single value, array of values]`, whose own error only names the property. When
/// one alternative got deeper into the document than the error itself (the array form,
/// failing on one field of one element, say), its errors are reported instead, so that the
/// pointer names the offending field.
fn collect_violations(error: &jsonschema::ValidationError<'_>, out: &mut Vec<Violation>) {
    use jsonschema::error::ValidationErrorKind;
    let here = error.instance_path().to_string();
    if let ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } =
        error.kind()
    {
        let deepest = |branch: &Vec<jsonschema::ValidationError<'static>>| {
            branch
                .iter()
                .map(|e| depth(e.instance_path().as_str()))
                .max()
                .unwrap_or(0)
        };
        if let Some(branch) = context.iter().max_by_key(|branch| deepest(branch)) {
            if deepest(branch) > depth(&here) {
                for inner in branch {
                    collect_violations(inner, out);
                }
                return;
            }
        }
    }
    let mut message = error.to_string();
    if message.chars().count() > MAX_MESSAGE_CHARS {
        message = message.chars().take(MAX_MESSAGE_CHARS).collect::<String>() + "...";
    }
    out.push(Violation {
        pointer: here,
        message,
    });
}

/// Validates `document` against a bundled schema.
///
/// A deliberate deviation from the 1EdTech schemas: OB 3.0 allows one `credentialStatus`
/// and its schema wants an object, while VC 2.0 allows several, and Credence issues two
/// (revocation and suspension; 1EdTech's issue 623 proposes arrays for OB 3.1). When the
/// top-level `credentialStatus` is a non-empty array, each entry is validated on its own
/// against the schema's rule for `credentialStatus`, and a violation in entry `i` is
/// reported at `/credentialStatus/{i}/...`. Everything else is validated as written.
pub fn validate(schema: SchemaKind, document: &Value) -> Result<(), SchemaError> {
    let validator = schema.validator()?;
    let mut violations = Vec::new();
    match document.get("credentialStatus") {
        Some(Value::Array(entries)) if !entries.is_empty() => {
            for (i, entry) in entries.iter().enumerate() {
                let mut one = document.clone();
                one["credentialStatus"] = entry.clone();
                let mut found = Vec::new();
                for error in validator.iter_errors(&one) {
                    collect_violations(&error, &mut found);
                }
                for mut v in found {
                    if let Some(rest) = v.pointer.strip_prefix("/credentialStatus") {
                        v.pointer = format!("/credentialStatus/{i}{rest}");
                        violations.push(v);
                    } else if i == 0 {
                        // The rest of the document is reported once.
                        violations.push(v);
                    }
                }
            }
        }
        _ => {
            for error in validator.iter_errors(document) {
                collect_violations(&error, &mut violations);
            }
        }
    }
    if violations.is_empty() {
        Ok(())
    } else {
        Err(SchemaError::Invalid { schema, violations })
    }
}

/// The schema that applies to a credential, chosen by its `type`.
pub fn schema_for(credential: &Value) -> Result<SchemaKind, SchemaError> {
    let has = |wanted: &str| match credential.get("type") {
        Some(Value::String(t)) => t == wanted,
        Some(Value::Array(types)) => types.iter().any(|t| t.as_str() == Some(wanted)),
        _ => false,
    };
    if has("OpenBadgeCredential") || has("AchievementCredential") {
        Ok(SchemaKind::AchievementCredential)
    } else if has("EndorsementCredential") {
        Ok(SchemaKind::EndorsementCredential)
    } else {
        Err(SchemaError::UnknownType)
    }
}

/// Validates a credential against the schema its `type` calls for.
pub fn validate_credential(credential: &Value) -> Result<(), SchemaError> {
    validate(schema_for(credential)?, credential)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// (name, document, expected result: `None` valid, or the pointers that must be named)
    fn check(name: &str, document: &Value, expected: Option<&[&str]>) {
        let result = validate_credential(document);
        match (expected, result) {
            (None, Ok(())) => {}
            (None, Err(e)) => panic!("{name} should validate: {e}"),
            (Some(_), Ok(())) => panic!("{name} should not validate"),
            (Some(pointers), Err(SchemaError::Invalid { violations, .. })) => {
                for pointer in pointers {
                    assert!(
                        violations.iter().any(|v| v.pointer == *pointer),
                        "{name}: no violation at {pointer}: {violations:?}"
                    );
                }
            }
            (Some(_), Err(e)) => panic!("{name}: unexpected error {e}"),
        }
    }

    fn parse(text: &str) -> Value {
        serde_json::from_str(text).expect("test JSON")
    }

    /// Two status entries (revocation and suspension) as an array validate, each entry on
    /// its own; a bad entry is named by its position.
    #[test]
    fn credential_status_arrays_are_validated_per_entry() {
        let mut document = parse(include_str!(
            "../../../tests/vectors/1edtech-examples/basicOpenBadgeCredential.json"
        ));
        let entry = |purpose: &str, index: &str| {
            json!({
                "id": format!("https://example.org/status/{purpose}#{index}"),
                "type": "BitstringStatusListEntry",
                "statusPurpose": purpose,
                "statusListIndex": index,
                "statusListCredential": format!("https://example.org/status/{purpose}"),
            })
        };
        document["credentialStatus"] =
            json!([entry("revocation", "12"), entry("suspension", "40")]);
        check("two status entries", &document, None);
        document["credentialStatus"] = json!([entry("revocation", "12"), {"type": 7}]);
        check(
            "a bad second entry",
            &document,
            Some(&["/credentialStatus/1/type"]),
        );
        document["credentialStatus"] = entry("revocation", "12");
        check("one entry as an object", &document, None);
    }

    /// All seven 1EdTech specification examples validate.
    #[test]
    fn spec_examples_validate() {
        let examples = [
            (
                "achievementAlignmentCase",
                include_str!(
                    "../../../tests/vectors/1edtech-examples/achievementAlignmentCase.json"
                ),
            ),
            (
                "achievementAlignmentCe",
                include_str!("../../../tests/vectors/1edtech-examples/achievementAlignmentCe.json"),
            ),
            (
                "basicOpenBadgeCredential",
                include_str!(
                    "../../../tests/vectors/1edtech-examples/basicOpenBadgeCredential.json"
                ),
            ),
            (
                "endorsement",
                include_str!("../../../tests/vectors/1edtech-examples/endorsement.json"),
            ),
            (
                "fullOpenBadge",
                include_str!("../../../tests/vectors/1edtech-examples/fullOpenBadge.json"),
            ),
            (
                "skillAssertionCase",
                include_str!("../../../tests/vectors/1edtech-examples/skillAssertionCase.json"),
            ),
            (
                "skillAssertionCtdl",
                include_str!("../../../tests/vectors/1edtech-examples/skillAssertionCtdl.json"),
            ),
        ];
        for (name, text) in examples {
            check(name, &parse(text), None);
        }
    }

    /// The signed 1EdTech vector validates, proof included. The `ob3-interop` credential
    /// (signed or not) does not: its `activityStartDate` and `activityEndDate` are dates,
    /// while OB 3.0 types them as DateTime and the schema says `format: date-time`.
    #[test]
    fn other_vectors() {
        check(
            "1edtech-ob3/ob-signed",
            &parse(include_str!(
                "../../../tests/vectors/1edtech-ob3/ob-signed.json"
            )),
            None,
        );
        let interop = [
            include_str!("../../../tests/vectors/ob3-interop/ob3-unsigned.json"),
            include_str!("../../../tests/vectors/ob3-interop/ob3-signed-by-js.json"),
        ];
        for text in interop {
            let error = validate_credential(&parse(text)).expect_err("dates are not date-times");
            let SchemaError::Invalid { violations, .. } = error else {
                panic!("unexpected error {error}");
            };
            let pointers: Vec<&str> = violations.iter().map(|v| v.pointer.as_str()).collect();
            assert_eq!(
                pointers,
                [
                    "/credentialSubject/activityStartDate",
                    "/credentialSubject/activityEndDate"
                ]
            );
            assert!(violations[0].message.contains("is not a \"date-time\""));
        }
    }

    #[test]
    fn built_credentials_validate() {
        let vc = crate::model::tests::sample_credential().to_json();
        check("model-built credential", &vc, None);

        let mut with_list = vc.clone();
        with_list["credentialStatus"] = crate::status_list::status_list_entry(
            "https://credence.example/status/2",
            99,
            crate::status_list::StatusPurpose::Suspension,
        );
        check("credential with a suspension entry", &with_list, None);
    }

    #[test]
    fn broken_credentials_name_the_pointer() {
        let vc = crate::model::tests::sample_credential().to_json();
        let broken = |edit: &dyn Fn(&mut Value)| {
            let mut doc = vc.clone();
            edit(&mut doc);
            doc
        };
        let remove = |doc: &mut Value, parent: &str, key: &str| {
            if let Some(map) = doc.pointer_mut(parent).and_then(Value::as_object_mut) {
                map.remove(key);
            }
        };
        check(
            "no criteria",
            &broken(&|d| remove(d, "/credentialSubject/achievement", "criteria")),
            Some(&["/credentialSubject/achievement"]),
        );
        check(
            "no validFrom",
            &broken(&|d| remove(d, "", "validFrom")),
            Some(&[""]),
        );
        check(
            "validFrom not a date-time",
            &broken(&|d| d["validFrom"] = json!("yesterday")),
            Some(&["/validFrom"]),
        );
        check(
            "hashed not a boolean",
            &broken(&|d| d["credentialSubject"]["identifier"][0]["hashed"] = json!("yes")),
            Some(&["/credentialSubject/identifier/0/hashed"]),
        );
        check(
            "unknown property on an image",
            &broken(&|d| d["credentialSubject"]["achievement"]["image"]["width"] = json!(3)),
            Some(&["/credentialSubject/achievement/image"]),
        );
        check(
            "wrong first context",
            &broken(&|d| d["@context"][0] = json!("https://www.w3.org/2018/credentials/v1")),
            Some(&["/@context/0"]),
        );

        let error = validate_credential(&broken(&|d| {
            remove(d, "/credentialSubject/achievement", "criteria")
        }))
        .expect_err("invalid");
        let text = error.to_string();
        assert!(
            text.starts_with(
                "the document does not match the 1EdTech OB 3.0 AchievementCredential schema: /credentialSubject/achievement: "
            ),
            "{text}"
        );
        assert!(text.contains("criteria"), "{text}");
    }

    #[test]
    fn schema_choice() {
        let check = |doc: Value, expected: Result<SchemaKind, SchemaError>| {
            assert_eq!(schema_for(&doc), expected);
        };
        check(
            json!({"type": ["VerifiableCredential", "OpenBadgeCredential"]}),
            Ok(SchemaKind::AchievementCredential),
        );
        check(
            json!({"type": ["VerifiableCredential", "AchievementCredential"]}),
            Ok(SchemaKind::AchievementCredential),
        );
        check(
            json!({"type": ["VerifiableCredential", "EndorsementCredential"]}),
            Ok(SchemaKind::EndorsementCredential),
        );
        check(
            json!({"type": "VerifiableCredential"}),
            Err(SchemaError::UnknownType),
        );
        check(json!([]), Err(SchemaError::UnknownType));
        for kind in ALL {
            assert_eq!(SchemaKind::from_id(kind.id()), Some(kind));
            let schema: Value = serde_json::from_str(kind.text()).expect("schema JSON");
            assert_eq!(schema["$id"], kind.id());
            assert!(kind.validator().is_ok(), "{kind} compiles");
        }
        assert_eq!(SchemaKind::from_id("https://example.com/schema.json"), None);
    }

    #[test]
    fn profiles_validate() {
        let profile = crate::model::Profile::new("did:example:issuer", "Provider");
        let json = serde_json::to_value(&profile).expect("json");
        assert_eq!(validate(SchemaKind::Profile, &json), Ok(()));
        let err = validate(SchemaKind::Profile, &json!({"type": ["Profile"]})).expect_err("no id");
        assert!(
            err.to_string().contains("\"id\" is a required property"),
            "{err}"
        );
    }

    #[test]
    fn a_remote_ref_is_refused_offline() {
        let schema = json!({"$ref": "https://example.com/elsewhere.json"});
        let built = jsonschema::options()
            .with_draft(Draft::Draft201909)
            .offline()
            .build(&schema);
        assert!(built.is_err());
    }
}
