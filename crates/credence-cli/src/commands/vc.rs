//! `credence vc ...`: key generation, signing, offline verification, baking and a speed
//! test, on files, with no database and no configuration.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use chrono::{DateTime, Utc};
use credence_vc::baking::{self, BakedCredential};
use credence_vc::canon::Canonicalizer;
use credence_vc::did::{StaticResolver, VerificationMethod};
use credence_vc::jwt;
use credence_vc::keys::{KeyPairFile, SigningKey};
use credence_vc::proof::{self, Cryptosuite, ProofOptions};
use credence_vc::verify::{self, Outcome, VerifyContext};
use serde_json::{json, Value};

use crate::cli::VcCommand;
use crate::Failure;

/// The credential `vc speed` signs and verifies (the ob3-interop test vector).
const SPEED_CREDENTIAL: &str =
    include_str!("../../../../tests/vectors/ob3-interop/ob3-unsigned.json");
/// The public W3C test-vector key that signed the ob3-interop credential (its issuer's key).
const SPEED_KEY: &str = include_str!("../../../../tests/vectors/vc-di-eddsa/keyPair.json");
/// The key file `vc keygen` writes when `--out` is not given.
const DEFAULT_KEY_FILE: &str = "credence-key.json";

/// Runs one `vc` command.
pub fn run(command: VcCommand) -> Result<(), Failure> {
    match command {
        VcCommand::Keygen { out } => keygen(out.as_deref().unwrap_or(Path::new(DEFAULT_KEY_FILE))),
        VcCommand::Sign {
            key,
            created,
            cryptosuite,
            verification_method,
            input,
        } => sign(&key, created, &cryptosuite, verification_method, &input),
        VcCommand::Verify {
            json,
            fetch,
            at,
            trust_key,
            status_list,
            input,
        } => verify(&input, json, fetch, at.as_deref(), &trust_key, &status_list),
        VcCommand::Bake {
            image,
            credential,
            out,
        } => bake(&image, &credential, out.as_deref()),
        VcCommand::Unbake { image } => unbake(&image),
        VcCommand::Speed {
            json,
            iterations,
            credential,
        } => speed(json, iterations, credential.as_deref()),
    }
}

fn refused(path: &Path, what: impl std::fmt::Display) -> Failure {
    Failure::Refused(format!("{}: {what}", path.display()))
}

fn read_bytes(path: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| refused(path, format_args!("cannot read the file: {e}")))
}

fn read_text(path: &Path) -> Result<String, Failure> {
    String::from_utf8(read_bytes(path)?).map_err(|_| refused(path, "the file is not UTF-8 text"))
}

/// Reads a JSON object from a file, naming the file and the position of any error.
fn read_json_object(path: &Path) -> Result<Value, Failure> {
    let value: Value = serde_json::from_str(&read_text(path)?)
        .map_err(|e| refused(path, format_args!("not valid JSON: {e}")))?;
    if !value.is_object() {
        return Err(refused(path, "the document must be a JSON object"));
    }
    Ok(value)
}

fn write_stdout(bytes: &[u8]) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .context("cannot write to standard output")?;
    Ok(())
}

fn keygen(out: &Path) -> Result<(), Failure> {
    let key = SigningKey::generate().context("cannot generate a key")?;
    let public = key.verifying_key();
    let file = KeyPairFile::new(
        &key,
        Some(public.did_key_verification_method()),
        Some(public.did_key()),
    );
    let text = file.to_json();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut handle = options.open(out).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            refused(out, "the file already exists; choose another with --out")
        } else {
            refused(out, format_args!("cannot create the key file: {e}"))
        }
    })?;
    handle
        .write_all(text.as_bytes())
        .and_then(|()| handle.write_all(b"\n"))
        .and_then(|()| handle.sync_all())
        .with_context(|| format!("cannot write the key file {}", out.display()))?;
    println!("{}", public.did_key());
    eprintln!(
        "Wrote the key pair to {} (readable by you only). Keep it secret.",
        out.display()
    );
    Ok(())
}

fn parse_time(text: &str, option: &str) -> Result<DateTime<Utc>, Failure> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            Failure::Refused(format!(
                "{option} {text:?} is not an RFC 3339 date and time such as 2025-03-01T12:00:00Z: {e}"
            ))
        })
}

fn sign(
    key_path: &Path,
    created: Option<String>,
    cryptosuite: &str,
    verification_method: Option<String>,
    input: &Path,
) -> Result<(), Failure> {
    let suite = Cryptosuite::from_name(cryptosuite)
        .map_err(|e| Failure::Refused(format!("--cryptosuite: {e}")))?;
    if let Some(created) = &created {
        parse_time(created, "--created")?;
    }
    let key = KeyPairFile::from_json(&read_text(key_path)?)
        .and_then(|file| file.signing_key())
        .map_err(|e| refused(key_path, e))?;
    let document = read_json_object(input)?;
    let mut options = ProofOptions::new(
        verification_method.unwrap_or_else(|| key.verifying_key().did_key_verification_method()),
    );
    options.cryptosuite = suite;
    options.created = created;
    let signed = proof::sign(&document, &key, &options)
        .map_err(|e| refused(input, format_args!("cannot sign: {e}")))?;
    let mut text = serde_json::to_string_pretty(&signed).context("cannot print the document")?;
    text.push('\n');
    write_stdout(text.as_bytes())
}

/// A credential to verify: secured by a Data Integrity proof (JSON), or a JWT-secured one
/// (VC-JOSE-COSE or VC-JWT, the compact token).
enum Secured {
    Json(Value),
    Jwt(String),
}

/// The credential in `path`: a JSON file, a file holding a JWT, or a PNG or SVG with
/// either baked in.
fn read_credential(path: &Path) -> Result<Secured, Failure> {
    let bytes = read_bytes(path)?;
    if baking::detect_format(&bytes).is_ok() {
        return match baking::unbake(&bytes).map_err(|e| refused(path, e))? {
            Some(BakedCredential::Json(value)) => Ok(Secured::Json(value)),
            Some(BakedCredential::Jwt(token)) => Ok(Secured::Jwt(token)),
            Some(BakedCredential::Url(address)) => Err(refused(
                path,
                format_args!("this image carries only the address of an Open Badges 2.0 hosted assertion ({address}); the command line verifies Verifiable Credentials: give the address to the /verify page of a Credence that fetches"),
            )),
            None => Err(refused(path, "no credential is baked into this image")),
        };
    }
    if let Ok(text) = std::str::from_utf8(&bytes) {
        if jwt::looks_like_jwt(text.trim()) {
            return Ok(Secured::Jwt(text.trim().to_owned()));
        }
    }
    read_json_object(path).map(Secured::Json)
}

impl Secured {
    /// What `--fetch` reads to know what to fetch: the credential, and for a token its
    /// `kid` standing for the proof's verification method.
    fn for_fetch(&self) -> Value {
        match self {
            Secured::Json(doc) => doc.clone(),
            Secured::Jwt(token) => match jwt::peek(token) {
                Some((kid, mut credential)) => {
                    if let (Some(kid), Some(fields)) = (kid, credential.as_object_mut()) {
                        fields.insert("proof".into(), json!({ "verificationMethod": kid }));
                    }
                    credential
                }
                None => Value::Null,
            },
        }
    }
}

/// Adds the verification method of a trusted key file (which must name its id and
/// controller) to the resolver.
fn trust(resolver: StaticResolver, path: &Path) -> Result<StaticResolver, Failure> {
    let file = KeyPairFile::from_json(&read_text(path)?).map_err(|e| refused(path, e))?;
    let public_key = file.verifying_key().map_err(|e| refused(path, e))?;
    let id = file.id.clone().ok_or_else(|| {
        refused(
            path,
            "the key file names no verification method (id or verificationMethod)",
        )
    })?;
    let controller = file
        .controller
        .clone()
        .ok_or_else(|| refused(path, "the key file names no controller"))?;
    Ok(resolver.with(VerificationMethod {
        id,
        controller,
        public_key,
    }))
}

/// Status list credentials given on the command line (or fetched with --fetch), by id, and
/// why those that could not be fetched were not.
#[derive(Default)]
struct ListFiles(
    std::collections::HashMap<String, Value>,
    std::collections::HashMap<String, String>,
);

impl verify::StatusFetcher for ListFiles {
    fn fetch(&self, url: &str) -> Result<Value, verify::FetchError> {
        if let Some(list) = self.0.get(url) {
            return Ok(list.clone());
        }
        match self.1.get(url) {
            Some(reason) => Err(verify::FetchError::Unavailable {
                url: url.to_owned(),
                reason: reason.clone(),
            }),
            None => Err(verify::FetchError::Offline),
        }
    }
}

fn verify(
    input: &Path,
    as_json: bool,
    fetch: bool,
    at: Option<&str>,
    trusted: &[PathBuf],
    status_lists: &[PathBuf],
) -> Result<(), Failure> {
    let now = match at {
        Some(text) => parse_time(text, "--at")?,
        None => Utc::now(),
    };
    let document = read_credential(input)?;
    let mut resolver = StaticResolver::new();
    for path in trusted {
        resolver = trust(resolver, path)?;
    }
    let canonicalizer = Canonicalizer::standard();
    let mut lists = ListFiles::default();
    for path in status_lists {
        let list: Value = serde_json::from_str(&read_text(path)?)
            .map_err(|e| refused(path, format!("not JSON: {e}")))?;
        let id = list
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| refused(path, "the status list credential has no id"))?
            .to_owned();
        lists.0.insert(id, list);
    }
    let mut jwt_keys = Vec::new();
    let fetches = if fetch {
        let wanted = document.for_fetch();
        crate::commands::vc_fetch::prepare(
            &wanted,
            &mut resolver,
            &mut lists.0,
            &mut lists.1,
            &mut jwt_keys,
        )?
    } else {
        Vec::new()
    };
    let ctx = VerifyContext::new(now, &resolver, &lists).with_canonicalizer(canonicalizer);
    let mut report = match &document {
        Secured::Json(doc) => verify::verify_credential(doc, &ctx),
        Secured::Jwt(token) => jwt::verify_jwt(token, &ctx, &jwt_keys).1,
    };
    report.fetches = fetches;
    if as_json {
        let mut text = serde_json::to_string_pretty(&report).context("cannot print the report")?;
        text.push('\n');
        write_stdout(text.as_bytes())?;
    } else {
        let mut text = format!("{}: {}\n", input.display(), report.verdict.label());
        let width = report
            .checks
            .iter()
            .map(|c| c.code.len())
            .max()
            .unwrap_or(0);
        for check in &report.checks {
            text.push_str(&format!(
                "  {} {:width$}  {}\n",
                check.outcome.mark(),
                check.code,
                check.message
            ));
            if let (Some(detail), true) = (&check.detail, check.outcome != Outcome::Passed) {
                text.push_str(&format!("    {:width$}  {detail}\n", ""));
            }
        }
        let status_unknown = report
            .checks
            .iter()
            .any(|c| c.code.starts_with("status") && c.outcome == Outcome::Unknown);
        text.push_str(&crate::commands::vc_fetch::describe(&report.fetches));
        if status_unknown && !fetch {
            text.push_str(
                "Note: this command works offline and never fetches status lists, so it cannot tell whether the credential was revoked or suspended. Verify it with the issuer's service for a complete answer.\n",
            );
        }
        write_stdout(text.as_bytes())?;
    }
    if report.is_verified() {
        Ok(())
    } else {
        Err(Failure::Failed(anyhow::anyhow!(
            "{}: the verdict is \"{}\"",
            input.display(),
            report.verdict.label()
        )))
    }
}

fn bake(image_path: &Path, credential_path: &Path, out: Option<&Path>) -> Result<(), Failure> {
    let image = read_bytes(image_path)?;
    let credential = BakedCredential::from_text(&read_text(credential_path)?)
        .map_err(|e| refused(credential_path, e))?;
    let baked = baking::bake(&image, &credential).map_err(|e| refused(image_path, e))?;
    match out {
        Some(path) => std::fs::write(path, &baked)
            .with_context(|| format!("cannot write {}", path.display()))
            .map_err(Failure::from),
        None => write_stdout(&baked),
    }
}

fn unbake(image_path: &Path) -> Result<(), Failure> {
    let image = read_bytes(image_path)?;
    match baking::unbake(&image).map_err(|e| refused(image_path, e))? {
        Some(BakedCredential::Json(value)) => {
            let mut text =
                serde_json::to_string_pretty(&value).context("cannot print the credential")?;
            text.push('\n');
            write_stdout(text.as_bytes())
        }
        Some(BakedCredential::Jwt(jwt)) => write_stdout(format!("{jwt}\n").as_bytes()),
        Some(BakedCredential::Url(address)) => write_stdout(format!("{address}\n").as_bytes()),
        None => Err(refused(
            image_path,
            "no credential is baked into this image",
        )),
    }
}

fn median_us(samples: &mut [f64]) -> f64 {
    samples.sort_by(f64::total_cmp);
    let mid = samples.len() / 2;
    let median = if samples.len().is_multiple_of(2) && mid > 0 {
        (samples[mid - 1] + samples[mid]) / 2.0
    } else {
        samples.get(mid).copied().unwrap_or(0.0)
    };
    (median * 10.0).round() / 10.0
}

fn micros(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1e6
}

fn speed(as_json: bool, iterations: usize, credential: Option<&Path>) -> Result<(), Failure> {
    if iterations == 0 {
        return Err(Failure::Refused("--iterations must be at least 1".into()));
    }
    let (mut document, name) = match credential {
        Some(path) => (read_json_object(path)?, path.display().to_string()),
        None => (
            serde_json::from_str(SPEED_CREDENTIAL).context("the bundled credential is not JSON")?,
            "ob3-interop".to_owned(),
        ),
    };
    if let Value::Object(map) = &mut document {
        map.remove("proof");
    }
    let key = KeyPairFile::from_json(SPEED_KEY)
        .and_then(|file| file.signing_key())
        .context("the bundled key is unreadable")?;
    let vm = key.verifying_key().did_key_verification_method();
    let resolver = StaticResolver::new();
    let canonicalizer = Canonicalizer::standard();
    let options_for = |suite: Cryptosuite| {
        let mut options = ProofOptions::new(vm.clone());
        options.cryptosuite = suite;
        options.created = Some("2025-03-01T12:00:00Z".into());
        options.canonicalizer = canonicalizer.clone();
        options
    };

    // The very first sign in the process: contexts are processed and cached now.
    let cold = options_for(Cryptosuite::EddsaRdfc2022);
    let start = Instant::now();
    proof::sign(&document, &key, &cold)
        .map_err(|e| Failure::Refused(format!("{name}: the credential cannot be signed: {e}")))?;
    let first_sign_us = (micros(start) * 10.0).round() / 10.0;

    let mut results = serde_json::Map::new();
    let mut rows = Vec::new();
    for suite in [Cryptosuite::EddsaRdfc2022, Cryptosuite::EddsaJcs2022] {
        let options = options_for(suite);
        let signed =
            proof::sign(&document, &key, &options).context("signing the credential failed")?;
        let mut signs = Vec::with_capacity(iterations);
        let mut verifies = Vec::with_capacity(iterations);
        for _ in 0..iterations {
            let start = Instant::now();
            let out = proof::sign(std::hint::black_box(&document), &key, &options);
            signs.push(micros(start));
            out.context("signing the credential failed")?;
            let start = Instant::now();
            let out = proof::verify_proofs(std::hint::black_box(&signed), &resolver, canonicalizer);
            verifies.push(micros(start));
            out.context("the credential did not verify")?;
        }
        let (sign_us, verify_us) = (median_us(&mut signs), median_us(&mut verifies));
        results.insert(
            suite.name().to_owned(),
            json!({"sign_us": sign_us, "verify_us": verify_us}),
        );
        rows.push((suite.name(), sign_us, verify_us));
    }
    if as_json {
        let report = json!({
            "credential": name,
            "iterations": iterations,
            "results": results,
            "first_sign_us": first_sign_us,
        });
        write_stdout(format!("{report}\n").as_bytes())
    } else {
        let mut text = format!(
            "{name} credential, {iterations} iterations, median time per operation:\n\n{:<18} {:>12} {:>12} {:>10} {:>10}\n",
            "cryptosuite", "sign (µs)", "verify (µs)", "sign/s", "verify/s"
        );
        for (name, sign_us, verify_us) in rows {
            let per_second = |us: f64| if us > 0.0 { (1e6 / us).round() } else { 0.0 };
            text.push_str(&format!(
                "{name:<18} {sign_us:>12.1} {verify_us:>12.1} {:>10} {:>10}\n",
                per_second(sign_us),
                per_second(verify_us)
            ));
        }
        text.push_str(&format!(
            "\nFirst eddsa-rdfc-2022 sign after start-up (contexts processed and cached): {first_sign_us:.1} µs\n"
        ));
        write_stdout(text.as_bytes())
    }
}
