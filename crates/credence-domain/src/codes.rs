//! Validated identifiers ("codes") used throughout a framework: newtypes so that a pathway
//! code can never be passed where a statement code is expected, and so that a malformed
//! identifier is refused where it enters the system.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// Why a string was refused as a code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{value}' is not a valid {kind}: {rule}")]
pub struct CodeError {
    /// What kind of code was expected, e.g. "framework slug".
    pub kind: &'static str,
    /// The refused value (truncated when very long).
    pub value: String,
    /// The rule it broke, as a sentence fragment.
    pub rule: &'static str,
}

fn lower_slug(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn upper_code(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_uppercase() || c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
}

macro_rules! code_type {
    ($(#[$doc:meta])* $name:ident, $kind:literal, $check:path, $rule:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// What the code is: "framework slug".
            pub const KIND: &'static str = $kind;

            /// Checks `value` and wraps it.
            pub fn new(value: impl Into<String>) -> Result<Self, CodeError> {
                let value = value.into();
                if value.len() <= 64 && $check(&value) {
                    Ok(Self(value))
                } else {
                    Err(CodeError {
                        kind: $kind,
                        value: value.chars().take(80).collect(),
                        rule: $rule,
                    })
                }
            }

            /// The code as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = CodeError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::new(s)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::new(s).map_err(serde::de::Error::custom)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        #[cfg(feature = "sea-orm")]
        crate::column::text_value!($name);
    };
}

const SLUG_RULE: &str =
    "use 1 to 64 lower-case letters, digits and hyphens, starting with a letter or digit";
const CODE_RULE: &str =
    "use 1 to 64 upper-case letters, digits and hyphens, starting with a letter or digit";

code_type!(
    /// A framework's slug, e.g. `nhs-ai-confidence-2022`.
    FrameworkSlug, "framework slug", lower_slug, SLUG_RULE
);
code_type!(
    /// A taxonomy's code, e.g. `knowledge` or `skill`.
    TaxonomyCode, "taxonomy code", lower_slug, SLUG_RULE
);
code_type!(
    /// A taxonomy level's code, e.g. `familiarity`.
    LevelCode, "level code", lower_slug, SLUG_RULE
);
code_type!(
    /// A pathway's code, e.g. `advanced-driver`.
    PathwayCode, "pathway code", lower_slug, SLUG_RULE
);
code_type!(
    /// An archetype's code, e.g. `embedder`.
    ArchetypeCode, "archetype code", lower_slug, SLUG_RULE
);
code_type!(
    /// A generic lower-case code for layers, factors and question sets.
    PlainCode, "code", lower_slug, SLUG_RULE
);
code_type!(
    /// A topic's code, e.g. `ce-ukca-marking`: statements sharing a topic name one subject.
    TopicCode, "topic code", lower_slug, SLUG_RULE
);
code_type!(
    /// An organisation's slug, used in its URLs and its `did:web`, e.g. `linchester-ics`.
    OrgSlug, "organisation slug", lower_slug, SLUG_RULE
);
code_type!(
    /// A competency statement's code, stable across versions, e.g. `A4-17`.
    StatementCode, "statement code", upper_code, CODE_RULE
);
code_type!(
    /// A question's code, e.g. `A3-01`.
    QuestionCode, "question code", upper_code, CODE_RULE
);

#[cfg(test)]
mod tests {
    use super::*;

    fn check_slug(input: &str, ok: bool) {
        assert_eq!(FrameworkSlug::new(input).is_ok(), ok, "slug {input:?}");
    }

    fn check_statement(input: &str, ok: bool) {
        assert_eq!(StatementCode::new(input).is_ok(), ok, "statement {input:?}");
    }

    #[test]
    fn slugs() {
        for (input, ok) in [
            ("nhs-ai-confidence-2022", true),
            ("a", true),
            ("2022", true),
            ("", false),
            ("-lead", false),
            ("Upper", false),
            ("has space", false),
            ("émoji", false),
            ("../etc", false),
            (&"x".repeat(65), false),
        ] {
            check_slug(input, ok);
        }
    }

    #[test]
    fn statement_codes() {
        for (input, ok) in [
            ("T1-01", true),
            ("A4-50", true),
            ("t1-01", false),
            ("", false),
        ] {
            check_statement(input, ok);
        }
    }

    #[test]
    fn deserialising_refuses_bad_codes() {
        let err = serde_json::from_str::<LevelCode>("\"Not A Level\"").unwrap_err();
        assert!(err.to_string().contains("not a valid level code"), "{err}");
    }
}
