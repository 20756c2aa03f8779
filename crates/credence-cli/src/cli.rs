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
    /// Work with verifiable credentials in files: keys, signing, verifying, baking.
    /// Needs no database and no configuration.
    #[command(subcommand)]
    Vc(VcCommand),
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

#[derive(Debug, Subcommand)]
pub enum VcCommand {
    /// Generate an Ed25519 key pair, write it as a Multikey JSON key file (mode 0600) and
    /// print its did:key.
    Keygen {
        /// The key file to create (default credence-key.json); an existing file is kept.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Add a Data Integrity proof to a credential and print the signed JSON.
    Sign {
        /// The Multikey JSON key file holding the private key.
        #[arg(long, value_name = "FILE")]
        key: PathBuf,
        /// The proof's `created` time (RFC 3339), signed exactly as given (default now).
        #[arg(long, value_name = "TIME")]
        created: Option<String>,
        /// The cryptosuite.
        #[arg(long, default_value = "eddsa-rdfc-2022", value_parser = ["eddsa-rdfc-2022", "eddsa-jcs-2022"])]
        cryptosuite: String,
        /// The verification method to name (default the key's did:key URL).
        #[arg(long, value_name = "VM")]
        verification_method: Option<String>,
        /// The unsigned credential (JSON).
        input: PathBuf,
    },
    /// Verify a credential offline and report every check; exit 0 only if it is verified.
    /// Status lists are never fetched, so status is reported as unknown when present.
    Verify {
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// Check validity dates at this time (RFC 3339) instead of now.
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
        /// Trust the public key in this key file for its verification method id and
        /// controller (for keys that are not did:key); repeatable.
        #[arg(long, value_name = "FILE")]
        trust_key: Vec<PathBuf>,
        /// Also accept the JSON-LD contexts of the W3C test vectors (never for real use).
        #[arg(long)]
        test_contexts: bool,
        /// The credential: a JSON file, or a PNG or SVG with a credential baked in.
        input: PathBuf,
    },
    /// Bake a credential into a PNG or SVG badge image (replacing any credential there).
    Bake {
        /// The badge image (PNG or SVG).
        image: PathBuf,
        /// The credential (JSON, or a compact JWT).
        credential: PathBuf,
        /// Where to write the baked image (default standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Print the credential baked into a PNG or SVG badge image.
    Unbake {
        /// The badge image (PNG or SVG).
        image: PathBuf,
    },
    /// Measure median sign and verify times per cryptosuite on a bundled OB 3.0 credential.
    Speed {
        /// Print the results as JSON.
        #[arg(long)]
        json: bool,
        /// How many times to sign and verify with each cryptosuite.
        #[arg(long, default_value_t = 200)]
        iterations: usize,
    },
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
