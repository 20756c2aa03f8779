//! With the `sea-orm` feature (enabled by `credence-store` alone): the text-column mapping
//! of the domain's string newtypes (record ids, slugs, codes). A value read from a row is
//! checked as if it came from a request, so a malformed row is an error, never a bad value
//! passed on. Only sea-orm's value traits are used here; the domain runs no SQL.

/// Implements sea-orm's value traits for a newtype over `String` whose `FromStr` checks its
/// form, as sea-orm's `DeriveValueType` does for a newtype (which wraps without checking).
macro_rules! text_value {
    ($name:ident) => {
        impl From<$name> for sea_orm::Value {
            fn from(source: $name) -> Self {
                source.0.into()
            }
        }

        impl From<&$name> for sea_orm::Value {
            fn from(source: &$name) -> Self {
                source.0.as_str().into()
            }
        }

        impl sea_orm::TryGetable for $name {
            fn try_get_by<I: sea_orm::ColIdx>(
                res: &sea_orm::QueryResult,
                idx: I,
            ) -> Result<Self, sea_orm::TryGetError> {
                let text = <String as sea_orm::TryGetable>::try_get_by(res, idx)?;
                match text.parse::<$name>() {
                    Ok(value) if value.as_str() == text => Ok(value),
                    Ok(_) => Err(sea_orm::TryGetError::DbErr(sea_orm::DbErr::Type(format!(
                        "the stored {} '{text}' is not in canonical form",
                        $name::KIND
                    )))),
                    Err(e) => Err(sea_orm::TryGetError::DbErr(sea_orm::DbErr::Type(
                        e.to_string(),
                    ))),
                }
            }
        }

        impl sea_orm::sea_query::ValueType for $name {
            fn try_from(v: sea_orm::Value) -> Result<Self, sea_orm::sea_query::ValueTypeErr> {
                let text = <String as sea_orm::sea_query::ValueType>::try_from(v)?;
                match text.parse::<$name>() {
                    Ok(value) if value.as_str() == text => Ok(value),
                    _ => Err(sea_orm::sea_query::ValueTypeErr),
                }
            }

            fn type_name() -> String {
                stringify!($name).to_owned()
            }

            fn array_type() -> sea_orm::sea_query::ArrayType {
                sea_orm::sea_query::ArrayType::String
            }

            fn column_type() -> sea_orm::sea_query::ColumnType {
                sea_orm::sea_query::ColumnType::String(sea_orm::sea_query::StringLen::None)
            }
        }

        impl sea_orm::sea_query::Nullable for $name {
            fn null() -> sea_orm::Value {
                sea_orm::Value::String(None)
            }
        }

        impl sea_orm::TryFromU64 for $name {
            fn try_from_u64(_: u64) -> Result<Self, sea_orm::DbErr> {
                Err(sea_orm::DbErr::ConvertFromU64(stringify!($name)))
            }
        }
    };
}

pub(crate) use text_value;
