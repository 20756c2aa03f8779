//! The OpenAPI schemas of the domain's closed vocabularies, declared here at the API's
//! edge so that `credence-domain` knows nothing of OpenAPI. Each is a schema-only type
//! named like the domain type it describes, listing that type's values (`ALL`), so the
//! document keeps one component per vocabulary; a field of a documented type points at it
//! with `#[schema(value_type = credence_service::schemas::Role)]`.

use std::borrow::Cow;

use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;

/// A string schema allowing exactly `values`, described by `description`.
fn string_choice<'a>(
    values: impl IntoIterator<Item = &'a str>,
    description: &str,
) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values))
        .description(Some(description))
        .into()
}

macro_rules! choice_schema {
    ($name:ident, $domain:path, $description:literal) => {
        #[doc = concat!("The schema of [`", stringify!($domain), "`].")]
        pub struct $name;

        impl utoipa::PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                string_choice(<$domain>::ALL.iter().map(|v| v.as_str()), $description)
            }
        }

        impl utoipa::ToSchema for $name {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }
        }
    };
}

choice_schema!(
    Role,
    credence_domain::registry::Role,
    "A role a member holds in an organisation. Roles do not imply one another: an admin\nwho also issues holds both roles."
);
choice_schema!(
    OrgKind,
    credence_domain::registry::OrgKind,
    "What an organisation is."
);
choice_schema!(
    DidMethod,
    credence_domain::registry::DidMethod,
    "How an organisation's DID is made."
);
choice_schema!(
    StatusAction,
    credence_domain::registry::StatusAction,
    "A change of an award's state."
);
