//! sea-orm entities, one module per table. Private to the store: callers see row structs.

pub mod account;
pub mod accreditation;
pub mod achievement;
pub mod api_token;
pub mod audit_checkpoint;
pub mod audit_entry;
pub mod audit_head;
pub mod award;
pub mod bulk_job;
pub mod bulk_row;
pub mod email_link;
pub mod evidence;
pub mod evidence_attachment;
pub mod evidence_decision;
pub mod framework;
pub mod framework_statement;
pub mod membership;
pub mod notification;
pub mod notification_pref;
pub mod organisation;
pub mod outbox;
pub mod scheduled_notice;
pub mod session;
pub mod signing_key;
pub mod status_list;
pub mod trusted_body;
