//! `credence mail`: the outbox as the operator sees it, a delivery round on demand, and a
//! scan for scheduled notices (expiry reminders, assessor digests) on demand.

use credence_domain::registry::OutboxState;
use credence_service::Page;

use super::admin::operator;
use super::{service_failure, services};
use crate::cli::{MailCommand, OutboxStateArg};
use crate::config::Config;
use crate::Failure;

pub async fn run(config: Config, command: MailCommand) -> Result<(), Failure> {
    let services = services(&config).await?;
    let registry = &services.registry;
    match command {
        MailCommand::Outbox { state, limit } => {
            let state = state.map(|s| match s {
                OutboxStateArg::Queued => OutboxState::Queued,
                OutboxStateArg::Sent => OutboxState::Sent,
                OutboxStateArg::Bounced => OutboxState::Bounced,
                OutboxStateArg::Failed => OutboxState::Failed,
            });
            let page = registry
                .with_operator(&operator()?)
                .outbox(
                    state,
                    Page {
                        offset: 0,
                        limit: limit.clamp(1, 10_000),
                    },
                )
                .await
                .map_err(|e| service_failure("mail outbox", e))?;
            let counts: Vec<String> = page
                .counts
                .iter()
                .map(|(state, n)| format!("{n} {state}"))
                .collect();
            println!(
                "Outbox: {} ({}).",
                if counts.is_empty() {
                    "empty".to_owned()
                } else {
                    counts.join(", ")
                },
                match &page.sending {
                    Some(server) => format!("sending to {server}"),
                    None => "no mail server: mail.smtp_url is not set, messages wait".to_owned(),
                }
            );
            for m in &page.messages {
                println!(
                    "{}  {:<8} {:<18} {:<32} attempts {}{}  {}",
                    m.created_at.format("%Y-%m-%d %H:%M"),
                    m.state,
                    m.kind,
                    m.recipient,
                    m.attempts,
                    m.last_error
                        .as_deref()
                        .map(|e| format!(" (last error: {e})"))
                        .unwrap_or_default(),
                    m.subject,
                );
            }
            if page.total > page.messages.len() as u64 {
                println!(
                    "... {} more (--limit to see them).",
                    page.total - page.messages.len() as u64
                );
            }
            Ok(())
        }
        MailCommand::Remind => {
            let round = registry
                .with_operator(&operator()?)
                .send_scheduled_notices()
                .await
                .map_err(|e| service_failure("mail remind", e))?;
            println!(
                "{} expiry reminder{}, {} accreditation reminder{} and {} assessor digest{} written{}.",
                round.reminders,
                if round.reminders == 1 { "" } else { "s" },
                round.accreditations,
                if round.accreditations == 1 { "" } else { "s" },
                round.digests,
                if round.digests == 1 { "" } else { "s" },
                if registry.config().mail.smtp.is_some() {
                    " to the outbox (`credence mail send` or a running serve sends them)"
                } else {
                    " (no mail server: their e-mails wait in the outbox)"
                }
            );
            Ok(())
        }
        MailCommand::Send => {
            let Some(sender) = registry.config().mail.smtp.clone() else {
                return Err(Failure::Refused(
                    "mail.smtp_url is not set (or CREDENCE_SMTP_URL): there is no server to send to"
                        .into(),
                ));
            };
            eprintln!("Sending what is due to {}...", sender.server());
            let round = registry
                .with_operator(&operator()?)
                .send_due_mail(&sender, &format!("cli:{}", std::process::id()))
                .await
                .map_err(|e| service_failure("mail send", e))?;
            println!(
                "{} sent, {} to try again later, {} refused by the server, {} given up.",
                round.sent, round.retried, round.bounced, round.failed
            );
            Ok(())
        }
    }
}
