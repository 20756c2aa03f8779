//! Operator commands over the same database as a running server: `admin create`,
//! `org create | list | add-member | trust | key rotate`, `token create`, `audit verify`
//! and `audit checkpoint`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use credence_domain::registry::{DidMethod, OrgKind, Role};
use credence_service::accounts::{NewAccount, Password};
use credence_service::audit_chain::AuditCheckpoint;
use credence_service::orgs::NewOrg;
use credence_service::{Actor, Operator};

use super::{org_slug, service_failure, services};
use crate::cli::{
    AdminCommand, AuditCommand, DidMethodArg, KeyCommand, OrgCommand, OrgKindArg, RoleArg,
    TokenCommand,
};
use crate::config::Config;
use crate::Failure;

pub(super) fn operator() -> Result<credence_service::actor::OperatorPower, Failure> {
    Actor::from_operator(&Operator::local_command_line())
        .operator()
        .map_err(|e| Failure::Failed(anyhow::anyhow!("{e}")))
}

fn role(arg: RoleArg) -> Role {
    match arg {
        RoleArg::Admin => Role::Admin,
        RoleArg::Issuer => Role::Issuer,
        RoleArg::Assessor => Role::Assessor,
    }
}

/// Reads the password: from the terminal without echo, or the first line of stdin.
fn read_password() -> Result<Password, Failure> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        let first = rpassword::prompt_password("Password (at least 12 characters): ")
            .map_err(|e| Failure::Failed(anyhow::anyhow!("cannot read the password: {e}")))?;
        let again = rpassword::prompt_password("Password again: ")
            .map_err(|e| Failure::Failed(anyhow::anyhow!("cannot read the password: {e}")))?;
        if first != again {
            return Err(Failure::Refused("password: the two entries differ".into()));
        }
        Ok(Password::new(first))
    } else {
        let mut line = String::new();
        stdin
            .lock()
            .read_line(&mut line)
            .map_err(|e| Failure::Failed(anyhow::anyhow!("cannot read the password: {e}")))?;
        Ok(Password::new(
            line.trim_end_matches(['\r', '\n']).to_owned(),
        ))
    }
}

fn print_line(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}").map_err(|e| Failure::Failed(anyhow::anyhow!("writing output: {e}")))
}

pub async fn run_admin(config: Config, command: AdminCommand) -> Result<(), Failure> {
    match command {
        AdminCommand::Create { email, name } => {
            let password = read_password()?;
            let services = services(&config).await?;
            let account = services
                .registry
                .with_operator(&operator()?)
                .create_account_as_operator(
                    NewAccount {
                        email,
                        display_name: name,
                        password,
                    },
                    true,
                )
                .await
                .map_err(|e| service_failure("admin create", e))?;
            eprintln!(
                "Created operator account {} ({}).",
                account.email, account.id
            );
            Ok(())
        }
        AdminCommand::Usage { top } => {
            let services = services(&config).await?;
            let quotas = services.registry.config().quotas;
            let rows = services
                .registry
                .with_operator(&operator()?)
                .storage_usage(top)
                .await
                .map_err(|e| service_failure("admin usage", e))?;
            let limit = |n: i64| {
                if n > 0 {
                    n.to_string()
                } else {
                    "no limit".into()
                }
            };
            println!(
                "{:<40} {:>10} {:>16}",
                format!(
                    "account (quotas: {} evidence, {} bytes)",
                    limit(quotas.evidence_records),
                    limit(quotas.attachment_bytes)
                ),
                "evidence",
                "attachment bytes"
            );
            for row in rows {
                println!(
                    "{:<40} {:>10} {:>16}",
                    row.email, row.usage.evidence, row.usage.attachment_bytes
                );
            }
            Ok(())
        }
    }
}

pub async fn run_org(config: Config, command: OrgCommand) -> Result<(), Failure> {
    let services = services(&config).await?;
    let registry = &services.registry;
    let operator = operator()?;
    match command {
        OrgCommand::Create {
            slug,
            name,
            kind,
            did_method,
            url,
        } => {
            let org = registry
                .with_operator(&operator)
                .create_org(NewOrg {
                    slug,
                    name,
                    kind: match kind {
                        OrgKindArg::AccreditingBody => OrgKind::AccreditingBody,
                        OrgKindArg::Provider => OrgKind::Provider,
                        OrgKindArg::Employer => OrgKind::Employer,
                        OrgKindArg::HealthcareSetting => OrgKind::HealthcareSetting,
                    },
                    did_method: match did_method {
                        DidMethodArg::Key => DidMethod::Key,
                        DidMethodArg::Web => DidMethod::Web,
                    },
                    url,
                    description: None,
                })
                .await
                .map_err(|e| service_failure("org create", e))?;
            print_line(&org.did)
        }
        OrgCommand::List => {
            for org in registry
                .public()
                .orgs()
                .await
                .map_err(|e| service_failure("org list", e))?
            {
                print_line(&format!(
                    "{}\t{}\t{}\t{}",
                    org.slug, org.kind, org.did, org.name
                ))?;
            }
            Ok(())
        }
        OrgCommand::AddMember {
            org,
            email,
            role: r,
        } => {
            let org_row = registry
                .public()
                .org(&org_slug("org add-member", &org)?)
                .await
                .map_err(|e| service_failure("org add-member", e))?;
            let admin = Actor::from_operator(&Operator::local_command_line())
                .org_admin(&org_row)
                .map_err(|e| service_failure("org add-member", e))?;
            let member = registry
                .with_org_admin(&admin)
                .add_member(&email, role(r))
                .await
                .map_err(|e| service_failure("org add-member", e))?;
            eprintln!("{} is now {} of {org}.", member.email, member.role);
            Ok(())
        }
        OrgCommand::Trust { org, remove } => {
            registry
                .with_operator(&operator)
                .trust_body(&org_slug("org trust", &org)?, !remove)
                .await
                .map_err(|e| service_failure("org trust", e))?;
            eprintln!(
                "{org} is {} trusted as an accrediting body.",
                if remove { "no longer" } else { "now" }
            );
            Ok(())
        }
        OrgCommand::Key(KeyCommand::Rotate { org }) => {
            let org_row = registry
                .public()
                .org(&org_slug("org key rotate", &org)?)
                .await
                .map_err(|e| service_failure("org key rotate", e))?;
            let admin = Actor::from_operator(&Operator::local_command_line())
                .org_admin(&org_row)
                .map_err(|e| service_failure("org key rotate", e))?;
            let key = registry
                .with_org_admin(&admin)
                .rotate_key()
                .await
                .map_err(|e| service_failure("org key rotate", e))?;
            print_line(&key.verification_method)
        }
    }
}

pub async fn run_token(config: Config, command: TokenCommand) -> Result<(), Failure> {
    let TokenCommand::Create {
        org,
        role: r,
        label,
        days,
    } = command;
    let services = services(&config).await?;
    let registry = &services.registry;
    let org_row = registry
        .public()
        .org(&org_slug("token create", &org)?)
        .await
        .map_err(|e| service_failure("token create", e))?;
    let admin = Actor::from_operator(&Operator::local_command_line())
        .org_admin(&org_row)
        .map_err(|e| service_failure("token create", e))?;
    let token = registry
        .with_org_admin(&admin)
        .create_token(role(r), &label, days)
        .await
        .map_err(|e| service_failure("token create", e))?;
    print_line(&token.value)
}

pub async fn run_audit(config: Config, command: AuditCommand) -> Result<(), Failure> {
    let file = match command {
        AuditCommand::Checkpoint => {
            let services = services(&config).await?;
            let checkpoint = services
                .registry
                .with_operator(&operator()?)
                .checkpoint_audit()
                .await
                .map_err(|e| service_failure("audit checkpoint", e))?;
            let text = serde_json::to_string_pretty(&checkpoint)
                .map_err(|e| Failure::Failed(anyhow::anyhow!("writing the checkpoint: {e}")))?;
            return print_line(&text);
        }
        AuditCommand::Verify { checkpoint } => checkpoint,
    };
    let given = file.as_deref().map(read_checkpoint).transpose()?;
    let services = services(&config).await?;
    if let (Some(path), Some(checkpoint)) = (&file, &given) {
        checkpoint
            .check_key(&services.registry.public().audit_public_key())
            .map_err(|why| {
                Failure::Refused(format!(
                    "{}: the checkpoint is refused: {why}",
                    path.display()
                ))
            })?;
    }
    let interactive = std::io::stderr().is_terminal();
    let report = services
        .registry
        .with_operator(&operator()?)
        .verify_audit_chain_with(given.as_ref(), |done, total| {
            if interactive {
                eprint!("\rChecked {done} of {total} entries");
            }
        })
        .await
        .map_err(|e| service_failure("audit verify", e))?;
    if interactive {
        eprintln!();
    }
    match report.broken {
        None => print_line(&format!(
            "The audit chain holds: {} entries checked, {} checkpoints match it{}.",
            report.entries,
            report.checkpoints,
            file.map(|f| format!(" (the one in {} among them)", f.display()))
                .unwrap_or_default()
        )),
        Some((seq, why)) => Err(Failure::Failed(anyhow::anyhow!(
            "the audit chain is broken at entry {seq}: {why}{}",
            match report.entries {
                0 => String::new(),
                n => format!(" ({n} entries before it hold)"),
            }
        ))),
    }
}

/// Reads a checkpoint file; a file that is not one is refused, naming it.
fn read_checkpoint(path: &Path) -> Result<AuditCheckpoint, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::Refused(format!("{}: cannot read it: {e}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| {
        Failure::Refused(format!(
            "{}: not an audit checkpoint (the JSON of GET /audit/checkpoint): {e}",
            path.display()
        ))
    })
}
