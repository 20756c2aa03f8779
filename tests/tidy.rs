//! Tidy checks, rust-analyzer's habit: the rules of ARCHITECTURE.md that code review would
//! otherwise have to remember (crate dependencies, file headers, secrets out of `Debug`,
//! no reading of the environment outside the CLI, `unwrap` denied, file and function
//! sizes, a documents crate without a clock), each failing with the file and line that
//! break it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The workspace's root folder.
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace root exists")
}

/// Every `.rs` file under `dir` (relative to the root), sorted, skipping `target` folders
/// and the test vectors (third-party files).
pub(crate) fn rust_files(dir: &str) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if path.is_dir() {
                if !matches!(
                    name.to_str(),
                    Some("target" | "vectors" | "node_modules" | "corpus")
                ) {
                    walk(&path, out);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join(dir), &mut out);
    out.sort();
    out
}

/// A path relative to the workspace root, for messages.
pub(crate) fn rel(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

pub(crate) fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", rel(path)))
}

/// The lines of a rustfmt-formatted file that are not test code, numbered from 1: a
/// `#[cfg(test)]` item (a `mod tests { … }` block, a function, a `use`) is left out up to
/// the line that closes it at its own indentation.
pub(crate) fn non_test_lines(text: &str) -> Vec<(usize, &str)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.trim() == "#[cfg(test)]" {
            let indent = line.len() - line.trim_start().len();
            // Skip further attributes, then the item itself.
            let mut j = i + 1;
            while j < lines.len() && lines[j].trim_start().starts_with("#[") {
                j += 1;
            }
            let item = lines.get(j).copied().unwrap_or("");
            if item.trim_end().ends_with('{') {
                let close = format!("{}}}", " ".repeat(indent));
                while j < lines.len() && lines[j].trim_end() != close {
                    j += 1;
                }
            }
            i = j + 1;
            continue;
        }
        out.push((i + 1, line));
        i += 1;
    }
    out
}

/// Panics with every problem found, one a line, if there is any.
pub(crate) fn report(what: &str, problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{what}:\n{}",
        problems
            .iter()
            .map(|p| format!("  {p}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

// ---------------------------------------------------------------------------------------
// Crate dependencies.

/// The workspace's crates and, for each, its normal and build dependencies by name
/// (dev-dependencies are the tests' and benchmarks' business), from `cargo metadata`. An
/// optional dependency listed in [`OPTIONAL_FEATURES`] is left out: what it may bring and
/// who may enable it is checked by `tidy_the_domain_knows_sea_orm_only_through_the_stores_feature`.
fn crate_dependencies() -> BTreeMap<String, BTreeSet<String>> {
    crate_metadata()
        .iter()
        .map(|package| {
            let name = package["name"].as_str().expect("name").to_owned();
            let deps = package["dependencies"]
                .as_array()
                .expect("dependencies")
                .iter()
                .filter(|d| d["kind"].as_str() != Some("dev"))
                .filter(|d| {
                    !(d["optional"].as_bool() == Some(true)
                        && OPTIONAL_FEATURES
                            .iter()
                            .any(|(c, dep, _)| *c == name && d["name"].as_str() == Some(*dep)))
                })
                .filter_map(|d| d["name"].as_str().map(str::to_owned))
                .collect();
            (name, deps)
        })
        .collect()
}

/// The workspace's packages as `cargo metadata` describes them.
fn crate_metadata() -> Vec<Value> {
    let output = std::process::Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(root())
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: Value = serde_json::from_slice(&output.stdout).expect("cargo metadata is JSON");
    metadata["packages"].as_array().expect("packages").clone()
}

/// Optional dependencies the rules below allow where they would otherwise forbid them: the
/// crate, the dependency (a feature of the same name enables it) and the one workspace
/// crate that may enable that feature.
const OPTIONAL_FEATURES: &[(&str, &str, &str)] = &[
    // The domain's types map to their text columns (sea-orm's value traits, no SQL), for
    // the store's entities only.
    ("credence-domain", "sea-orm", "credence-store"),
];

#[test]
fn tidy_the_domain_knows_sea_orm_only_through_the_stores_feature() {
    let packages = crate_metadata();
    let mut problems = Vec::new();
    for (krate, dep, enabler) in OPTIONAL_FEATURES {
        let package = packages
            .iter()
            .find(|p| p["name"].as_str() == Some(*krate))
            .unwrap_or_else(|| panic!("no crate {krate}"));
        for d in package["dependencies"].as_array().expect("dependencies") {
            if d["name"].as_str() == Some(*dep)
                && d["kind"].as_str() != Some("dev")
                && d["optional"].as_bool() != Some(true)
            {
                problems.push(format!(
                    "crates/{krate}/Cargo.toml: {dep} must stay optional (only {enabler} enables it)"
                ));
            }
        }
        let default = &package["features"]["default"];
        if default.as_array().is_some_and(|f| {
            f.iter()
                .any(|f| f.as_str().is_some_and(|f| f.contains(dep)))
        }) {
            problems.push(format!(
                "crates/{krate}/Cargo.toml: the default features must not enable {dep}"
            ));
        }
        for other in &packages {
            let name = other["name"].as_str().expect("name");
            let enables = other["dependencies"]
                .as_array()
                .expect("dependencies")
                .iter()
                .filter(|d| d["name"].as_str() == Some(*krate))
                .any(|d| {
                    d["features"]
                        .as_array()
                        .is_some_and(|f| f.iter().any(|f| f.as_str() == Some(*dep)))
                });
            let by_feature = other["features"].as_object().is_some_and(|features| {
                features
                    .values()
                    .flat_map(|v| v.as_array().cloned().unwrap_or_default())
                    .any(|f| f.as_str() == Some(&format!("{krate}/{dep}")))
            });
            if (enables || by_feature) && name != *enabler {
                problems.push(format!(
                    "crates/{name}/Cargo.toml: only {enabler} may enable {krate}'s {dep} feature"
                ));
            }
        }
    }
    report("optional dependencies break ARCHITECTURE.md", &problems);
}

/// Crates that only the named workspace crates may depend on.
const ONLY_IN: &[(&str, &[&str])] = &[
    ("sea-orm", &["credence-store"]),
    ("sea-orm-migration", &["credence-migration"]),
    ("sqlx", &["credence-store"]),
    ("credence-migration", &["credence-store"]),
    // Pages, and the words of e-mail (ARCHITECTURE.md, credence-mail).
    ("askama", &["credence-web", "credence-mail"]),
    // The one SMTP client.
    ("lettre", &["credence-mail"]),
    // The CLI runs the HTTP server loop around the router (`commands/http_server.rs`).
    ("axum", &["credence-web", "credence-cli"]),
    ("tower-http", &["credence-web", "credence-cli"]),
    // The server loop, and the one outbound client (ARCHITECTURE.md, credence-fetch).
    ("hyper", &["credence-cli", "credence-fetch"]),
    ("utoipa-axum", &["credence-web"]),
    ("clap", &["credence-cli"]),
    ("credence-web", &["credence-cli"]),
    ("credence-store", &["credence-service", "credence-cli"]),
];

/// Crates the named workspace crate must not depend on.
const NEVER_IN: &[(&str, &[&str])] = &[
    (
        "credence-domain",
        &[
            "sea-orm",
            "axum",
            "tokio",
            "reqwest",
            "utoipa",
            "utoipa-axum",
            "askama",
            "credence-vc",
            "credence-store",
            "credence-service",
            "credence-web",
        ],
    ),
    (
        "credence-vc",
        &[
            "sea-orm",
            "sqlx",
            "axum",
            "tokio",
            "reqwest",
            "utoipa",
            "askama",
            "credence-domain",
            "credence-store",
            "credence-service",
            "credence-web",
            "credence-migration",
        ],
    ),
    ("credence-store", &["credence-vc", "credence-service"]),
    (
        "credence-documents",
        &[
            "sea-orm",
            "sqlx",
            "axum",
            "tokio",
            "reqwest",
            "hyper",
            "utoipa",
            "askama",
            "credence-store",
            "credence-fetch",
            "credence-service",
            "credence-web",
            "credence-migration",
        ],
    ),
    (
        "credence-mail",
        &[
            "sea-orm",
            "sqlx",
            "axum",
            "credence-store",
            "credence-service",
            "credence-web",
        ],
    ),
    ("credence-service", &["axum", "askama", "sea-orm", "sqlx"]),
    ("credence-web", &["sea-orm", "sqlx"]),
];

/// Today's breaches of the rules above, each with the change that removes it. The list
/// only shrinks (it is empty now): an entry that no longer breaks a rule fails the test
/// until it is removed.
const KNOWN_BREACHES: &[(&str, &str, &str)] = &[];

#[test]
fn tidy_crate_dependencies_follow_architecture_md() {
    let crates = crate_dependencies();
    let known: BTreeSet<(&str, &str)> = KNOWN_BREACHES.iter().map(|(c, d, _)| (*c, *d)).collect();
    let mut breaches = BTreeSet::new();
    for (dep, allowed) in ONLY_IN {
        for (name, deps) in &crates {
            if deps.contains(*dep) && !allowed.contains(&name.as_str()) {
                breaches.insert((
                    name.clone(),
                    (*dep).to_owned(),
                    format!("only {allowed:?} may depend on {dep}"),
                ));
            }
        }
    }
    for (name, forbidden) in NEVER_IN {
        let deps = crates
            .get(*name)
            .unwrap_or_else(|| panic!("no crate {name}"));
        for dep in *forbidden {
            if deps.contains(*dep) {
                breaches.insert((
                    (*name).to_owned(),
                    (*dep).to_owned(),
                    format!("{name} must not depend on {dep}"),
                ));
            }
        }
    }
    let mut problems: Vec<String> = breaches
        .iter()
        .filter(|(c, d, _)| !known.contains(&(c.as_str(), d.as_str())))
        .map(|(c, _, rule)| format!("crates/{c}/Cargo.toml: {rule} (ARCHITECTURE.md, Invariants)"))
        .collect();
    for (c, d, why) in KNOWN_BREACHES {
        if !breaches.iter().any(|(bc, bd, _)| bc == c && bd == d) {
            problems.push(format!(
                "tests/tidy.rs: KNOWN_BREACHES lists {c} -> {d} ({why}), which no longer holds: remove it"
            ));
        }
    }
    report("crate dependencies break ARCHITECTURE.md", &problems);
}

/// What reads the clock or the system's randomness; `credence-documents` takes times and
/// random values as parameters instead, so the same input always gives the same document.
const CLOCK_AND_CHANCE: &[&str] = &[
    "Utc::now",
    "Local::now",
    "SystemTime::now",
    "Instant::now",
    "Uuid::new_v4",
    "getrandom",
];

#[test]
fn tidy_the_documents_never_read_the_clock() {
    let mut problems = Vec::new();
    for path in rust_files("crates/credence-documents") {
        let text = read(&path);
        for (n, line) in non_test_lines(&text) {
            let code = line.split("//").next().unwrap_or("");
            if let Some(needle) = CLOCK_AND_CHANCE.iter().find(|c| code.contains(*c)) {
                problems.push(format!(
                    "{}:{n}: calls {needle}; take the time or random value as a parameter",
                    rel(&path)
                ));
            }
        }
    }
    report("credence-documents reads the clock or chance", &problems);
}

/// The workspace's own crates and the workspace crates each depends on: the diagram of
/// ARCHITECTURE.md ("The crates"), which must change with this list.
const WORKSPACE_GRAPH: &[(&str, &[&str])] = &[
    (
        "credence-cli",
        &[
            "credence-documents",
            "credence-domain",
            "credence-fetch",
            "credence-mail",
            "credence-service",
            "credence-store",
            "credence-vc",
            "credence-web",
        ],
    ),
    (
        "credence-web",
        &[
            "credence-documents",
            "credence-domain",
            "credence-service",
            "credence-vc",
        ],
    ),
    (
        "credence-service",
        &[
            "credence-documents",
            "credence-domain",
            "credence-fetch",
            "credence-mail",
            "credence-store",
            "credence-vc",
        ],
    ),
    ("credence-documents", &["credence-domain", "credence-vc"]),
    ("credence-store", &["credence-domain", "credence-migration"]),
    ("credence-vc", &[]),
    ("credence-fetch", &[]),
    ("credence-mail", &[]),
    ("credence-domain", &[]),
    ("credence-migration", &[]),
];

#[test]
fn tidy_the_crate_graph_is_the_one_architecture_md_draws() {
    let crates = crate_dependencies();
    let actual: BTreeMap<&str, BTreeSet<&str>> = crates
        .iter()
        .map(|(name, deps)| {
            let own = deps
                .iter()
                .filter(|d| crates.contains_key(*d))
                .map(String::as_str)
                .collect();
            (name.as_str(), own)
        })
        .collect();
    let drawn: BTreeMap<&str, BTreeSet<&str>> = WORKSPACE_GRAPH
        .iter()
        .map(|(name, deps)| (*name, deps.iter().copied().collect()))
        .collect();
    assert_eq!(
        actual, drawn,
        "the crates' manifests and ARCHITECTURE.md's diagram (WORKSPACE_GRAPH in tests/tidy.rs) disagree"
    );
    // The document names every crate and only tidy tests that exist.
    let doc = read(&root().join("ARCHITECTURE.md"));
    let tidy = read(&root().join("tests/tidy.rs")) + &read(&root().join("tests/tidy_routes.rs"));
    let mut problems: Vec<String> = drawn
        .keys()
        .filter(|name| !doc.contains(*name))
        .map(|name| format!("ARCHITECTURE.md: does not name the crate {name}"))
        .collect();
    for (n, line) in doc.lines().enumerate() {
        for word in line.split('`').skip(1).step_by(2) {
            let test_name = word.starts_with("tidy_")
                && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if test_name && !tidy.contains(&format!("fn {word}()")) {
                problems.push(format!(
                    "ARCHITECTURE.md:{}: names `{word}`, which no tidy test file has",
                    n + 1
                ));
            }
        }
    }
    report("ARCHITECTURE.md is out of date", &problems);
}

// ---------------------------------------------------------------------------------------
// The environment.

/// Reading the environment outside `credence-cli`: files and lines allowed to, and why.
/// (None today: libraries take plain configuration structs.)
const ENV_EXCEPTIONS: &[(&str, &str)] = &[];

#[test]
fn tidy_only_the_cli_reads_the_environment() {
    let mut problems = Vec::new();
    let mut used = BTreeSet::new();
    let files = ["crates", "migrations"]
        .iter()
        .flat_map(|d| rust_files(d))
        .filter(|p| !rel(p).starts_with("crates/credence-cli/"))
        .filter(|p| !rel(p).contains("/benches/") && !rel(p).contains("/tests/"));
    for path in files {
        let text = read(&path);
        for (n, line) in non_test_lines(&text) {
            let code = line.split("//").next().unwrap_or("");
            let reads = [
                "env::var",
                "env::vars",
                "env::var_os",
                "env::args",
                "dotenv",
            ]
            .iter()
            .any(|needle| code.contains(needle));
            if !reads {
                continue;
            }
            let here = rel(&path);
            match ENV_EXCEPTIONS.iter().find(|(file, _)| *file == here) {
                Some(_) => {
                    used.insert(here);
                }
                None => problems.push(format!(
                    "{here}:{n}: reads the environment; only credence-cli may (pass a config struct instead)"
                )),
            }
        }
    }
    for (file, why) in ENV_EXCEPTIONS {
        if !used.contains(*file) {
            problems.push(format!(
                "tests/tidy.rs: ENV_EXCEPTIONS lists {file} ({why}), which no longer reads the environment: remove it"
            ));
        }
    }
    report("the environment is read outside credence-cli", &problems);
}

// ---------------------------------------------------------------------------------------
// File headers.

#[test]
fn tidy_every_rust_file_opens_with_a_doc_comment() {
    let problems: Vec<String> = ["crates", "migrations", "tests", "fuzz"]
        .iter()
        .flat_map(|d| rust_files(d))
        .filter(|p| !read(p).starts_with("//!"))
        .map(|p| {
            format!(
                "{}:1: opens without a `//!` line saying what it is for",
                rel(&p)
            )
        })
        .collect();
    report("files without a `//!` opening line", &problems);
}

// ---------------------------------------------------------------------------------------
// Secrets and `Debug`.

/// Whether a field's name says it holds a secret: it names a password, secret, private
/// key, token, master key or seed, and is not a hash, a sealed (encrypted) copy, a
/// setting about one, or a path to one.
fn names_a_secret(field: &str) -> bool {
    const SECRET: &[&str] = &[
        "password",
        "secret",
        "private_key",
        "token",
        "master_key",
        "seed",
    ];
    const NOT: &[&str] = &[
        "_hash",
        "sealed_",
        "_cost",
        "_per_minute",
        "_file",
        "_path",
        "_kib",
        "_concurrency",
        "_queue",
        "_id",
        "_len",
        "_count",
    ];
    SECRET.iter().any(|s| field.contains(s)) && !NOT.iter().any(|n| field.contains(n))
}

/// Whether a field's type holds its value as plain text or bytes, which a derived `Debug`
/// prints. Types made for secrets (`Password`, `MasterKey`, `SigningKey`, `DatabaseUrl`)
/// write their own `Debug`, which redacts, and tests prove it.
fn is_raw(ty: &str) -> bool {
    ["String", "str", "u8", "Value", "Zeroizing"]
        .iter()
        .any(|raw| ty.split(|c: char| !c.is_alphanumeric()).any(|w| w == *raw))
}

/// Structs in `text` that derive `Debug` and have a field named like a secret, holding it
/// as plain text or bytes: (line of
/// the struct, struct name, field name).
fn secret_structs_deriving_debug(text: &str) -> Vec<(usize, String, String)> {
    let lines: Vec<(usize, &str)> = non_test_lines(text);
    let mut out = Vec::new();
    for (k, (n, line)) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let Some(rest) = trimmed
            .strip_prefix("pub struct ")
            .or_else(|| trimmed.strip_prefix("struct "))
            .or_else(|| trimmed.strip_prefix("pub(crate) struct "))
        else {
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        // The attributes right above the struct, back to the end of the item before it
        // (a derive list may span lines), without doc comments.
        let attributes: String = lines[..k]
            .iter()
            .rev()
            .map(|(_, l)| l.trim())
            .take_while(|l| {
                !l.is_empty() && (l.starts_with("//") || !(l.ends_with('}') || l.ends_with(';')))
            })
            .filter(|l| !l.starts_with("//"))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let derives_debug = attributes.split("derive(").skip(1).any(|list| {
            list.split(")]")
                .next()
                .unwrap_or("")
                .split(|c: char| !c.is_alphanumeric() && c != '_')
                .any(|word| word == "Debug")
        });
        if !derives_debug || !trimmed.trim_end().ends_with('{') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        let close = format!("{}}}", " ".repeat(indent));
        for (_, field_line) in lines[k + 1..]
            .iter()
            .take_while(|(_, l)| l.trim_end() != close)
        {
            let f = field_line.trim_start();
            let f = f
                .strip_prefix("pub ")
                .or_else(|| f.strip_prefix("pub(crate) "))
                .unwrap_or(f);
            if let Some((field, ty)) = f.split_once(':') {
                if !field.contains(' ') && names_a_secret(field) && is_raw(ty) {
                    out.push((*n, name.clone(), field.to_owned()));
                }
            }
        }
    }
    out
}

#[test]
fn tidy_the_secret_field_finder_finds_what_it_should() {
    let check = |text: &str, expected: &[(&str, &str)]| {
        let found: Vec<(String, String)> = secret_structs_deriving_debug(text)
            .into_iter()
            .map(|(_, s, f)| (s, f))
            .collect();
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(s, f)| ((*s).to_owned(), (*f).to_owned()))
            .collect();
        assert_eq!(found, expected, "{text}");
    };
    check(
        "#[derive(Debug, Clone)]\npub struct Login {\n    pub password: String,\n}\n",
        &[("Login", "password")],
    );
    check(
        "/// A key.\n#[derive(Clone, Debug)]\n#[serde(x)]\nstruct K {\n    private_key_multibase: String,\n    seed: [u8; 32],\n}\n",
        &[("K", "private_key_multibase"), ("K", "seed")],
    );
    // Hashes, sealed copies, settings and types without a derived `Debug` pass.
    check(
        "#[derive(Debug)]\npub struct Row {\n    pub token_hash: String,\n    pub sealed_private_key: Vec<u8>,\n    pub password_cost: u32,\n}\n",
        &[],
    );
    check(
        "#[derive(Clone)]\npub struct Login {\n    pub password: String,\n}\n",
        &[],
    );
    // A type made for the secret redacts it itself; a rate limiter named for tokens is none.
    check(
        "#[derive(Debug)]\npub struct Login {\n    pub password: Password,\n    bad_token: Option<Limiter>,\n}\n",
        &[],
    );
    check(
        "#[derive(Debug)]\npub struct S {\n    pub csrf_token: Option<String>,\n    key: Zeroizing<Vec<u8>>,\n}\n",
        &[("S", "csrf_token")],
    );
    // A derive list that rustfmt spread over lines, after another item.
    check(
        "const A: u8 = 1;\n#[derive(\n    Clone,\n    Debug,\n)]\npub struct S {\n    pub api_token: String,\n}\n",
        &[("S", "api_token")],
    );
    // The derive of the item before does not count.
    check(
        "#[derive(Debug)]\npub struct A;\n\npub struct S {\n    pub secret: String,\n}\n",
        &[],
    );
    // Test code is not looked at.
    check(
        "#[cfg(test)]\nmod tests {\n    #[derive(Debug)]\n    struct T {\n        token: String,\n    }\n}\n",
        &[],
    );
}

#[test]
fn tidy_no_type_holding_a_secret_derives_debug() {
    let mut problems = Vec::new();
    for path in ["crates", "migrations"].iter().flat_map(|d| rust_files(d)) {
        if rel(&path).contains("/benches/") || rel(&path).contains("/tests/") {
            continue;
        }
        for (n, name, field) in secret_structs_deriving_debug(&read(&path)) {
            problems.push(format!(
                "{}:{n}: `{name}` derives Debug but holds `{field}`: write a Debug that redacts it",
                rel(&path)
            ));
        }
    }
    report("secret-holding types deriving Debug", &problems);
}

// ---------------------------------------------------------------------------------------
// Lints.

#[test]
fn tidy_unwrap_is_denied_in_every_crate() {
    let root = root();
    let workspace = read(&root.join("Cargo.toml"));
    let mut problems = Vec::new();
    if !workspace
        .lines()
        .any(|l| l.replace(' ', "") == "unwrap_used=\"deny\"")
    {
        problems
            .push("Cargo.toml: [workspace.lints.clippy] must say unwrap_used = \"deny\"".into());
    }
    let crates = crate_dependencies();
    for name in crates.keys() {
        let dir = if name == "credence-migration" {
            "migrations".to_owned()
        } else {
            format!("crates/{name}")
        };
        let manifest = read(&root.join(&dir).join("Cargo.toml"));
        if !manifest.contains("[lints]\nworkspace = true") {
            problems.push(format!(
                "{dir}/Cargo.toml: needs `[lints] workspace = true`"
            ));
        }
    }
    report("the workspace lints are not applied", &problems);
}

// ---------------------------------------------------------------------------------------
// File sizes.

/// Files of the registry crates whose non-test code is over the limit today. The list
/// only shrinks: a file that grows past the limit fails, and so does a listed file that
/// has come under it (remove it from the list then).
const OVER_THE_LIMIT: &[&str] = &[];

/// The registry crates, whose files and functions are held to the limits below
/// (migrations aside).
const REGISTRY_CRATES: &[&str] = &[
    "crates/credence-domain",
    "crates/credence-store",
    "crates/credence-service",
    "crates/credence-web",
    "crates/credence-cli",
    "crates/credence-documents",
    "crates/credence-mail",
];

/// The most non-test lines a file of the registry crates may have.
const LINE_LIMIT: usize = 800;

#[test]
fn tidy_registry_files_stay_under_800_lines() {
    let mut over = BTreeMap::new();
    for path in REGISTRY_CRATES.iter().flat_map(|d| rust_files(d)) {
        let lines = non_test_lines(&read(&path)).len();
        if lines > LINE_LIMIT {
            over.insert(rel(&path), lines);
        }
    }
    let mut problems = Vec::new();
    for (file, lines) in &over {
        if !OVER_THE_LIMIT.contains(&file.as_str()) {
            problems.push(format!(
                "{file}:{}: {lines} lines of non-test code, over {LINE_LIMIT}: split it into modules",
                LINE_LIMIT + 1
            ));
        }
    }
    for file in OVER_THE_LIMIT {
        if !over.contains_key(*file) {
            problems.push(format!(
                "tests/tidy.rs: {file} is now under {LINE_LIMIT} lines: remove it from OVER_THE_LIMIT"
            ));
        }
    }
    report("file sizes", &problems);
}

// ---------------------------------------------------------------------------------------
// Function sizes.

/// Functions of the registry crates longer than the limit today, as (file, name). The list
/// only shrinks: a function that grows past the limit fails, and so does a listed function
/// that has come under it (remove it from the list then).
const LONG_FUNCTIONS: &[(&str, &str)] = &[];

/// The most lines a function of the registry crates may span, from its `fn` line to its
/// closing brace.
const FUNCTION_LIMIT: usize = 120;

/// The name of the function a line declares (`fn`, after any of `pub(…)`, `const`,
/// `async`, `unsafe`, `extern "…"`), if it declares one.
fn declared_function(line: &str) -> Option<&str> {
    let mut rest = line.trim_start();
    loop {
        if let Some(name) = rest.strip_prefix("fn ") {
            let end = name
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(name.len());
            return (end > 0).then(|| &name[..end]);
        }
        let next = if rest.starts_with("pub(") {
            rest.split_once(") ").map(|(_, r)| r)
        } else {
            ["pub ", "const ", "async ", "unsafe ", "extern "]
                .iter()
                .find_map(|q| rest.strip_prefix(q))
                .map(|r| match r.strip_prefix('"') {
                    Some(abi) => abi.split_once("\" ").map_or("", |(_, r)| r),
                    None => r,
                })
        };
        rest = next?;
    }
}

/// The functions of a rustfmt-formatted file, outside test code, that span more than
/// `limit` lines from their `fn` line to the brace closing them at its indentation:
/// (line, name, lines spanned). Declarations without a body are not functions here.
fn long_functions(text: &str, limit: usize) -> Vec<(usize, String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (n, line) in non_test_lines(text) {
        let Some(name) = declared_function(line) else {
            continue;
        };
        // The signature ends at the first line that opens the body, ends a declaration
        // or is a whole one-line function.
        let Some(open) = (n - 1..lines.len()).find(|&i| {
            let l = lines[i].trim_end();
            l.ends_with('{') || l.ends_with(';') || l.ends_with('}')
        }) else {
            continue;
        };
        if !lines[open].trim_end().ends_with('{') {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let close = format!("{}}}", " ".repeat(indent));
        let end = (open..lines.len())
            .find(|&i| lines[i].trim_end() == close)
            .unwrap_or(lines.len() - 1);
        let spanned = end + 2 - n;
        if spanned > limit {
            out.push((n, name.to_owned(), spanned));
        }
    }
    out
}

#[test]
fn tidy_the_long_function_finder_finds_what_it_should() {
    let text = "\
//! A file.

pub(crate) async fn three() {
    let a = 1;
}

fn two() -> u8 { 2 }

impl T {
    pub fn four(
        x: u8,
    ) -> u8 {
        x
    }

    fn declared();
}

const fn one() {}

#[cfg(test)]
mod tests {
    fn long_but_a_test() {
        let a = 1;
        let b = 2;
    }
}

extern \"C\" fn five()
where
    X: Y,
{
    inner();
}
";
    assert_eq!(
        long_functions(text, 2),
        vec![
            (3, "three".to_owned(), 3),
            (10, "four".to_owned(), 5),
            (29, "five".to_owned(), 6),
        ]
    );
    assert_eq!(
        long_functions(text, 4),
        vec![(10, "four".to_owned(), 5), (29, "five".to_owned(), 6)]
    );
    assert_eq!(long_functions(text, 6), vec![]);
    assert_eq!(
        declared_function("    pub(in crate::x) unsafe fn go<T>(t: T)"),
        Some("go")
    );
    assert_eq!(declared_function("    let f = fn_pointer;"), None);
    assert_eq!(declared_function("/// fn documented()"), None);
}

#[test]
fn tidy_registry_functions_stay_under_120_lines() {
    let mut long = BTreeMap::new();
    for path in REGISTRY_CRATES.iter().flat_map(|d| rust_files(d)) {
        let file = rel(&path);
        if !file.contains("/src/") && !file.contains("/benches/") {
            continue;
        }
        for (n, name, lines) in long_functions(&read(&path), FUNCTION_LIMIT) {
            long.insert((file.clone(), name), (n, lines));
        }
    }
    let mut problems = Vec::new();
    for ((file, name), (n, lines)) in &long {
        if !LONG_FUNCTIONS.contains(&(file.as_str(), name.as_str())) {
            problems.push(format!(
                "{file}:{n}: fn {name} spans {lines} lines, over {FUNCTION_LIMIT}: split it into well-named pieces"
            ));
        }
    }
    for (file, name) in LONG_FUNCTIONS {
        if !long.contains_key(&((*file).to_owned(), (*name).to_owned())) {
            problems.push(format!(
                "tests/tidy.rs: fn {name} of {file} is now under {FUNCTION_LIMIT} lines: remove it from LONG_FUNCTIONS"
            ));
        }
    }
    report("function sizes", &problems);
}
