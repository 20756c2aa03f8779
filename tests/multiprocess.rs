//! Real `credence serve` processes: two of them on one PostgreSQL database awarding and
//! revoking at once (no status index given twice, no update lost, both serve status lists
//! that match the awards bit for bit, the audit chain whole), and one killed with SIGKILL
//! in the middle of a bulk award (every row complete or absent, and the same file again
//! completes the rest with no duplicate).

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use credence_service::{Page, RegistryConfig};
use credence_store::registry::AwardRow;
use credence_store::Store;
use credence_vc::sealed::MasterKey;
use credence_vc::status_list::StatusList;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::registry_awards::{account_id, attest_foundational, issuer_setup, FOUNDATIONAL};
use crate::support::{credence, stderr, stdout, Auth, TestApp, TestDb};

/// The public address every process of one registry is configured with.
const PUBLIC_URL: &str = "http://registry.example.test";

/// The bulk job lease of the processes started here, in seconds.
const LEASE_SECS: u64 = 5;

/// A `credence serve` process, killed when dropped however the test ends.
pub(crate) struct Server {
    child: Child,
    pub(crate) address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One registry's settings shared by its processes: database, public URL, master key.
pub(crate) struct Registry {
    db: Arc<TestDb>,
    folder: tempfile::TempDir,
    key_file: PathBuf,
}

impl Registry {
    async fn new() -> Self {
        Self::with_server_settings("").await
    }

    /// A registry whose processes have these further `[server]` settings (TOML lines).
    pub(crate) async fn with_server_settings(settings: &str) -> Self {
        let db = Arc::new(TestDb::new().await);
        let folder = tempfile::tempdir().expect("a folder");
        let key_file = folder.path().join("master.key");
        let key = MasterKey::generate().expect("a master key");
        std::fs::write(&key_file, key.to_hex().as_bytes()).expect("write the master key");
        // A short bulk job lease, so an interrupted job is seen as such within seconds.
        std::fs::write(
            folder.path().join("credence.toml"),
            format!("[server]\nbulk_job_lease_secs = {LEASE_SECS}\n{settings}\n"),
        )
        .expect("write the configuration");
        Self {
            db,
            folder,
            key_file,
        }
    }

    /// The application in this test process over the same database and master key, for
    /// setting up organisations, tokens and holders.
    pub(crate) async fn app(&self) -> TestApp {
        let key_file = self.key_file.clone();
        TestApp::over_with(self.db.clone(), self.db.store().await, move |_| {
            let mut config = RegistryConfig::for_tests(PUBLIC_URL).expect("test settings");
            let text = std::fs::read_to_string(&key_file).expect("read the master key");
            config.master_key = MasterKey::from_hex(&text).expect("a master key");
            config
        })
        .await
    }

    fn env(&self) -> Vec<(String, String)> {
        vec![
            ("CREDENCE_DATABASE_URL".into(), self.db.url.clone()),
            ("CREDENCE_PUBLIC_URL".into(), PUBLIC_URL.into()),
            (
                "CREDENCE_CONFIG".into(),
                self.folder
                    .path()
                    .join("credence.toml")
                    .to_string_lossy()
                    .into_owned(),
            ),
            (
                "CREDENCE_MASTER_KEY_FILE".into(),
                self.key_file.to_string_lossy().into_owned(),
            ),
        ]
    }

    /// Starts `credence serve` on a free loopback port and waits until it says it serves.
    pub(crate) fn serve(&self) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_credence"));
        command
            .args(["serve", "--listen", "127.0.0.1:0"])
            .current_dir(self.folder.path())
            .env_remove("CREDENCE_DATABASE_URL")
            .env_remove("CREDENCE_DATA_DIR")
            .env_remove("CREDENCE_CONFIG")
            .env("CREDENCE_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (k, v) in self.env() {
            command.env(k, v);
        }
        let mut child = command.spawn().expect("start credence serve");
        let stderr = child.stderr.take().expect("its standard error");
        let (sender, receiver) = std::sync::mpsc::channel::<String>();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if sender.send(line.clone()).is_err() {
                    eprintln!("serve: {line}");
                }
            }
        });
        let mut server = Server {
            child,
            address: String::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut seen = Vec::new();
        while Instant::now() < deadline {
            match receiver.recv_timeout(Duration::from_millis(100)) {
                Ok(line) => {
                    if let Some(rest) = line.strip_prefix("Credence is serving on http://") {
                        server.address = rest.split('/').next().expect("an address").to_owned();
                        // Later lines (warnings) go to the test's output.
                        std::thread::spawn(move || {
                            for line in receiver {
                                eprintln!("serve: {line}");
                            }
                        });
                        return server;
                    }
                    seen.push(line);
                }
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        panic!("credence serve did not start: {seen:?}");
    }

    /// `credence audit verify` on this registry; panics unless the chain is whole.
    fn audit_verify(&self) {
        let env = self.env();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let out = credence(self.folder.path(), &["audit", "verify"], &env);
        assert!(
            out.status.success(),
            "audit verify: {}{}",
            stdout(&out),
            stderr(&out)
        );
    }
}

/// A response from a real server.
struct Answer {
    status: u16,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.body))
    }
}

/// Decodes a chunked HTTP/1.1 body.
fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(end) = raw.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = std::str::from_utf8(&raw[..end])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next()?.trim(), 16).ok())
            .unwrap_or(0);
        raw = &raw[end + 2..];
        if size == 0 || raw.len() < size {
            return out;
        }
        out.extend_from_slice(&raw[..size]);
        raw = raw.get(size + 2..).unwrap_or_default();
    }
}

/// A tiny HTTP/1.1 client: one request a connection (`Connection: close`).
async fn http(
    address: &str,
    method: &str,
    path: &str,
    auth: &Auth,
    content_type: &str,
    body: &str,
) -> Answer {
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .unwrap_or_else(|e| panic!("connect to {address}: {e}"));
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nAccept: application/json\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !body.is_empty() {
        head.push_str(&format!("Content-Type: {content_type}\r\n"));
    }
    if let Auth::Token(token) = auth {
        head.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.expect("send");
    stream.write_all(body.as_bytes()).await.expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end: {}", String::from_utf8_lossy(&raw)));
    let headers = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let status = headers
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    let rest = &raw[split + 4..];
    let body = if headers.contains("transfer-encoding: chunked") {
        dechunk(rest)
    } else {
        rest.to_vec()
    };
    Answer {
        status,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

async fn post_json(address: &str, path: &str, auth: &Auth, body: &Value) -> Answer {
    http(
        address,
        "POST",
        path,
        auth,
        "application/json",
        &body.to_string(),
    )
    .await
}

async fn get(address: &str, path: &str, auth: &Auth) -> Answer {
    http(address, "GET", path, auth, "", "").await
}

/// Every award of the organisation, from the store.
async fn awards_of(store: &Store, org_id: &credence_domain::OrgId) -> Vec<AwardRow> {
    let tx = store.read().await.expect("a read");
    let mut all = Vec::new();
    loop {
        let page = tx
            .awards_of_org(org_id, Page::new(all.len() as u64, 500))
            .await
            .expect("awards");
        if page.is_empty() {
            return all;
        }
        all.extend(page);
    }
}

/// The audit entries of the organisation, by action and subject, from the store.
async fn audit_of(store: &Store, org_id: &credence_domain::OrgId) -> Vec<(String, String)> {
    let tx = store.read().await.expect("a read");
    let mut all = Vec::new();
    loop {
        let page = tx
            .audit_page(Some(org_id), Page::new(all.len() as u64, 500))
            .await
            .expect("audit");
        if page.is_empty() {
            return all;
        }
        all.extend(page.into_iter().map(|e| (e.action, e.subject)));
    }
}

/// No revocation or suspension index is used twice in the organisation.
fn assert_distinct_indices(awards: &[AwardRow]) {
    let revocation: HashSet<i64> = awards.iter().map(|a| a.revocation_index).collect();
    let suspension: HashSet<i64> = awards.iter().map(|a| a.suspension_index).collect();
    assert_eq!(revocation.len(), awards.len(), "a revocation index twice");
    assert_eq!(suspension.len(), awards.len(), "a suspension index twice");
}

/// Fetches both status lists from a server and checks every bit against the awards: set
/// exactly for the revoked (suspended) awards' indices, and nowhere else.
async fn assert_lists_match(address: &str, slug: &str, awards: &[AwardRow]) {
    for purpose in ["revocation", "suspension"] {
        let answer = get(
            address,
            &format!("/orgs/{slug}/status/{purpose}"),
            &Auth::None,
        )
        .await;
        assert_eq!(answer.status, 200, "{purpose} list: {}", answer.body);
        let document = answer.json();
        let encoded = document["credentialSubject"]["encodedList"]
            .as_str()
            .expect("an encoded list");
        let list = StatusList::decode(encoded).expect("a status list");
        let mut expected = HashSet::new();
        for award in awards {
            let (index, set_when) = if purpose == "revocation" {
                (award.revocation_index, "revoked")
            } else {
                (award.suspension_index, "suspended")
            };
            let index = usize::try_from(index).expect("an index");
            let set = list.get(index).expect("in range");
            assert_eq!(
                set,
                award.status.as_str() == set_when,
                "{address}: the {purpose} bit {index} of award {} ({}) is {set}",
                award.id,
                award.status
            );
            if set {
                expected.insert(index);
            }
        }
        let stray: Vec<usize> = (0..list.len())
            .filter(|i| list.get(*i).unwrap_or(false) && !expected.contains(i))
            .collect();
        assert!(
            stray.is_empty(),
            "{address}: {purpose} bits set for no award: {stray:?}"
        );
    }
}

/// What happens to award `i` after it is made.
fn planned_change(i: usize) -> Option<&'static str> {
    match i % 4 {
        0 => Some("revoke"),
        1 => Some("suspend"),
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_postgres_award_and_revoke_at_once_and_lose_nothing() {
    if TestDb::engine() != "postgres" {
        eprintln!(
            "SKIPPED two_servers_on_one_postgres_award_and_revoke_at_once_and_lose_nothing: \
             PostgreSQL only (set CREDENCE_TEST_DATABASE_URL)"
        );
        return;
    }
    const AWARDS: usize = 80;
    let registry = Registry::new().await;
    let app = registry.app().await;
    let slug = "twin-org";
    let (issuer, _) = issuer_setup(&app, slug, "web").await;
    // A quarter of the awards are suspended: the achievement opts in to suspension.
    let achievement = crate::registry_awards::suspendable_achievement(&app, slug, &issuer).await;
    let org_id = app
        .services
        .registry
        .public()
        .org(&credence_domain::OrgSlug::new(slug).expect("a slug"))
        .await
        .expect("the org")
        .id;
    for i in 0..AWARDS {
        let auth = app.holder(&format!("p{i}@example.org"), "P").await;
        attest_foundational(&app, &account_id(&app, &auth).await, FOUNDATIONAL).await;
    }
    let servers = [registry.serve(), registry.serve()];
    let addresses: Arc<[String; 2]> =
        Arc::new([servers[0].address.clone(), servers[1].address.clone()]);

    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..AWARDS {
        let (addresses, issuer, achievement) =
            (addresses.clone(), issuer.clone(), achievement.clone());
        tasks.spawn(async move {
            let here = &addresses[i % 2];
            let there = &addresses[(i + 1) % 2];
            let path = format!("/api/v1/orgs/{slug}/awards");
            let body = json!({"achievement": achievement, "email": format!("p{i}@example.org"), "key": format!("k-{i}")});
            // Every fifth award is asked of both processes at once, under one key.
            let answers = if i % 5 == 0 {
                let (a, b) = tokio::join!(
                    post_json(here, &path, &issuer, &body),
                    post_json(there, &path, &issuer, &body)
                );
                vec![a, b]
            } else {
                vec![post_json(here, &path, &issuer, &body).await]
            };
            let mut ids = HashSet::new();
            for answer in &answers {
                assert!(
                    answer.status == 201 || answer.status == 200,
                    "award {i}: {} {}",
                    answer.status,
                    answer.body
                );
                ids.insert(answer.json()["award"]["id"].as_str().expect("an id").to_owned());
            }
            assert_eq!(ids.len(), 1, "award {i} was made twice: {ids:?}");
            assert_eq!(
                answers.iter().filter(|a| a.status == 201).count(),
                1,
                "award {i}: exactly one request creates it"
            );
            let id = ids.into_iter().next().expect("an id");
            if let Some(action) = planned_change(i) {
                let status = format!("/api/v1/awards/{id}/status");
                let change = json!({"action": action, "reason": format!("Test change {i}.")});
                // Every eighth change is asked of both processes at once: exactly one
                // applies, the other finds the award already changed.
                let answers = if i % 8 == 0 {
                    let (a, b) = tokio::join!(
                        post_json(there, &status, &issuer, &change),
                        post_json(here, &status, &issuer, &change)
                    );
                    vec![a, b]
                } else {
                    vec![post_json(there, &status, &issuer, &change).await]
                };
                for answer in &answers {
                    assert!(
                        answer.status == 200 || answer.status == 409,
                        "change {i}: {} {}",
                        answer.status,
                        answer.body
                    );
                }
                let applied = answers.iter().filter(|a| a.status == 200).count();
                let bodies: Vec<&str> = answers.iter().map(|a| a.body.as_str()).collect();
                assert_eq!(applied, 1, "change {i} applied {applied} times: {bodies:?}");
            }
            (i, id)
        });
    }
    let mut made: HashMap<usize, String> = HashMap::new();
    while let Some(joined) = tasks.join_next().await {
        let (i, id) = joined.expect("a client task");
        made.insert(i, id);
    }
    eprintln!(
        "two servers: {AWARDS} awards with their changes in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let store = registry.db.store().await;
    let awards = awards_of(&store, &org_id).await;
    assert_eq!(awards.len(), AWARDS, "every award exactly once");
    assert_distinct_indices(&awards);
    let by_id: HashMap<&str, &AwardRow> = awards.iter().map(|a| (a.id.as_str(), a)).collect();
    for (i, id) in &made {
        let award = by_id.get(id.as_str()).expect("the award is stored");
        assert_eq!(
            award.idempotency_key.as_deref(),
            Some(format!("k-{i}").as_str())
        );
        let expected = match planned_change(*i) {
            Some("revoke") => "revoked",
            Some(_) => "suspended",
            None => "active",
        };
        assert_eq!(award.status.as_str(), expected, "award {i}");
    }
    // One audit entry per award made and per change applied.
    let audit = audit_of(&store, &org_id).await;
    let count = |action: &str| audit.iter().filter(|(a, _)| a == action).count();
    assert_eq!(count("award.issue"), AWARDS);
    assert_eq!(count("award.revoke"), AWARDS / 4);
    assert_eq!(count("award.suspend"), AWARDS / 4);
    // Both processes serve lists that match the awards, bit for bit.
    for address in addresses.iter() {
        assert_lists_match(address, slug, &awards).await;
    }
    tokio::task::block_in_place(|| registry.audit_verify());
    drop(servers);
}

/// A bulk file of `rows` rows over `holders` complete holders.
fn bulk_file(rows: usize, holders: usize) -> String {
    let mut csv = String::from("key,email\n");
    for i in 0..rows {
        csv.push_str(&format!("b-{i},q{}@example.org\n", i % holders));
    }
    csv
}

async fn job(address: &str, issuer: &Auth, id: &str) -> Value {
    let answer = get(address, &format!("/api/v1/bulk/{id}"), issuer).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json()
}

async fn post_bulk(
    address: &str,
    slug: &str,
    achievement: &str,
    issuer: &Auth,
    csv: &str,
) -> String {
    let answer = http(
        address,
        "POST",
        &format!("/api/v1/orgs/{slug}/awards/bulk?achievement={achievement}&format=csv"),
        issuer,
        "text/csv",
        csv,
    )
    .await;
    assert_eq!(answer.status, 202, "{}", answer.body);
    answer.json()["id"].as_str().expect("a job id").to_owned()
}

/// Checks every award is whole: a signed credential naming its own indices, an audit
/// entry, a key from the file; and that no index or key is used twice.
async fn assert_whole(
    store: &Store,
    org_id: &credence_domain::OrgId,
    keys: &HashSet<String>,
) -> Vec<AwardRow> {
    let awards = awards_of(store, org_id).await;
    assert_distinct_indices(&awards);
    let audit = audit_of(store, org_id).await;
    let issued: HashMap<&str, usize> =
        audit
            .iter()
            .filter(|(a, _)| a == "award.issue")
            .fold(HashMap::new(), |mut m, (_, s)| {
                *m.entry(s.as_str()).or_default() += 1;
                m
            });
    assert_eq!(
        issued.values().sum::<usize>(),
        awards.len(),
        "one award.issue entry per award"
    );
    let mut seen = HashSet::new();
    for award in &awards {
        assert_eq!(
            issued.get(format!("award:{}", award.id).as_str()),
            Some(&1),
            "award {} has its audit entry",
            award.id
        );
        let key = award.idempotency_key.clone().expect("a key");
        assert!(keys.contains(&key), "{key} is a row of the file");
        assert!(seen.insert(key.clone()), "{key} awarded twice");
        let credential: Value = serde_json::from_str(&award.credential).expect("a credential");
        assert!(
            credential["proof"].is_object(),
            "award {} is signed",
            award.id
        );
        // One status entry, revocation: the achievement does not opt in to suspension.
        let status = &credential["credentialStatus"];
        assert_eq!(
            status["statusListIndex"],
            award.revocation_index.to_string(),
            "{status}"
        );
        assert!(!award.suspendable, "{status}");
    }
    awards
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_during_a_bulk_award_leaves_whole_rows_and_the_rerun_completes_them() {
    const ROWS: usize = 1200;
    const HOLDERS: usize = 5;
    let registry = Registry::new().await;
    let app = registry.app().await;
    let slug = "bulk-kill";
    let (issuer, achievement) = issuer_setup(&app, slug, "web").await;
    let org_id = app
        .services
        .registry
        .public()
        .org(&credence_domain::OrgSlug::new(slug).expect("a slug"))
        .await
        .expect("the org")
        .id;
    for i in 0..HOLDERS {
        let auth = app.holder(&format!("q{i}@example.org"), "Q").await;
        attest_foundational(&app, &account_id(&app, &auth).await, FOUNDATIONAL).await;
    }
    let csv = bulk_file(ROWS, HOLDERS);
    let keys: HashSet<String> = (0..ROWS).map(|i| format!("b-{i}")).collect();

    let mut server = registry.serve();
    let first = post_bulk(&server.address, slug, &achievement, &issuer, &csv).await;
    let deadline = Instant::now() + Duration::from_secs(60);
    let done_before_kill = loop {
        let progress = job(&server.address, &issuer, &first).await;
        let done = progress["done"].as_i64().unwrap_or_default();
        assert_ne!(
            progress["state"], "finished",
            "the job ended before the kill: {progress}"
        );
        if done > 0 {
            break done;
        }
        assert!(Instant::now() < deadline, "no progress: {progress}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    // SIGKILL: no chance to finish the batch in hand or mark the job.
    server.child.kill().expect("kill -9");
    server.child.wait().expect("reap");
    let started = Instant::now();
    eprintln!("killed after {done_before_kill} of {ROWS} rows");

    let store = registry.db.store().await;
    let awards = assert_whole(&store, &org_id, &keys).await;
    assert!(
        awards.len() < ROWS,
        "the kill came before the end: {} awards",
        awards.len()
    );
    assert!(awards.len() as i64 >= done_before_kill);
    // The job's own report agrees with what was committed.
    let tx = store.read().await.expect("a read");
    let job_row = tx
        .bulk_job(&first.parse().expect("a job id"))
        .await
        .expect("a job")
        .expect("the job");
    let mut reported = 0;
    loop {
        let rows = tx
            .bulk_rows(
                &first.parse().expect("a job id"),
                Page::new(reported as u64, 500),
            )
            .await
            .expect("rows");
        if rows.is_empty() {
            break;
        }
        for row in &rows {
            assert_eq!(row.outcome.as_str(), "awarded", "{row:?}");
            let id = row.award_id.as_ref().expect("an award id");
            assert!(
                awards.iter().any(|a| &a.id == id),
                "row {} names no award",
                row.row_no
            );
        }
        reported += rows.len();
    }
    assert_eq!(
        reported,
        awards.len(),
        "every committed award is in the report"
    );
    assert_eq!(job_row.done, awards.len() as i64);
    drop(tx);

    // Restarted on the same data: once its lease has passed (a few seconds), the
    // interrupted job no longer claims to be running.
    let server = registry.serve();
    let deadline = Instant::now() + Duration::from_secs(LEASE_SECS * 4);
    let interrupted = loop {
        let progress = job(&server.address, &issuer, &first).await;
        if progress["state"] != "running" {
            break progress;
        }
        assert!(Instant::now() < deadline, "still running: {progress}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    assert_eq!(interrupted["state"], "failed", "{interrupted}");
    assert_eq!(interrupted["done"], awards.len() as i64, "{interrupted}");

    // The same file again completes the rest, making nothing twice.
    let second = post_bulk(&server.address, slug, &achievement, &issuer, &csv).await;
    let deadline = Instant::now() + Duration::from_secs(60);
    let finished = loop {
        let progress = job(&server.address, &issuer, &second).await;
        // With so short a lease, a batch slowed by a busy machine may outlast it and the job
        // read as failed for a moment; its process still finishes it.
        if progress["state"] == "finished" || !progress["finished_at"].is_null() {
            break progress;
        }
        assert!(
            Instant::now() < deadline,
            "the rerun did not finish: {progress}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    eprintln!(
        "restarted, saw the job interrupted and reran the file in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(finished["state"], "finished", "{finished}");
    assert_eq!(finished["done"], ROWS as i64, "{finished}");
    assert_eq!(finished["refused"], 0, "{finished}");
    let tx = store.read().await.expect("a read");
    let mut existing = 0;
    let mut offset = 0;
    loop {
        let rows = tx
            .bulk_rows(&second.parse().expect("a job id"), Page::new(offset, 500))
            .await
            .expect("rows");
        if rows.is_empty() {
            break;
        }
        offset += rows.len() as u64;
        existing += rows
            .iter()
            .filter(|r| r.outcome.as_str() == "existing")
            .count();
    }
    drop(tx);
    assert_eq!(
        existing,
        awards.len(),
        "the rows made before the kill are found again"
    );
    let all = assert_whole(&store, &org_id, &keys).await;
    assert_eq!(all.len(), ROWS, "every row awarded exactly once");
    tokio::task::block_in_place(|| registry.audit_verify());
    drop(server);
}
