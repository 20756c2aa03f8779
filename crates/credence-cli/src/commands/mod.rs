//! One module per command; [`run`] dispatches.

mod admin;
mod award;
mod backup;
mod framework;
mod http_server;
mod mail;
mod serve;
mod vc;
mod vc_fetch;

use anyhow::Context;
use credence_service::{PasswordCost, RegistryConfig, ServiceError, Services};
use credence_store::Store;
use credence_vc::sealed::MasterKey;

use crate::cli::{Cli, Command, ConfigCommand};
use crate::config::{Config, LogFormat, DEFAULT_TOML};
use crate::Failure;

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<(), Failure> {
    if let Command::Vc(command) = cli.command {
        return vc::run(command);
    }
    if let Command::Config(ConfigCommand::Default) = cli.command {
        print!("{DEFAULT_TOML}");
        return Ok(());
    }
    let config = Config::load(cli.config.as_deref())?;
    match cli.command {
        Command::Config(ConfigCommand::Show) => {
            let mut shown = config.clone();
            shown.database.url = credence_store::DatabaseUrl::new(shown.database.url).to_string();
            if !shown.server.metrics_token.is_empty() {
                shown.server.metrics_token = "[hidden]".into();
            }
            shown.mail.smtp_url = shown.mail.smtp_url_shown();
            let text = toml::to_string_pretty(&shown).context("cannot print the configuration")?;
            print!("{text}");
            Ok(())
        }
        Command::Config(ConfigCommand::Default) => Ok(()),
        Command::Serve(args) => {
            init_logging(&config)?;
            runtime()?.block_on(serve::run(config, args))
        }
        Command::Migrate => {
            init_logging(&config)?;
            runtime()?.block_on(async {
                let store = open_store(&config).await?;
                eprintln!("Migrations applied to {}.", config.database().url);
                store.close().await.context("closing the database")?;
                Ok(())
            })
        }
        Command::Backup(args) => runtime()?.block_on(backup::run(config, args)),
        Command::Framework(command) => runtime()?.block_on(framework::run(config, command)),
        Command::Admin(command) => runtime()?.block_on(admin::run_admin(config, command)),
        Command::Org(command) => runtime()?.block_on(admin::run_org(config, command)),
        Command::Token(command) => runtime()?.block_on(admin::run_token(config, command)),
        Command::Audit(command) => runtime()?.block_on(admin::run_audit(config, command)),
        Command::Award(command) => runtime()?.block_on(award::run(config, command)),
        Command::Mail(command) => runtime()?.block_on(mail::run(config, command)),
        Command::Vc(_) => Ok(()),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?)
}

/// Logs to standard error, in colour only when it is a terminal. A filter that does not
/// parse is refused, naming the setting, rather than read as "info". The JSON log also has
/// a line for each span that closes (a request, a use case at `info`; store calls at
/// `debug`) with its fields, its times and its request's id, so a slow request can be
/// followed through it.
fn init_logging(config: &Config) -> Result<(), Failure> {
    use std::io::IsTerminal;
    use tracing_subscriber::util::SubscriberInitExt;
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_new(&config.log.filter).map_err(|e| {
        Failure::Refused(format!(
            "log.filter (CREDENCE_LOG_FILTER or CREDENCE_LOG): {:?} is not a filter such as \"info\" or \"credence_web=debug,info\": {e}",
            config.log.filter
        ))
    })?;
    match config.log.format {
        LogFormat::Json => {
            let _ = crate::json_log::subscriber(filter).try_init();
        }
        LogFormat::Text => {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_ansi(std::io::stderr().is_terminal())
                .with_writer(std::io::stderr)
                .try_init();
        }
    }
    Ok(())
}

/// Connects to the configured database and applies pending migrations.
async fn open_store(config: &Config) -> Result<Store, Failure> {
    if config.uses_local_sqlite() {
        secure_data_dir(&config.database.data_dir)?;
    }
    let database = config.database();
    let store = Store::connect(&database)
        .await
        .with_context(|| format!("cannot open the database {}", database.url))?;
    store
        .migrate()
        .await
        .with_context(|| format!("cannot migrate the database {}", database.url))?;
    Ok(store)
}

/// The data folder holds password hashes, attachments and e-mail addresses: it is created
/// private (0700) and the database file before SQLite opens it (0600; SQLite gives its
/// write-ahead log and shared-memory files the database file's mode). A folder or file that
/// exists with wider permissions is left as the operator made it, with a warning.
fn secure_data_dir(dir: &std::path::Path) -> Result<(), Failure> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
    if !dir.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .with_context(|| format!("cannot create the data folder {}", dir.display()))?;
    }
    let database = dir.join("credence.db");
    if !database.exists() {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&database)
            .with_context(|| format!("cannot create the database {}", database.display()))?;
    }
    let wal = dir.join("credence.db-wal");
    let shm = dir.join("credence.db-shm");
    for path in [dir, database.as_path(), wal.as_path(), shm.as_path()] {
        let Ok(meta) = std::fs::metadata(path) else {
            continue;
        };
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            let wanted = if meta.is_dir() { "0700" } else { "0600" };
            eprintln!(
                "warning: {} has mode {mode:04o}, readable by other users of this machine; it holds password hashes, attachments and e-mail addresses (chmod {wanted} {})",
                path.display(),
                path.display()
            );
        }
    }
    Ok(())
}

/// Maps a service error to a command failure: refusals of input exit with 2.
/// An organisation's slug given on the command line: one that is not a slug is refused as
/// an unknown organisation is.
fn org_slug(context: &str, text: &str) -> Result<credence_domain::OrgSlug, Failure> {
    credence_service::record_id(text, "organisation").map_err(|e| service_failure(context, e))
}

fn service_failure(context: &str, e: ServiceError) -> Failure {
    match e {
        ServiceError::Invalid(problems) => Failure::Refused(format!("{context}: {problems}")),
        ServiceError::Conflict(detail)
        | ServiceError::NotFound(detail)
        | ServiceError::Forbidden(detail)
        | ServiceError::Unauthenticated(detail) => Failure::Refused(format!("{context}: {detail}")),
        // The error itself, with its chain of causes, which `main` prints whole.
        other => Failure::Failed(anyhow::Error::new(other).context(context.to_owned())),
    }
}

/// Opens the store and builds the services on it.
async fn services(config: &Config) -> Result<Services, Failure> {
    let registry = registry_config(config)?;
    Ok(Services::new(open_store(config).await?, registry))
}

/// The registry's settings: public address, master key (made on first use), password cost.
fn registry_config(config: &Config) -> Result<RegistryConfig, Failure> {
    Ok(RegistryConfig {
        base_url: config.public_url()?,
        master_key: load_master_key(&config.master_key_path())?,
        password_cost: PasswordCost {
            memory_kib: config.security.password_memory_kib.max(8),
            ..PasswordCost::default()
        },
        session_hours: 12,
        open_registration: config.server.open_registration,
        demo: false,
        bulk_job_lease_secs: i64::try_from(config.server.bulk_job_lease_secs.clamp(2, 86_400))
            .unwrap_or(60),
        status_list_recheck: std::time::Duration::from_millis(
            config.server.status_list_recheck_ms.min(60_000),
        ),
        canonicalizer: config.canonicalizer()?,
        guard: credence_service::guard::GuardConfig {
            hash_concurrency: config.security.password_hash_concurrency.clamp(1, 256),
            hash_queue: config.security.password_hash_queue,
            ..credence_service::guard::GuardConfig::default()
        },
        quotas: credence_service::Quotas {
            evidence_records: config.quotas.evidence_records.max(0),
            attachment_bytes: config.quotas.attachment_bytes.max(0),
        },
        fetcher: config.fetcher()?,
        confirm_addresses: !config.mail.smtp_url.trim().is_empty(),
        issuer_registries: config.issuer_registries()?,
        workforce_suppress_below: config.workforce.suppress_below.max(1),
        wallet_offer_minutes: i64::from(config.wallet.offer_minutes.max(1)),
        mail: config.mail.settings(&config.public_url()?)?,
    })
}

/// Reads the master key file, or creates it (mode 0600, never overwriting) when absent.
fn load_master_key(path: &std::path::Path) -> Result<MasterKey, Failure> {
    use std::io::Write;
    match std::fs::read_to_string(path) {
        Ok(text) => MasterKey::from_hex(&text)
            .map_err(|e| Failure::Refused(format!("{}: {e}", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            }
            let key = MasterKey::generate().context("cannot generate a master key")?;
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            let mut file = options
                .open(path)
                .with_context(|| format!("cannot create the master key file {}", path.display()))?;
            file.write_all(key.to_hex().as_bytes())
                .and_then(|()| file.sync_all())
                .with_context(|| format!("cannot write the master key file {}", path.display()))?;
            tracing::info!(path = %path.display(), "generated a new master key");
            eprintln!(
                "Generated a new master key in {} (mode 0600). Back it up with the database.",
                path.display()
            );
            Ok(key)
        }
        Err(e) => Err(Failure::Failed(anyhow::anyhow!(
            "cannot read the master key file {}: {e}",
            path.display()
        ))),
    }
}
