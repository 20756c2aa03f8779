//! `credence backup DEST`: a consistent copy of a SQLite registry, taken while it serves
//! (`VACUUM INTO`), with the master key that opens its signing keys beside it (mode 0600).
//! DEST is laid out as a data folder, so restoring is pointing `database.data_dir` at it.
//! A signed checkpoint of the audit chain is made first and written beside DEST, as
//! `DEST.checkpoint.json`, so the copy's chain can be checked against it later.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use credence_service::audit_chain::{make_checkpoint, AuditCheckpoint};
use credence_service::ServiceError;
use credence_store::Store;
use credence_vc::sealed::MasterKey;

use crate::cli::BackupArgs;
use crate::config::Config;
use crate::Failure;

/// The names of the database and the master key in a data folder.
const DATABASE_FILE: &str = "credence.db";
const MASTER_KEY_FILE: &str = "master.key";

pub async fn run(config: Config, args: BackupArgs) -> Result<(), Failure> {
    let database = config.database();
    let Some(source) = sqlite_file(database.url.expose()) else {
        return Err(Failure::Refused(format!(
            "the database is {}: `credence backup` copies SQLite registries; back PostgreSQL \
             up with pg_dump and copy the master key file {} (see OPERATIONS.md)",
            database.url,
            config.master_key_path().display()
        )));
    };
    if !source.is_file() {
        return Err(Failure::Refused(format!(
            "there is no database at {} to back up",
            source.display()
        )));
    }
    let dest = args.dest;
    let db_copy = dest.join(DATABASE_FILE);
    let key_copy = dest.join(MASTER_KEY_FILE);
    let checkpoint_file = checkpoint_path(&dest);
    for existing in [&db_copy, &key_copy, &checkpoint_file] {
        if existing.exists() {
            return Err(Failure::Refused(format!(
                "{} exists: back up into a new or empty folder",
                existing.display()
            )));
        }
    }
    // The master key: without it the copied signing keys cannot be opened.
    let key_path = config.master_key_path();
    let master = match std::fs::read_to_string(&key_path) {
        Ok(text) => {
            let key = MasterKey::from_hex(&text)
                .map_err(|e| Failure::Refused(format!("{}: {e}", key_path.display())))?;
            Some((text, key))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err(Failure::Failed(anyhow::anyhow!(
                "cannot read the master key file {}: {e}",
                key_path.display()
            )))
        }
    };
    std::fs::create_dir_all(&dest)
        .with_context(|| format!("cannot create the folder {}", dest.display()))?;

    // The database: VACUUM INTO a partial file, then rename, so a DEST/credence.db is
    // always a complete copy. The checkpoint is made first, so the copy holds its entry.
    eprintln!(
        "Copying the database {} to {} ...",
        source.display(),
        db_copy.display()
    );
    let started = Instant::now();
    let partial = dest.join(format!(".{DATABASE_FILE}.partial"));
    let _ = std::fs::remove_file(&partial);
    let store = Store::connect(&database)
        .await
        .with_context(|| format!("cannot open the database {}", database.url))?;
    let checkpoint = match &master {
        Some((_, key)) => checkpoint(&store, key).await,
        None => None,
    };
    let copied = store.backup_sqlite_into(&partial).await;
    store.close().await.context("closing the database")?;
    copied.with_context(|| format!("cannot copy the database into {}", partial.display()))?;
    restrict_and_sync(&partial)?;
    std::fs::rename(&partial, &db_copy)
        .with_context(|| format!("cannot rename {} into place", partial.display()))?;
    let bytes = std::fs::metadata(&db_copy).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "  {} bytes in {:.1} s (a consistent snapshot; the registry kept serving)",
        bytes,
        started.elapsed().as_secs_f64()
    );

    match &master {
        Some((text, _)) => {
            write_private(&key_copy, text.as_bytes())?;
            eprintln!(
                "Copied the master key {} to {} (mode 0600).",
                key_path.display(),
                key_copy.display()
            );
        }
        None => eprintln!(
            "No master key at {}: no signing key has been sealed yet, so none is copied.",
            key_path.display()
        ),
    }
    if let Some(checkpoint) = checkpoint {
        let text = serde_json::to_string_pretty(&checkpoint).context("writing the checkpoint")?;
        std::fs::write(&checkpoint_file, format!("{text}\n"))
            .with_context(|| format!("cannot write {}", checkpoint_file.display()))?;
        eprintln!(
            "Wrote the audit checkpoint of entry {} to {}: keep a copy apart from the backup \
             to check it with `credence audit verify --checkpoint`.",
            checkpoint.seq,
            checkpoint_file.display()
        );
    }
    println!(
        "Backup complete in {}. To restore, point database.data_dir (CREDENCE_DATA_DIR) at \
         a copy of it; keep it private: the master key opens every signing key.",
        dest.display()
    );
    Ok(())
}

/// A signed checkpoint of the chain's head, or `None` with a warning: the backup goes on.
async fn checkpoint(store: &Store, key: &MasterKey) -> Option<AuditCheckpoint> {
    match make_checkpoint(store, key).await {
        Ok(checkpoint) => Some(checkpoint),
        Err(e) => {
            let why = match e {
                ServiceError::Unavailable(detail) => detail,
                other => credence_service::error_chain(&other),
            };
            eprintln!("warning: no audit checkpoint was made ({why}); the backup goes on");
            None
        }
    }
}

/// Where the checkpoint of a backup into `dest` goes: beside it, `DEST.checkpoint.json`
/// (inside it when `dest` has no name of its own, such as `.`).
fn checkpoint_path(dest: &Path) -> PathBuf {
    match dest.file_name() {
        Some(name) => dest.with_file_name(format!("{}.checkpoint.json", name.to_string_lossy())),
        None => dest.join("audit-checkpoint.json"),
    }
}

/// The file of a `sqlite:` URL, or `None` for another engine.
fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    Some(PathBuf::from(path))
}

/// Makes a file readable by its owner only and flushes it to disk.
fn restrict_and_sync(path: &Path) -> Result<(), Failure> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("cannot restrict {}", path.display()))?;
    }
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("cannot flush {}", path.display()))?;
    Ok(())
}

/// Creates `path` (never overwriting) with mode 0600 and writes `bytes` to it, durably.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{checkpoint_path, sqlite_file};

    #[test]
    fn the_checkpoint_goes_beside_the_backup() {
        for (dest, file) in [
            (
                "/var/backups/nightly",
                "/var/backups/nightly.checkpoint.json",
            ),
            ("nightly/", "nightly.checkpoint.json"),
            (".", "./audit-checkpoint.json"),
        ] {
            assert_eq!(
                checkpoint_path(std::path::Path::new(dest)),
                std::path::PathBuf::from(file),
                "{dest}"
            );
        }
    }

    #[test]
    fn only_sqlite_urls_name_a_file() {
        for (url, file) in [
            (
                "sqlite://./credence-data/credence.db",
                Some("./credence-data/credence.db"),
            ),
            (
                "sqlite:///var/lib/credence/credence.db?mode=rwc",
                Some("/var/lib/credence/credence.db"),
            ),
            ("sqlite:x.db", Some("x.db")),
            ("postgres://u@db/credence", None),
        ] {
            assert_eq!(
                sqlite_file(url),
                file.map(std::path::PathBuf::from),
                "{url}"
            );
        }
    }
}
