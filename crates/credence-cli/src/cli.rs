//! The command-line interface definition.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Credence: a registry for competency evidence and verifiable credentials.
#[derive(Debug, Parser)]
#[command(name = "credence", version, about)]
pub struct Cli {
    /// Configuration file (TOML). Default: ./credence.toml when it exists.
    #[arg(long, global = true, env = "CREDENCE_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web service: migrate, import the bundled frameworks, then serve.
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Validate, import and export competency frameworks.
    #[command(subcommand)]
    Framework(FrameworkCommand),
    /// Inspect configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (default 127.0.0.1:8080, or server.listen in the configuration).
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
}

#[derive(Debug, Subcommand)]
pub enum FrameworkCommand {
    /// Check a framework document and report every problem with its JSON pointer.
    Validate {
        /// The framework document (JSON).
        file: PathBuf,
    },
    /// Import a framework document into the database (idempotent).
    Import {
        /// The framework document (JSON).
        file: PathBuf,
    },
    /// Write a framework document to standard output as JSON.
    Export {
        /// The framework's slug, e.g. nhs-ai-confidence-2022.
        slug: String,
        /// A version other than the latest.
        #[arg(long)]
        version: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the default configuration, with every setting documented.
    Default,
    /// Print the configuration in effect (files, environment and defaults combined).
    Show,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
