//! `credence framework validate | import | import-case | export | export-case`.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use credence_domain::{bundled, Framework, FrameworkSlug};
use credence_service::{frameworks::validate, Operator};

use super::{service_failure, services};
use crate::cli::FrameworkCommand;
use crate::config::Config;
use crate::Failure;

pub async fn run(config: Config, command: FrameworkCommand) -> Result<(), Failure> {
    match command {
        FrameworkCommand::Validate { file } => {
            let bytes = read(&file)?;
            let (fw, _, digest) = validate(&bytes).map_err(|e| file_failure(&file, e))?;
            let doc = fw.document();
            println!(
                "{}: valid framework '{}' version {}: {} statements, {} questions, {} pathways (sha256 {digest})",
                file.display(),
                doc.slug,
                doc.version,
                doc.statements.len(),
                doc.questions.len(),
                doc.pathways.len()
            );
            Ok(())
        }
        FrameworkCommand::Import { file } => {
            let bytes = read(&file)?;
            // Validate before touching the database, so a bad file never creates one.
            validate(&bytes).map_err(|e| file_failure(&file, e))?;
            let services = services(&config).await?;
            let report = services
                .frameworks
                .import(&Operator::local_command_line(), &bytes)
                .await
                .map_err(|e| file_failure(&file, e))?;
            print_report(&report);
            Ok(())
        }
        FrameworkCommand::ImportCase { file } => {
            let bytes = read(&file)?;
            // Read and check the package before touching the database.
            let document = credence_service::case::framework_from_case(&bytes)
                .map_err(|e| file_failure(&file, e))?;
            let services = services(&config).await?;
            let report = services
                .frameworks
                .import(&Operator::local_command_line(), &document)
                .await
                .map_err(|e| file_failure(&file, e))?;
            print_report(&report);
            Ok(())
        }
        FrameworkCommand::ExportCase { slug, version } => {
            let slug = FrameworkSlug::new(slug).map_err(|e| Failure::Refused(e.to_string()))?;
            let document = export(&config, &slug, version.as_deref()).await?;
            let framework = Framework::new(document)
                .map_err(|p| anyhow::anyhow!("the framework does not validate: {p}"))?;
            let package = credence_domain::case::package(&framework, &config.public_url()?);
            let mut out = std::io::stdout().lock();
            serde_json::to_writer_pretty(&mut out, &package).context("writing the export")?;
            writeln!(out).context("writing the export")?;
            Ok(())
        }
        FrameworkCommand::Export { slug, version } => {
            let slug = FrameworkSlug::new(slug).map_err(|e| Failure::Refused(e.to_string()))?;
            let document = export(&config, &slug, version.as_deref()).await?;
            let mut out = std::io::stdout().lock();
            serde_json::to_writer_pretty(&mut out, &document).context("writing the export")?;
            writeln!(out).context("writing the export")?;
            Ok(())
        }
    }
}

fn print_report(report: &credence_service::ImportReport) {
    if report.created {
        println!(
            "Imported framework '{}' version {} ({} statements).",
            report.slug, report.version, report.statements
        );
    } else {
        println!(
            "Framework '{}' version {} is already imported; nothing changed.",
            report.slug, report.version
        );
    }
}

fn read(file: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(file)
        .map_err(|e| Failure::Refused(format!("{}: cannot read: {e}", file.display())))
}

fn file_failure(file: &Path, e: credence_service::ServiceError) -> Failure {
    service_failure(&file.display().to_string(), e)
}

/// Finds a framework in the database when there is one, else among the bundled ones, so
/// that export works in an empty folder without creating a database there.
async fn export(
    config: &Config,
    slug: &FrameworkSlug,
    version: Option<&str>,
) -> Result<credence_domain::FrameworkDocument, Failure> {
    let has_database =
        !config.uses_local_sqlite() || config.database.data_dir.join("credence.db").exists();
    if has_database {
        let services = services(config).await?;
        match services.frameworks.get(slug, version).await {
            Ok(fw) => return Ok(fw.document().clone()),
            Err(credence_service::ServiceError::NotFound(_)) => {}
            Err(e) => return Err(service_failure("export", e)),
        }
    }
    for text in bundled::ALL {
        let fw = Framework::from_json(text.as_bytes())
            .map_err(|p| anyhow::anyhow!("a bundled framework is invalid: {p}"))?;
        if fw.slug() == slug && version.is_none_or(|v| v == fw.version()) {
            return Ok(fw.document().clone());
        }
    }
    Err(Failure::Refused(match version {
        Some(v) => format!("no framework '{slug}' version '{v}' is imported or bundled"),
        None => format!("no framework '{slug}' is imported or bundled"),
    }))
}
