//! The command-line interface definition.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Credence: a registry for competency evidence and verifiable credentials.
///
/// `credence serve` runs the registry; the other commands work on the same database (or, for
/// `credence vc`, on files alone). `credence COMMAND --help` says more about each.
#[derive(Debug, Parser)]
#[command(name = "credence", version)]
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
    /// Copy a SQLite registry, while it serves, with its master key.
    ///
    /// DEST becomes a data folder to restore from, with the master key (mode 0600) and the
    /// audit log's latest signed checkpoint (see OPERATIONS.md). PostgreSQL is backed up
    /// with pg_dump instead.
    Backup(BackupArgs),
    /// Validate, import and export competency frameworks.
    #[command(subcommand)]
    Framework(FrameworkCommand),
    /// Inspect configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Operator accounts, and what accounts store.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Organisations: create, list, trust, rotate keys.
    #[command(subcommand)]
    Org(OrgCommand),
    /// API tokens for automation.
    #[command(subcommand)]
    Token(TokenCommand),
    /// The hash-chained audit log and its signed checkpoints.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Award achievements, directly on the database.
    #[command(subcommand)]
    Award(AwardCommand),
    /// E-mail: what waits in the outbox, and sending it.
    #[command(subcommand)]
    Mail(MailCommand),
    /// Verifiable credentials in files: keys, signing, verifying, baking.
    ///
    /// Needs no database and no configuration.
    #[command(subcommand)]
    Vc(VcCommand),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (default 127.0.0.1:8080, or server.listen in the configuration).
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    /// Seed the report's fictional world (its case-study organisations, the tri-X product
    /// and the eleven personas, with evidence and awards) and mark the pages as demo data.
    /// Anyone may sign in as a demo account: never use it with real data.
    #[arg(long)]
    pub demo: bool,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The folder to write the backup to; created, and refused if it holds a database.
    pub dest: PathBuf,
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
    /// Import a 1EdTech CASE 1.1 package (a CFPackage, JSON) as a framework version
    /// (idempotent); nothing is written unless the whole package is valid.
    ImportCase {
        /// The CFPackage (JSON).
        file: PathBuf,
    },
    /// Write a framework version as a 1EdTech CASE 1.1 package (CFPackage) to standard
    /// output, with URIs under `server.public_url`.
    ExportCase {
        /// The framework's slug, e.g. nhs-ai-confidence-2022.
        slug: String,
        /// A version other than the latest.
        #[arg(long)]
        version: Option<String>,
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
pub enum AwardCommand {
    /// Award an achievement to every row of a CSV or JSON file (columns key, email and
    /// optionally name, valid_from, override_justification). Rerunning the same file
    /// creates no duplicates. Exits with 2 when any row was refused.
    Bulk {
        /// The issuing organisation's slug.
        #[arg(long)]
        org: String,
        /// The achievement's id (its UUID).
        #[arg(long)]
        achievement: String,
        /// The file of rows.
        file: PathBuf,
        /// The file's format.
        #[arg(long, value_enum, default_value = "csv")]
        format: BulkFormatArg,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BulkFormatArg {
    Csv,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an operator account (the first one on a fresh install). The password is
    /// asked for on a terminal, or read from the first line of standard input.
    Create {
        /// The operator's e-mail address (their sign-in name).
        #[arg(long)]
        email: String,
        /// The name shown for the account.
        #[arg(long, default_value = "Operator")]
        name: String,
    },
    /// What accounts store against their quotas (quotas.* in the configuration): the
    /// accounts storing the most attachment bytes first.
    Usage {
        /// How many accounts to list.
        #[arg(long, default_value_t = 20)]
        top: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// The outbox, newest first: every message Credence wrote, where it stands, its
    /// attempts and last error (never its body, which may hold a single-use link).
    Outbox {
        /// Only messages in this state.
        #[arg(long, value_enum)]
        state: Option<OutboxStateArg>,
        /// How many messages to list.
        #[arg(long, default_value_t = 50)]
        limit: u64,
    },
    /// Send every message due now to mail.smtp_url, once, and say what happened (a
    /// running `serve` does this by itself).
    Send,
    /// Write the scheduled notices due now (expiry reminders at mail.expiry_reminder_days,
    /// assessors' daily digests from mail.digest_hour), each once, and say how many (a
    /// running `serve` does this every mail.scan_secs).
    Remind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutboxStateArg {
    Queued,
    Sent,
    Bounced,
    Failed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OrgKindArg {
    AccreditingBody,
    Provider,
    Employer,
    HealthcareSetting,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DidMethodArg {
    Key,
    Web,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RoleArg {
    Admin,
    Issuer,
    Assessor,
}

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Create an organisation with its DID and first signing key; prints the DID alone.
    Create {
        /// Short name used in addresses, e.g. linchester-ics.
        #[arg(long)]
        slug: String,
        /// Full name.
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        kind: OrgKindArg,
        /// did:key (self-contained) or did:web (served by this Credence).
        #[arg(long, value_enum, default_value = "web")]
        did_method: DidMethodArg,
        /// The organisation's web site.
        #[arg(long)]
        url: Option<String>,
    },
    /// List organisations.
    List,
    /// Give an account a role in an organisation.
    AddMember {
        #[arg(long)]
        org: String,
        #[arg(long)]
        email: String,
        #[arg(long, value_enum)]
        role: RoleArg,
    },
    /// Trust an accrediting body's accreditations (or stop trusting them with --remove).
    Trust {
        #[arg(long)]
        org: String,
        #[arg(long)]
        remove: bool,
    },
    /// Signing keys.
    #[command(subcommand)]
    Key(KeyCommand),
}

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Make a new active key and retire the old one (kept in the DID document).
    Rotate {
        #[arg(long)]
        org: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for one role of an organisation; prints the token alone.
    Create {
        #[arg(long)]
        org: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// What the token is for.
        #[arg(long, default_value = "")]
        label: String,
        /// Days until it expires.
        #[arg(long, default_value_t = 90)]
        days: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the whole chain and every stored checkpoint (signed with this installation's
    /// audit key, and matching the chain); names the first broken link. Exit 0 only if it
    /// holds.
    Verify {
        /// Also check the chain against a checkpoint saved earlier (the JSON of
        /// `GET /audit/checkpoint` or `credence audit checkpoint`).
        #[arg(long, value_name = "FILE")]
        checkpoint: Option<PathBuf>,
    },
    /// Sign a checkpoint of the chain's head now and print it as JSON, for an auditor to
    /// keep and check a copy of the registry against later.
    Checkpoint,
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
    /// Verify a credential and report every check; exit 0 only if it is verified. Offline
    /// unless --fetch is given: status lists are then never fetched, so status is reported as
    /// unknown when present.
    Verify {
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// Fetch what the credential names from other servers (did:web documents, HTTPS
        /// keys, status lists) through the same guarded client as the server; hosts in
        /// CREDENCE_FETCH_ALLOW_HOSTS may be private or plain HTTP.
        #[arg(long)]
        fetch: bool,
        /// Check validity dates at this time (RFC 3339) instead of now.
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
        /// Trust the public key in this key file for its verification method id and
        /// controller (for keys that are not did:key); repeatable.
        #[arg(long, value_name = "FILE")]
        trust_key: Vec<PathBuf>,
        /// A status list credential (JSON) to check the credential's status against, as
        /// fetched from its issuer; matched by its `id`; repeatable. Without one, a
        /// credential with status entries is reported as "status unknown".
        #[arg(long, value_name = "FILE")]
        status_list: Vec<PathBuf>,
        /// The credential: a JSON file (Data Integrity), a file holding a JWT-secured
        /// credential (VC-JOSE-COSE or VC-JWT), or a PNG or SVG with either baked in.
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
    /// Measure median sign and verify times per cryptosuite on a bundled OB 3.0 credential
    /// (or on one of yours).
    Speed {
        /// Print the results as JSON.
        #[arg(long)]
        json: bool,
        /// How many times to sign and verify with each cryptosuite.
        #[arg(long, default_value_t = 200)]
        iterations: usize,
        /// Measure this credential (a JSON file) instead of the bundled ob3-interop one; any
        /// proof it has is set aside, and it is signed with the bundled test key.
        #[arg(long, value_name = "FILE")]
        credential: Option<PathBuf>,
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
