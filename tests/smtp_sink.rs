//! A real SMTP server for the mail tests: Python's aiosmtpd (from PyPI, installed once into
//! a virtual environment in the target folder), started on a loopback port by the test,
//! keeping every message it accepts as a file the test reads.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{repo_root, stderr, stdout, target_dir};

/// A message as the server received it, read by Python's e-mail parser (`email.policy.default`).
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    /// Every header, unfolded and decoded, in order.
    headers: Vec<(String, String)>,
    /// The text/plain and text/html parts, decoded.
    text: String,
    html: String,
}

impl Received {
    /// The value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    }

    /// The text/plain part.
    pub fn text(&self) -> String {
        self.text.clone()
    }

    /// The text/html part.
    pub fn html(&self) -> String {
        self.html.clone()
    }

    /// The first link in the text part that starts with `prefix`.
    pub fn link(&self, prefix: &str) -> Option<String> {
        let start = self.text.find(prefix)?;
        Some(
            self.text[start..]
                .split(|c: char| c.is_whitespace())
                .next()?
                .to_owned(),
        )
    }
}

/// The running server. Stops when dropped.
pub struct SmtpSink {
    pub port: u16,
    folder: tempfile::TempDir,
    child: Child,
    _stdin: ChildStdin,
}

impl SmtpSink {
    /// A server on a free loopback port.
    pub fn start() -> Self {
        Self::start_with(0, "")
    }

    /// A server on `port` (0: any free one) that refuses recipients containing `reject`.
    pub fn start_with(port: u16, reject: &str) -> Self {
        Self::start_full(port, reject, 0)
    }

    /// A server that keeps the first message, then withholds its "250" for `secs` seconds.
    pub fn start_holding_first(secs: u64) -> Self {
        Self::start_full(0, "", secs)
    }

    fn start_full(port: u16, reject: &str, hold_first: u64) -> Self {
        let python = python();
        let folder = tempfile::tempdir().expect("a folder for received mail");
        let mut command = Command::new(python);
        command
            .arg(repo_root().join("tests/py/smtp_sink.py"))
            .arg(folder.path())
            .args(["--port", &port.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if !reject.is_empty() {
            command.args(["--reject", reject]);
        }
        if hold_first > 0 {
            command.args(["--hold-first", &hold_first.to_string()]);
        }
        let mut child = command.spawn().expect("start the SMTP server");
        let stdin = child.stdin.take().expect("its stdin");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("its stdout"))
            .read_line(&mut line)
            .expect("read its port");
        let port = line
            .trim()
            .strip_prefix("PORT ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("the SMTP server did not start: {line:?}"));
        Self {
            port,
            folder,
            child,
            _stdin: stdin,
        }
    }

    /// `smtp://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far, in order.
    pub fn received(&self) -> Vec<Received> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(self.folder.path())
            .expect("list received mail")
            .filter_map(|e| Some(e.ok()?.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        names.sort();
        names
            .iter()
            .map(|p| {
                serde_json::from_slice(&std::fs::read(p).expect("read a message"))
                    .expect("a message record")
            })
            .collect()
    }

    /// Waits until at least `n` messages have arrived (at most 20 s) and returns them all.
    pub async fn wait_for(&self, n: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let got = self.received();
            if got.len() >= n || Instant::now() > deadline {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The Python of a virtual environment holding aiosmtpd (tests/py/requirements.txt),
/// created on first use; race-free between test processes sharing the target folder.
fn python() -> PathBuf {
    static PYTHON: std::sync::OnceLock<Result<PathBuf, String>> = std::sync::OnceLock::new();
    match PYTHON.get_or_init(install_venv) {
        Ok(p) => p.clone(),
        Err(e) => panic!("the SMTP test server is not available: {e}"),
    }
}

fn install_venv() -> Result<PathBuf, String> {
    let requirements = std::fs::read(repo_root().join("tests/py/requirements.txt"))
        .map_err(|e| format!("read tests/py/requirements.txt: {e}"))?;
    let stamp = crate::support::fnv1a(&[&requirements]);
    let cache = target_dir().join("py-cache");
    let folder = cache.join(&stamp);
    let python = folder.join("bin/python");
    if folder.join("stamp").is_file() {
        return Ok(python);
    }
    std::fs::create_dir_all(&cache).map_err(|e| format!("create {}: {e}", cache.display()))?;
    let scratch = cache.join(format!(".venv-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let run = |command: &mut Command, what: &str| -> Result<(), String> {
        let output = command.output().map_err(|e| format!("{what}: {e}"))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{what} failed:\n{}{}",
                stdout(&output),
                stderr(&output)
            ))
        }
    };
    run(
        Command::new("python3").args(["-m", "venv"]).arg(&scratch),
        "python3 -m venv",
    )?;
    run(
        Command::new(scratch.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(repo_root().join("tests/py/requirements.txt")),
        "pip install -r tests/py/requirements.txt",
    )?;
    // Renamed into place: its `bin/python` still finds the `pyvenv.cfg` beside it (only
    // pip's own scripts name the old folder, and they are not used again). A process that
    // loses the race to put it in place uses the winner's.
    std::fs::write(scratch.join("stamp"), &stamp).map_err(|e| format!("write stamp: {e}"))?;
    if std::fs::rename(&scratch, &folder).is_err() {
        let _ = std::fs::remove_dir_all(&scratch);
        if !folder.join("stamp").is_file() {
            return Err(format!("could not install into {}", folder.display()));
        }
    }
    Ok(python)
}
