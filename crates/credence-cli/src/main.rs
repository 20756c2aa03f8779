//! The `credence` command. Parses arguments, loads configuration and hands over to one
//! command module; every failure becomes a message on standard error and an exit code
//! (1 for a failure of ours or the environment, 2 for input we refused).

// Tests may unwrap: a panic there is a failed test. Code that ships may not.
#![cfg_attr(test, allow(clippy::unwrap_used))]

mod cli;
mod commands;
mod config;
mod config_env;
mod fetch_config;
mod json_log;
mod mail_config;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of the system allocator: signing and verifying (JSON-LD expansion and
/// RDF canonicalisation) spend about a quarter of their time in malloc, free and realloc.
/// Built without transparent huge pages (`no_thp`): with them, memory mimalloc gave back
/// and took again was faulted in 2 MiB at a time, and zeroing those pages was a tenth of
/// the server's time under distinct verifications (perf, issue 22).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// An error a command ends with, and the exit code it maps to.
#[derive(Debug)]
pub enum Failure {
    /// Input was refused (exit code 2); the message names the file or field.
    Refused(String),
    /// Something else went wrong (exit code 1).
    Failed(anyhow::Error),
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Self::Failed(e)
    }
}

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Refused(message)) => {
            eprintln!("credence: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Failed(error)) => {
            eprintln!("credence: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
