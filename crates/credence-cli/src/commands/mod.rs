//! One module per command; [`run`] dispatches.

mod framework;
mod serve;
mod vc;

use anyhow::Context;
use credence_service::{ServiceError, Services};
use credence_store::Store;

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
            let text = toml::to_string_pretty(&shown).context("cannot print the configuration")?;
            print!("{text}");
            Ok(())
        }
        Command::Config(ConfigCommand::Default) => Ok(()),
        Command::Serve(args) => {
            init_logging(&config);
            runtime()?.block_on(serve::run(config, args))
        }
        Command::Migrate => {
            init_logging(&config);
            runtime()?.block_on(async {
                let store = open_store(&config).await?;
                eprintln!("Migrations applied to {}.", config.database().url);
                store.close().await.context("closing the database")?;
                Ok(())
            })
        }
        Command::Framework(command) => runtime()?.block_on(framework::run(config, command)),
        Command::Vc(_) => Ok(()),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?)
}

fn init_logging(config: &Config) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_new(&config.log.filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match config.log.format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// Connects to the configured database and applies pending migrations.
async fn open_store(config: &Config) -> Result<Store, Failure> {
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

/// Maps a service error to a command failure: refusals of input exit with 2.
fn service_failure(context: &str, e: ServiceError) -> Failure {
    match e {
        ServiceError::Invalid(problems) => Failure::Refused(format!("{context}: {problems}")),
        ServiceError::Conflict(detail) | ServiceError::NotFound(detail) => {
            Failure::Refused(format!("{context}: {detail}"))
        }
        other => Failure::Failed(anyhow::anyhow!("{context}: {other}")),
    }
}

/// Opens the store and builds the services on it.
async fn services(config: &Config) -> Result<Services, Failure> {
    Ok(Services::new(open_store(config).await?))
}
