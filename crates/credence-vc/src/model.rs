//! Open Badges 3.0 data model: serde types for building credentials and reading them.
//!
//! **These types are for building and reading, never for re-serialising a signed document.**
//! A credential is signed over its exact JSON content; the signed JSON is always kept as a
//! `serde_json::Value` (or the bytes it came in) and is what gets stored, verified and
//! served. Reading a signed credential into these types and writing it back out may reorder
//! fields or drop what the types do not know, and would break the proof.
//!
//! Where a verifier must not lose information, the types keep fields they do not know in an
//! `extra` map (`#[serde(flatten)]`), so reading and writing an unsigned document is lossless
//! for the documents the 1EdTech examples cover. Numbers are kept as `serde_json::Number` so
//! that `3` does not become `3.0`. Values in JSON-LD value-object form
//! (`{"@value": ..., "@language": ...}`), which the JSON-LD schema variant allows in place of
//! strings, are not read by these types; work on the JSON for those.
//!
//! Properties that may hold one value or an array are [`OneOrMany`], and `type` is always
//! `OneOrMany<String>`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};
use sha2::{Digest, Sha256};

/// The VC 2.0 context, which comes first in every OB 3.0 credential.
pub const VC_V2_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";

/// The OB 3.0 context that Credence issues with (3.0.3, the latest).
pub const OB_V3_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

/// One value or an array of values, as JSON-LD allows for most properties.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    /// An array of values. (Tried first when reading, so that an array is never taken as
    /// one value of a type that can hold arrays, such as `serde_json::Value`.)
    Many(Vec<T>),
    /// A single value, written without brackets.
    One(T),
}

impl<T> Default for OneOrMany<T> {
    fn default() -> Self {
        OneOrMany::Many(Vec::new())
    }
}

impl<T> From<T> for OneOrMany<T> {
    fn from(value: T) -> Self {
        OneOrMany::One(value)
    }
}

impl<T> From<Vec<T>> for OneOrMany<T> {
    fn from(values: Vec<T>) -> Self {
        OneOrMany::Many(values)
    }
}

impl<T> OneOrMany<T> {
    /// The values as a slice, whichever form they were in.
    pub fn as_slice(&self) -> &[T] {
        match self {
            OneOrMany::One(value) => std::slice::from_ref(value),
            OneOrMany::Many(values) => values,
        }
    }

    /// Iterates over the values.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.as_slice().iter()
    }

    /// The first value, if any.
    pub fn first(&self) -> Option<&T> {
        self.as_slice().first()
    }

    /// How many values there are.
    pub fn len(&self) -> usize {
        self.as_slice().len()
    }

    /// Whether there are no values (only possible as an empty array).
    pub fn is_empty(&self) -> bool {
        self.as_slice().is_empty()
    }
}

impl OneOrMany<String> {
    /// Whether one of the values is `wanted` (used for `type`).
    pub fn contains(&self, wanted: &str) -> bool {
        self.iter().any(|v| v == wanted)
    }

    /// A list of strings, written as an array.
    pub fn strings(values: &[&str]) -> Self {
        OneOrMany::Many(values.iter().map(|v| (*v).to_owned()).collect())
    }
}

impl<'a, T> IntoIterator for &'a OneOrMany<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// A Data Integrity (or other) proof, kept as the JSON object it is: proofs are created and
/// checked by the proof module on the JSON, never through this model.
pub type Proof = Map<String, Value>;

/// The default `@context` of an OB 3.0 credential: VC 2.0, then OB 3.0.3.
fn ob_context() -> Vec<Value> {
    vec![
        Value::String(VC_V2_CONTEXT.into()),
        Value::String(OB_V3_CONTEXT.into()),
    ]
}

/// An `OpenBadgeCredential` (or, with the same shape, an `AchievementCredential`): an
/// issuer's assertion that a subject earned an achievement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenBadgeCredential {
    /// The JSON-LD contexts: VC 2.0 first, then an OB 3.0 context.
    #[serde(rename = "@context")]
    pub context: Vec<Value>,
    /// The credential's identifier, a URI (often `urn:uuid:...`).
    pub id: String,
    /// Includes `VerifiableCredential` and `OpenBadgeCredential` or `AchievementCredential`.
    #[serde(rename = "type")]
    pub type_: OneOrMany<String>,
    /// A name for the credential, for display.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A description of the credential.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// An image representing the credential.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    /// When the achievement was awarded (may differ from `validFrom`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub awarded_date: Option<String>,
    /// The recipient and what they achieved.
    pub credential_subject: AchievementSubject,
    /// Endorsements of this credential, kept as JSON because they are signed documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endorsement: Option<OneOrMany<Value>>,
    /// Endorsements in JWT compact form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endorsement_jwt: Option<OneOrMany<String>>,
    /// The issuer: a URI or a profile.
    pub issuer: ProfileRef,
    /// When the credential becomes valid (an XML Schema dateTime with a time zone).
    pub valid_from: String,
    /// When the credential stops being valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
    /// Proofs, opaque here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proof: Option<OneOrMany<Proof>>,
    /// Schemas the credential claims to follow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_schema: Option<OneOrMany<CredentialSchema>>,
    /// Where to check whether the credential is revoked or suspended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_status: Option<OneOrMany<CredentialStatus>>,
    /// A service to refresh the credential, opaque here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_service: Option<Value>,
    /// Terms of use, opaque here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms_of_use: Option<OneOrMany<Value>>,
    /// Evidence supporting the award.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<OneOrMany<Evidence>>,
    /// Properties these types do not know, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An `AchievementCredential` has the same shape as an [`OpenBadgeCredential`].
pub type AchievementCredential = OpenBadgeCredential;

impl OpenBadgeCredential {
    /// A new, unsigned credential with the VC 2.0 and OB 3.0.3 contexts and the types
    /// `VerifiableCredential` and `OpenBadgeCredential`.
    pub fn new(
        id: impl Into<String>,
        issuer: ProfileRef,
        valid_from: impl Into<String>,
        credential_subject: AchievementSubject,
    ) -> Self {
        OpenBadgeCredential {
            context: ob_context(),
            id: id.into(),
            type_: OneOrMany::strings(&["VerifiableCredential", "OpenBadgeCredential"]),
            name: None,
            description: None,
            image: None,
            awarded_date: None,
            credential_subject,
            endorsement: None,
            endorsement_jwt: None,
            issuer,
            valid_from: valid_from.into(),
            valid_until: None,
            proof: None,
            credential_schema: None,
            credential_status: None,
            refresh_service: None,
            terms_of_use: None,
            evidence: None,
            extra: Map::new(),
        }
    }

    /// The credential as JSON, ready to be signed.
    pub fn to_json(&self) -> Value {
        // Serialising these types cannot fail: every map key is a string.
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// An `EndorsementCredential`: a third party's signed comment on an issuer, achievement or
/// credential.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndorsementCredential {
    /// The JSON-LD contexts.
    #[serde(rename = "@context")]
    pub context: Vec<Value>,
    /// The credential's identifier.
    pub id: String,
    /// Includes `VerifiableCredential` and `EndorsementCredential`.
    #[serde(rename = "type")]
    pub type_: OneOrMany<String>,
    /// A name for the endorsement.
    pub name: String,
    /// A description of the endorsement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// What is endorsed, and the comment.
    pub credential_subject: EndorsementSubject,
    /// When the endorsement was awarded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub awarded_date: Option<String>,
    /// The endorser.
    pub issuer: ProfileRef,
    /// When the endorsement becomes valid.
    pub valid_from: String,
    /// When the endorsement stops being valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
    /// Proofs, opaque here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proof: Option<OneOrMany<Proof>>,
    /// Schemas the endorsement claims to follow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_schema: Option<OneOrMany<CredentialSchema>>,
    /// Where to check whether the endorsement is revoked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_status: Option<OneOrMany<CredentialStatus>>,
    /// A refresh service, opaque here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_service: Option<Value>,
    /// Terms of use, opaque here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms_of_use: Option<OneOrMany<Value>>,
    /// Evidence for the endorsement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<OneOrMany<Evidence>>,
    /// Properties these types do not know, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl EndorsementCredential {
    /// A new, unsigned endorsement with the VC 2.0 and OB 3.0.3 contexts.
    pub fn new(
        id: impl Into<String>,
        name: impl Into<String>,
        issuer: ProfileRef,
        valid_from: impl Into<String>,
        credential_subject: EndorsementSubject,
    ) -> Self {
        EndorsementCredential {
            context: ob_context(),
            id: id.into(),
            type_: OneOrMany::strings(&["VerifiableCredential", "EndorsementCredential"]),
            name: name.into(),
            description: None,
            credential_subject,
            awarded_date: None,
            issuer,
            valid_from: valid_from.into(),
            valid_until: None,
            proof: None,
            credential_schema: None,
            credential_status: None,
            refresh_service: None,
            terms_of_use: None,
            evidence: None,
            extra: Map::new(),
        }
    }

    /// The endorsement as JSON, ready to be signed.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// The subject of an endorsement: the thing endorsed and the endorser's comment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndorsementSubject {
    /// The URI of what is endorsed.
    pub id: String,
    /// Includes `EndorsementSubject`.
    #[serde(rename = "type")]
    pub type_: OneOrMany<String>,
    /// The endorser's comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endorsement_comment: Option<String>,
    /// Properties these types do not know, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An issuer (or creator, or endorser) given either by its URI or as a full profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ProfileRef {
    /// Just the profile's URI, such as a DID.
    Id(String),
    /// The profile itself.
    Profile(Box<Profile>),
}

impl ProfileRef {
    /// The profile's URI, whichever form it is in.
    pub fn id(&self) -> &str {
        match self {
            ProfileRef::Id(id) => id,
            ProfileRef::Profile(profile) => &profile.id,
        }
    }
}

/// A `Profile`: an organisation or person that issues, creates or endorses.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    /// The profile's URI, such as the issuer's DID.
    pub id: String,
    /// Includes `Profile`.
    #[serde(rename = "type")]
    pub type_: OneOrMany<String>,
    /// The name of the organisation or person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A home page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// A telephone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Endorsements of this profile, kept as JSON because they are signed documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endorsement: Option<OneOrMany<Value>>,
    /// Endorsements in JWT compact form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endorsement_jwt: Option<OneOrMany<String>>,
    /// A logo or portrait.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    /// A contact e-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// A postal address, opaque here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Value>,
    /// Other identifiers of the profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_identifier: Option<OneOrMany<IdentifierEntry>>,
    /// Who holds this profile officially, if it is an office.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub official: Option<String>,
    /// The parent organisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_org: Option<Box<Profile>>,
    /// A person's family name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    /// A person's given name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    /// A person's additional name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_name: Option<String>,
    /// A person's patronymic name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patronymic_name: Option<String>,
    /// An honorific prefix, such as "Dr".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub honorific_prefix: Option<String>,
    /// An honorific suffix, such as "PhD".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub honorific_suffix: Option<String>,
    /// A family name prefix, such as "van".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_name_prefix: Option<String>,
    /// A person's date of birth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<String>,
    /// Properties these types do not know, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Profile {
    /// A profile with type `Profile`, an id and a name.
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        Profile {
            id: id.into(),
            type_: OneOrMany::strings(&["Profile"]),
            name: Some(name.into()),
            ..Profile::default()
        }
    }
}

/// An `IdentifierEntry`: another identifier of a profile or achievement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentifierEntry {
    /// `IdentifierEntry`.
    #[serde(rename = "type")]
    pub type_: String,
    /// The identifier.
    pub identifier: String,
    /// What kind of identifier it is, such as `sourcedId` or `ext:...`.
    pub identifier_type: String,
}

/// An `Image`: a URI (or data URI) and an optional caption.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Image {
    /// The image's URI or `data:` URI.
    pub id: String,
    /// `Image`.
    #[serde(rename = "type")]
    pub type_: String,
    /// A caption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
}

impl Image {
    /// An image with type `Image` and no caption.
    pub fn new(id: impl Into<String>) -> Self {
        Image {
            id: id.into(),
            type_: "Image".into(),
            caption: None,
        }
    }
}

/// An `Achievement`: what is awarded, with its criteria.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Achievement {
    /// The achievement's URI.
    pub id: String,
    /// Includes `Achievement`.
    #[serde(rename = "type")]
    pub type_: OneOrMany<String>,
    /// Alignments to competency statements or frameworks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alignment: Option<OneOrMany<Alignment>>,
    /// The kind of achievement, such as `Badge`, `Certificate` or `ext:...`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub achievement_type: Option<String>,
    /// Who created the achievement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creator: Option<Box<Profile>>,
    /// Credits available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credits_available: Option<Number>,
    /// What a person must do to earn the achievement.
    pub criteria: Criteria,
    /// A description.
    pub description: String,
    /// Endorsements, kept as JSON because they are signed documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endorsement: Option<OneOrMany<Value>>,
    /// Endorsements in JWT compact form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endorsement_jwt: Option<OneOrMany<String>>,
    /// A field of study.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_of_study: Option<String>,
    /// A code for people, such as a course code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub human_code: Option<String>,
    /// The badge image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    /// The language of the achievement's text (BCP 47).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_language: Option<String>,
    /// The achievement's name.
    pub name: String,
    /// Other identifiers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_identifier: Option<OneOrMany<IdentifierEntry>>,
    /// Related achievements, opaque here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub related: Option<OneOrMany<Value>>,
    /// How results are described: levels of a rubric, grades, and so on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_description: Option<OneOrMany<ResultDescription>>,
    /// A specialisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub specialization: Option<String>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<OneOrMany<String>>,
    /// A version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Properties these types do not know, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Achievement {
    /// An achievement with type `Achievement`, a name, a description and a criteria
    /// narrative.
    pub fn new(
        id: impl Into<String>,
        name: impl Into<String>,
        description: impl Into<String>,
        criteria_narrative: impl Into<String>,
    ) -> Self {
        Achievement {
            id: id.into(),
            type_: OneOrMany::strings(&["Achievement"]),
            name: name.into(),
            description: description.into(),
            criteria: Criteria {
                id: None,
                narrative: Some(criteria_narrative.into()),
                extra: Map::new(),
            },
            ..Achievement::default()
        }
    }
}

/// `Criteria`: a URI and/or a narrative (Markdown) of what earns an achievement.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Criteria {
    /// A page describing the criteria.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The criteria, in Markdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub narrative: Option<String>,
    /// Properties these types do not know, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An `Alignment` to a node of an educational framework, such as a competency statement.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Alignment {
    /// Includes `Alignment`.
    #[serde(rename = "type")]
    pub type_: OneOrMany<String>,
    /// The node's code in the framework.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_code: Option<String>,
    /// A description of the node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_description: Option<String>,
    /// The node's name.
    pub target_name: String,
    /// The framework's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_framework: Option<String>,
    /// The kind of node, such as `CFItem` or `ext:...`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_type: Option<String>,
    /// The node's URL.
    pub target_url: String,
    /// Properties these types do not know, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Alignment {
    /// An alignment with type `Alignment`, a name and a URL.
    pub fn new(target_name: impl Into<String>, target_url: impl Into<String>) -> Self {
        Alignment {
            type_: OneOrMany::strings(&["Alignment"]),
            target_name: target_name.into(),
            target_url: target_url.into(),
            ..Alignment::default()
        }
    }
}

/// A `ResultDescription`: how one kind of result of an achievement is expressed, such as
/// the levels of a rubric.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResultDescription {
    /// The description's URI, referred to by results.
    pub id: String,
    /// Includes `ResultDescription`.
    #[serde(rename = "type")]
    pub type_: OneOrMany<String>,
    /// Alignments of this result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alignment: Option<OneOrMany<Alignment>>,
    /// The values a result may take.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_value: Option<OneOrMany<String>>,
    /// A name, such as "Final grade".
    pub name: String,
    /// The `id` of the rubric level required to earn the achievement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_level: Option<String>,
    /// The value required to earn the achievement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_value: Option<String>,
    /// The kind of result, such as `RubricCriterionLevel` or `GradePointAverage`.
    pub result_type: String,
    /// The levels of the rubric.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rubric_criterion_level: Option<OneOrMany<RubricCriterionLevel>>,
    /// The largest allowed value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_max: Option<String>,
    /// The smallest allowed value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_min: Option<String>,
    /// Properties these types do not know, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A `RubricCriterionLevel`: one level of a rubric, such as a taxonomy level.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RubricCriterionLevel {
    /// The level's URI, referred to by `achievedLevel` and `requiredLevel`.
    pub id: String,
    /// Includes `RubricCriterionLevel`.
    #[serde(rename = "type")]
    pub type_: OneOrMany<String>,
    /// Alignments of this level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alignment: Option<OneOrMany<Alignment>>,
    /// A description of the level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The level, as text (such as "2").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// The level's name.
    pub name: String,
    /// Points for this level, as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<String>,
    /// Properties these types do not know, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl RubricCriterionLevel {
    /// A level with type `RubricCriterionLevel`.
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        RubricCriterionLevel {
            id: id.into(),
            type_: OneOrMany::strings(&["RubricCriterionLevel"]),
            name: name.into(),
            ..RubricCriterionLevel::default()
        }
    }
}

/// An `AchievementSubject`: the recipient, what they achieved, and their results.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AchievementSubject {
    /// The recipient's URI, such as a DID, if they have one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Includes `AchievementSubject`.
    #[serde(rename = "type")]
    pub type_: OneOrMany<String>,
    /// When the activity ended (a date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity_end_date: Option<String>,
    /// When the activity started (a date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity_start_date: Option<String>,
    /// Credits earned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credits_earned: Option<Number>,
    /// What was achieved.
    pub achievement: Achievement,
    /// Identities of the recipient, such as a hashed e-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<OneOrMany<IdentityObject>>,
    /// An image for this recipient's award.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    /// A licence number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_number: Option<String>,
    /// A narrative of how this recipient earned the achievement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub narrative: Option<String>,
    /// The recipient's results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<OneOrMany<AchievementResult>>,
    /// The recipient's role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The organisation that assessed the recipient, if not the issuer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Box<Profile>>,
    /// The academic term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term: Option<String>,
    /// Properties these types do not know, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl AchievementSubject {
    /// A subject with type `AchievementSubject` for `achievement`.
    pub fn new(achievement: Achievement) -> Self {
        AchievementSubject {
            type_: OneOrMany::strings(&["AchievementSubject"]),
            achievement,
            ..AchievementSubject::default()
        }
    }
}

/// An `IdentityObject`: an identity of the recipient, usually a salted, hashed e-mail
/// address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentityObject {
    /// `IdentityObject`.
    #[serde(rename = "type")]
    pub type_: String,
    /// Whether `identity_hash` is a hash (true) or the identity in plain text (false).
    pub hashed: bool,
    /// `sha256$` and the hex SHA-256 of the identity followed by the salt, or the identity.
    pub identity_hash: String,
    /// The kind of identity, such as `emailAddress`.
    pub identity_type: String,
    /// The salt appended to the identity before hashing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salt: Option<String>,
}

/// Normalises an e-mail address for hashing: surrounding white space removed, lowercased.
fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

fn sha256_identity(identity: &str, salt: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(identity.as_bytes());
    hasher.update(salt.as_bytes());
    format!("sha256${}", hex::encode(hasher.finalize()))
}

impl IdentityObject {
    /// A hashed e-mail identity: `identityHash` is `sha256$` followed by the lowercase hex
    /// SHA-256 of the e-mail address and then the salt, `hashed` is true, `identityType` is
    /// `emailAddress`.
    ///
    /// The address is normalised first: white space around it is removed and it is
    /// lowercased (the whole address, local part included, because people type their
    /// address in any case). [`IdentityObject::matches_email`] normalises the same way.
    pub fn hashed_email(email: &str, salt: &str) -> Self {
        IdentityObject {
            type_: "IdentityObject".into(),
            hashed: true,
            identity_hash: sha256_identity(&normalise_email(email), salt),
            identity_type: "emailAddress".into(),
            salt: Some(salt.into()),
        }
    }

    /// Whether this identity is the e-mail address `email`, normalised as in
    /// [`IdentityObject::hashed_email`]. A hashed identity is compared by hash (a missing
    /// salt counts as empty; the hex digits may be in either case); a plain one by text.
    /// Identities of other types never match.
    pub fn matches_email(&self, email: &str) -> bool {
        if self.identity_type != "emailAddress" {
            return false;
        }
        let email = normalise_email(email);
        if !self.hashed {
            return normalise_email(&self.identity_hash) == email;
        }
        let expected = sha256_identity(&email, self.salt.as_deref().unwrap_or(""));
        self.identity_hash.eq_ignore_ascii_case(&expected)
    }
}

/// A `Result` (the OB 3.0 class; named so as not to shadow `std::result::Result`): one
/// result of the recipient, such as the rubric level achieved.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AchievementResult {
    /// Includes `Result`.
    #[serde(rename = "type")]
    pub type_: OneOrMany<String>,
    /// The `id` of the [`RubricCriterionLevel`] achieved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub achieved_level: Option<String>,
    /// Alignments of this result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alignment: Option<OneOrMany<Alignment>>,
    /// The `id` of the [`ResultDescription`] this result follows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_description: Option<String>,
    /// A status, such as `Completed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The value, such as a grade.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Properties these types do not know, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl AchievementResult {
    /// A result with type `Result` naming the description and the level achieved.
    pub fn level(result_description: impl Into<String>, achieved_level: impl Into<String>) -> Self {
        AchievementResult {
            type_: OneOrMany::strings(&["Result"]),
            result_description: Some(result_description.into()),
            achieved_level: Some(achieved_level.into()),
            ..AchievementResult::default()
        }
    }
}

/// `Evidence` supporting an award: a URI and/or a narrative.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    /// A URL of the evidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Includes `Evidence`.
    #[serde(rename = "type")]
    pub type_: OneOrMany<String>,
    /// A narrative, in Markdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub narrative: Option<String>,
    /// A name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The kind of evidence, such as "Research".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub genre: Option<String>,
    /// Who the evidence is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
    /// Properties these types do not know, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Evidence {
    /// Evidence with type `Evidence` at `id`.
    pub fn new(id: impl Into<String>) -> Self {
        Evidence {
            id: Some(id.into()),
            type_: OneOrMany::strings(&["Evidence"]),
            ..Evidence::default()
        }
    }
}

/// A `credentialSchema` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialSchema {
    /// The schema's URI.
    pub id: String,
    /// The kind of schema, such as `1EdTechJsonSchemaValidator2019`.
    #[serde(rename = "type")]
    pub type_: String,
    /// Properties these types do not know, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A `credentialStatus` entry: a Bitstring Status List entry, or another kind kept as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CredentialStatus {
    /// A `BitstringStatusListEntry`.
    Bitstring(BitstringStatusListEntry),
    /// Another kind of status (such as the older `1EdTechRevocationList`).
    Other(Map<String, Value>),
}

/// A `BitstringStatusListEntry`: the place of a credential in a status list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BitstringStatusListEntry {
    /// `{statusListCredential}#{statusListIndex}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `BitstringStatusListEntry`.
    #[serde(rename = "type")]
    pub type_: BitstringStatusListEntryType,
    /// `revocation` or `suspension` (other purposes are kept as text).
    pub status_purpose: String,
    /// The index in the list, as a decimal string.
    pub status_list_index: String,
    /// The URL of the `BitstringStatusListCredential`.
    pub status_list_credential: String,
    /// Bits per entry; absent means 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_size: Option<u32>,
    /// Properties these types do not know, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The `type` of a [`BitstringStatusListEntry`]: only the string
/// `"BitstringStatusListEntry"` is accepted, so other kinds of status fall through to
/// [`CredentialStatus::Other`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BitstringStatusListEntryType;

impl Serialize for BitstringStatusListEntryType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str("BitstringStatusListEntry")
    }
}

impl<'de> Deserialize<'de> for BitstringStatusListEntryType {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        if s == "BitstringStatusListEntry" {
            Ok(BitstringStatusListEntryType)
        } else {
            Err(serde::de::Error::custom(format!(
                "expected type BitstringStatusListEntry, found {s:?}"
            )))
        }
    }
}

impl BitstringStatusListEntry {
    /// The entry for index `index` of the list at `list_url`, with `id`
    /// `{list_url}#{index}`.
    pub fn new(
        list_url: impl Into<String>,
        index: usize,
        purpose: crate::status_list::StatusPurpose,
    ) -> Self {
        let list_url = list_url.into();
        BitstringStatusListEntry {
            id: Some(format!("{list_url}#{index}")),
            type_: BitstringStatusListEntryType,
            status_purpose: purpose.as_str().into(),
            status_list_index: index.to_string(),
            status_list_credential: list_url,
            status_size: None,
            extra: Map::new(),
        }
    }
}

/// A `BitstringStatusListCredential`: a published status list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BitstringStatusListCredential {
    /// The JSON-LD contexts (VC 2.0).
    #[serde(rename = "@context")]
    pub context: Vec<Value>,
    /// The list's URL.
    pub id: String,
    /// Includes `VerifiableCredential` and `BitstringStatusListCredential`.
    #[serde(rename = "type")]
    pub type_: OneOrMany<String>,
    /// The issuer of the list, who is the issuer of the credentials in it.
    pub issuer: ProfileRef,
    /// When this version of the list becomes valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<String>,
    /// When this version of the list stops being valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
    /// The list itself.
    pub credential_subject: BitstringStatusList,
    /// Proofs, opaque here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proof: Option<OneOrMany<Proof>>,
    /// Properties these types do not know, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The subject of a [`BitstringStatusListCredential`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BitstringStatusList {
    /// `{list URL}#list`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `BitstringStatusList`.
    #[serde(rename = "type")]
    pub type_: OneOrMany<String>,
    /// `revocation` or `suspension`.
    pub status_purpose: String,
    /// The GZIP-compressed, multibase base64url bitstring.
    pub encoded_list: String,
    /// How long, in milliseconds, the list may be cached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<u64>,
    /// Properties these types do not know, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::json;

    const EXAMPLES: &[(&str, &str)] = &[
        (
            "achievementAlignmentCase",
            include_str!("../../../tests/vectors/1edtech-examples/achievementAlignmentCase.json"),
        ),
        (
            "achievementAlignmentCe",
            include_str!("../../../tests/vectors/1edtech-examples/achievementAlignmentCe.json"),
        ),
        (
            "basicOpenBadgeCredential",
            include_str!("../../../tests/vectors/1edtech-examples/basicOpenBadgeCredential.json"),
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
        (
            "ob3-interop/ob3-unsigned",
            include_str!("../../../tests/vectors/ob3-interop/ob3-unsigned.json"),
        ),
        (
            "ob3-interop/ob3-signed-by-js",
            include_str!("../../../tests/vectors/ob3-interop/ob3-signed-by-js.json"),
        ),
        (
            "1edtech-ob3/ob-signed",
            include_str!("../../../tests/vectors/1edtech-ob3/ob-signed.json"),
        ),
    ];

    /// Reading each credential into the model and writing it back gives the same JSON.
    #[test]
    fn examples_round_trip_losslessly() {
        for (name, text) in EXAMPLES {
            let original: Value = serde_json::from_str(text).expect(name);
            let credential: OpenBadgeCredential =
                serde_json::from_value(original.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(credential.to_json(), original, "{name}");
            assert!(
                credential.type_.contains("OpenBadgeCredential")
                    || credential.type_.contains("AchievementCredential"),
                "{name}"
            );
        }
    }

    #[test]
    fn endorsement_round_trips() {
        let text = include_str!("../../../tests/vectors/1edtech-examples/endorsement.json");
        let original: Value = serde_json::from_str(text).expect("json");
        let endorsement: EndorsementCredential =
            serde_json::from_value(original.clone()).expect("reads");
        assert_eq!(endorsement.to_json(), original);
        assert!(endorsement.type_.contains("EndorsementCredential"));
    }

    #[test]
    fn interop_credential_is_read_in_detail() {
        let text = include_str!("../../../tests/vectors/ob3-interop/ob3-unsigned.json");
        let vc: OpenBadgeCredential = serde_json::from_str(text).expect("reads");
        assert_eq!(
            vc.issuer.id(),
            "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
        );
        let subject = &vc.credential_subject;
        assert_eq!(subject.credits_earned, Some(Number::from(3)));
        let levels: Vec<&str> = subject
            .achievement
            .result_description
            .iter()
            .flatten()
            .flat_map(|d| d.rubric_criterion_level.iter().flatten())
            .map(|l| l.name.as_str())
            .collect();
        assert_eq!(levels, ["Proficient", "Expert"]);
        let result = subject.result.as_ref().and_then(|r| r.first());
        assert_eq!(
            result.and_then(|r| r.achieved_level.as_deref()),
            Some("urn:uuid:d9d8a4b3-0a53-4b0b-9d5b-2a3e7b7e4c21")
        );
        let status = vc.credential_status.as_ref().and_then(|s| s.first());
        match status {
            Some(CredentialStatus::Bitstring(entry)) => {
                assert_eq!(entry.status_list_index, "94567");
                assert_eq!(
                    entry,
                    &BitstringStatusListEntry::new(
                        "https://badges.example.edu/status/3",
                        94567,
                        crate::status_list::StatusPurpose::Revocation
                    )
                );
            }
            other => panic!("expected a bitstring entry, got {other:?}"),
        }
    }

    #[test]
    fn one_or_many() {
        let check = |json: Value, expected_len: usize, is_many: bool| {
            let parsed: OneOrMany<Value> = serde_json::from_value(json.clone()).expect("reads");
            assert_eq!(parsed.len(), expected_len, "{json}");
            assert_eq!(matches!(parsed, OneOrMany::Many(_)), is_many, "{json}");
            assert_eq!(serde_json::to_value(&parsed).expect("writes"), json);
        };
        check(json!([1, 2]), 2, true);
        check(json!([]), 0, true);
        check(json!([[1], [2, 3]]), 2, true);
        check(json!({"a": 1}), 1, false);
        check(json!("x"), 1, false);
        let types: OneOrMany<String> = serde_json::from_value(json!("Profile")).expect("reads");
        assert!(types.contains("Profile"));
        let alignments: OneOrMany<Alignment> = serde_json::from_value(json!([
            {"type": "Alignment", "targetName": "a", "targetUrl": "https://a.example"},
            {"type": ["Alignment"], "targetName": "b", "targetUrl": "https://b.example"}
        ]))
        .expect("reads");
        let names: Vec<&str> = alignments.iter().map(|a| a.target_name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
    }

    #[test]
    fn legacy_status_falls_through_to_other() {
        let status: CredentialStatus = serde_json::from_value(json!({
            "id": "https://example.edu/revocation",
            "type": "1EdTechRevocationList"
        }))
        .expect("reads");
        assert!(matches!(status, CredentialStatus::Other(_)));
    }

    #[test]
    fn hashed_email_identities() {
        // (e-mail to hash, salt, e-mail to test, expected match)
        let check = |email: &str, salt: &str, candidate: &str, expected: bool| {
            let identity = IdentityObject::hashed_email(email, salt);
            assert!(identity.identity_hash.starts_with("sha256$"));
            assert_eq!(identity.identity_hash.len(), 7 + 64);
            assert_eq!(
                identity.matches_email(candidate),
                expected,
                "{email} / {candidate}"
            );
        };
        check("ada@example.org", "salt", "ada@example.org", true);
        check("Ada@Example.org", "salt", "  ada@example.ORG\n", true);
        check("ada@example.org", "salt", "bob@example.org", false);
        check("ada@example.org", "", "ada@example.org", true);

        // sha256("ada@example.org" + "salt"), computed independently with sha256sum.
        let identity = IdentityObject::hashed_email(" ADA@example.org ", "salt");
        assert_eq!(
            identity.identity_hash,
            "sha256$a014001d5b097167917a72429dd5a82f1753a805174e3d74f47086d6459b96a1"
        );
        assert_eq!(
            serde_json::to_value(&identity).expect("json"),
            json!({
                "type": "IdentityObject",
                "hashed": true,
                "identityHash": identity.identity_hash,
                "identityType": "emailAddress",
                "salt": "salt"
            })
        );

        let mut upper = identity.clone();
        upper.identity_hash = upper
            .identity_hash
            .to_uppercase()
            .replace("SHA256$", "sha256$");
        assert!(upper.matches_email("ada@example.org"));
        let mut different_salt = identity.clone();
        different_salt.salt = Some("pepper".into());
        assert!(!different_salt.matches_email("ada@example.org"));
        let plain = IdentityObject {
            type_: "IdentityObject".into(),
            hashed: false,
            identity_hash: "Ada@Example.org".into(),
            identity_type: "emailAddress".into(),
            salt: None,
        };
        assert!(plain.matches_email("ada@example.org"));
        let mut other_type = identity;
        other_type.identity_type = "sourcedId".into();
        assert!(!other_type.matches_email("ada@example.org"));
    }

    #[test]
    fn built_credential_has_the_expected_shape() {
        let vc = sample_credential();
        let json = vc.to_json();
        assert_eq!(json["@context"], json!([VC_V2_CONTEXT, OB_V3_CONTEXT]));
        assert_eq!(
            json["type"],
            json!(["VerifiableCredential", "OpenBadgeCredential"])
        );
        assert_eq!(json["issuer"]["type"], json!(["Profile"]));
        assert_eq!(
            json["credentialSubject"]["identifier"][0]["identityType"],
            "emailAddress"
        );
        assert!(json["credentialSubject"].get("id").is_none());
        assert!(
            json.get("validUntil").is_none(),
            "None fields are not written"
        );
        let back: OpenBadgeCredential = serde_json::from_value(json).expect("reads back");
        assert_eq!(back, vc);
    }

    /// A credential built only with the model's constructors, used here and by the schema
    /// tests.
    pub(crate) fn sample_credential() -> OpenBadgeCredential {
        let mut achievement = Achievement::new(
            "https://credence.example/achievements/1",
            "Safe lifting, level 2",
            "Lifts loads safely in a warehouse.",
            "Attested workplace observation at level 2 or above.",
        );
        achievement.achievement_type = Some("Competency".into());
        achievement.image = Some(Image::new("https://credence.example/badge.png"));
        let mut alignment = Alignment::new("Lift safely", "https://credence.example/cfitems/42");
        alignment.target_type = Some("CFItem".into());
        achievement.alignment = Some(vec![alignment].into());
        let mut levels = Vec::new();
        for (i, name) in ["Aware", "Practitioner", "Expert"].iter().enumerate() {
            let mut level = RubricCriterionLevel::new(
                format!("urn:uuid:00000000-0000-4000-8000-00000000000{i}"),
                *name,
            );
            level.level = Some((i + 1).to_string());
            levels.push(level);
        }
        achievement.result_description = Some(
            vec![ResultDescription {
                id: "urn:uuid:00000000-0000-4000-8000-000000000010".into(),
                type_: OneOrMany::strings(&["ResultDescription"]),
                name: "Level".into(),
                result_type: "RubricCriterionLevel".into(),
                required_level: Some("urn:uuid:00000000-0000-4000-8000-000000000001".into()),
                rubric_criterion_level: Some(levels.into()),
                ..ResultDescription::default()
            }]
            .into(),
        );
        let mut subject = AchievementSubject::new(achievement);
        subject.identifier =
            Some(vec![IdentityObject::hashed_email("holder@example.org", "s4lt")].into());
        subject.result = Some(
            vec![AchievementResult::level(
                "urn:uuid:00000000-0000-4000-8000-000000000010",
                "urn:uuid:00000000-0000-4000-8000-000000000001",
            )]
            .into(),
        );
        let mut issuer = Profile::new(
            "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
            "Training Provider",
        );
        issuer.url = Some("https://provider.example/".into());
        let mut vc = OpenBadgeCredential::new(
            "urn:uuid:2d0c0e0a-7d43-4d7b-9a5e-3f1d9b7c1a11",
            ProfileRef::Profile(Box::new(issuer)),
            "2026-11-27T12:00:00Z",
            subject,
        );
        vc.name = Some("Safe lifting, level 2".into());
        vc.valid_until = None;
        let mut evidence = Evidence::new("https://credence.example/evidence/7");
        evidence.narrative = Some("Observed on the night shift.".into());
        vc.evidence = Some(vec![evidence].into());
        vc.credential_status = Some(OneOrMany::One(CredentialStatus::Bitstring(
            BitstringStatusListEntry::new(
                "https://credence.example/status/1",
                12345,
                crate::status_list::StatusPurpose::Revocation,
            ),
        )));
        vc
    }

    /// What the model and the status list module build uses only defined terms: safe-mode
    /// canonicalisation (which refuses undefined terms) accepts it.
    #[test]
    fn built_documents_pass_safe_mode() {
        let status_list = crate::status_list::status_list_credential(
            "https://credence.example/status/1",
            "did:example:1",
            crate::status_list::StatusPurpose::Suspension,
            &crate::status_list::StatusList::default(),
            chrono::DateTime::UNIX_EPOCH,
        );
        let endorsement = EndorsementCredential::new(
            "urn:uuid:7f1c1a4e-3c0e-4f6b-9d55-1b2a3c4d5e6f",
            "Endorsement of the provider",
            ProfileRef::Id("did:example:endorser".into()),
            "2026-11-27T12:00:00Z",
            EndorsementSubject {
                id: "did:example:provider".into(),
                type_: OneOrMany::strings(&["EndorsementSubject"]),
                endorsement_comment: Some("Trusted.".into()),
                extra: Map::new(),
            },
        );
        for (name, document) in [
            ("credential", sample_credential().to_json()),
            ("status list", status_list),
            ("endorsement", endorsement.to_json()),
        ] {
            let nquads = crate::canon::canonicalize(&document)
                .unwrap_or_else(|e| panic!("{name} is refused: {e}"));
            assert!(!nquads.is_empty(), "{name}");
        }
    }

    #[test]
    fn status_list_credential_reads_the_status_list_json() {
        let list = crate::status_list::StatusList::default();
        let json = crate::status_list::status_list_credential(
            "https://credence.example/status/1",
            "did:example:1",
            crate::status_list::StatusPurpose::Revocation,
            &list,
            chrono::DateTime::UNIX_EPOCH,
        );
        let vc: BitstringStatusListCredential =
            serde_json::from_value(json.clone()).expect("reads");
        assert_eq!(vc.credential_subject.status_purpose, "revocation");
        assert_eq!(vc.issuer.id(), "did:example:1");
        assert_eq!(serde_json::to_value(&vc).expect("json"), json);
        let entry = crate::status_list::status_list_entry(
            "https://credence.example/status/1",
            7,
            crate::status_list::StatusPurpose::Suspension,
        );
        let typed = BitstringStatusListEntry::new(
            "https://credence.example/status/1",
            7,
            crate::status_list::StatusPurpose::Suspension,
        );
        assert_eq!(serde_json::to_value(&typed).expect("json"), entry);
    }
}
