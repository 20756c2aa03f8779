//! sea-orm entities, one module per table. Private to the store: callers see row structs.

pub mod framework;
pub mod framework_statement;
