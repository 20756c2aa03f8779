//! Resilience of the running service: the database going away and coming back (503 problem
//! documents with `Retry-After`, readiness, recovery with no restart), and SQLite under many
//! concurrent writers, in one process and in two.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use credence_store::{DatabaseConfig, DatabaseUrl, Store};
use serde_json::{json, Value};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::AbortHandle;

use crate::support::{Auth, Reply, TestApp, TestDb};

/// A TCP proxy between the application and PostgreSQL that the test can cut (every
/// connection through it is dropped and new ones are closed at once, as when the server
/// stops) and restore.
struct Proxy {
    port: u16,
    cut: Arc<AtomicBool>,
    connections: Arc<Mutex<Vec<AbortHandle>>>,
    accept: AbortHandle,
}

impl Proxy {
    async fn start(upstream: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind a port");
        let port = listener.local_addr().expect("local address").port();
        let cut = Arc::new(AtomicBool::new(false));
        let connections: Arc<Mutex<Vec<AbortHandle>>> = Arc::default();
        let (flag, list) = (cut.clone(), connections.clone());
        let accept = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if flag.load(Ordering::SeqCst) {
                    drop(inbound);
                    continue;
                }
                let upstream = upstream.clone();
                let task = tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(&upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                list.lock().expect("proxy list").push(task.abort_handle());
            }
        })
        .abort_handle();
        Self {
            port,
            cut,
            connections,
            accept,
        }
    }

    fn cut(&self) {
        self.cut.store(true, Ordering::SeqCst);
        for task in self.connections.lock().expect("proxy list").drain(..) {
            task.abort();
        }
    }

    fn restore(&self) {
        self.cut.store(false, Ordering::SeqCst);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.accept.abort();
        self.cut();
    }
}

/// The application over `store` on `db`, driven without a socket.
async fn app_over(db: &Arc<TestDb>, store: Store) -> Arc<TestApp> {
    Arc::new(TestApp::over(db.clone(), store).await)
}

async fn connect(url: &str, timeout: Duration) -> Store {
    Store::connect(&DatabaseConfig {
        url: DatabaseUrl::new(url),
        max_connections: 4,
        timeout,
    })
    .await
    .expect("connect")
}

async fn register(app: &TestApp, email: &str) -> Reply {
    app.call(
        "POST",
        "/api/v1/accounts",
        Some(json!({"email": email, "display_name": "Grace", "password": "correct horse battery staple"})),
        &Auth::None,
    )
    .await
}

/// A 503 problem document telling the client when to retry, with no detail of the fault.
fn assert_unavailable(reply: &Reply, what: &str) {
    assert_eq!(
        reply.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{what}: {}",
        reply.body
    );
    assert_eq!(reply.header("content-type"), "application/problem+json");
    assert_eq!(reply.header("retry-after"), "5", "{what}");
    assert_eq!(reply.json()["status"], 503);
    assert!(
        !reply.body.contains("sqlx") && !reply.body.contains("locked"),
        "{what}: {}",
        reply.body
    );
}

#[tokio::test]
async fn postgres_outage_answers_503_and_recovers_by_itself() {
    let Ok(admin) = std::env::var("CREDENCE_TEST_DATABASE_URL") else {
        eprintln!(
            "SKIPPED postgres_outage_answers_503_and_recovers_by_itself: PostgreSQL only \
             (set CREDENCE_TEST_DATABASE_URL)"
        );
        return;
    };
    let db = Arc::new(TestDb::new().await);
    db.store().await.close().await.expect("close");
    let admin = url::Url::parse(&admin).expect("a URL");
    let upstream = format!(
        "{}:{}",
        admin.host_str().unwrap_or("127.0.0.1"),
        admin.port().unwrap_or(5432)
    );
    let proxy = Proxy::start(upstream).await;
    let mut url = url::Url::parse(&db.url).expect("a URL");
    url.set_host(Some("127.0.0.1")).expect("a host");
    url.set_port(Some(proxy.port)).expect("a port");
    let app = app_over(&db, connect(url.as_str(), Duration::from_secs(1)).await).await;

    assert_eq!(
        app.get("/readyz", "application/json").await.status,
        StatusCode::OK
    );
    assert_eq!(
        register(&app, "before@example.org").await.status,
        StatusCode::CREATED
    );

    proxy.cut();
    assert_unavailable(&app.get("/readyz", "application/json").await, "readyz");
    assert_unavailable(&register(&app, "during@example.org").await, "a write");
    assert_unavailable(&app.get("/orgs/nobody", "application/json").await, "a read");
    // Browsers get a page, with the same status and Retry-After.
    let page = app.get("/readyz", "text/html").await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(page.header("retry-after"), "5");

    proxy.restore();
    let mut ready = StatusCode::SERVICE_UNAVAILABLE;
    for _ in 0..50 {
        ready = app.get("/readyz", "application/json").await.status;
        if ready == StatusCode::OK {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(ready, StatusCode::OK, "ready again once PostgreSQL is back");
    assert_eq!(
        register(&app, "after@example.org").await.status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn sqlite_writes_locked_out_by_another_process_answer_503_and_recover() {
    // SQLite whatever the suite's engine.
    let db = Arc::new(TestDb::sqlite());
    let url = db.url.clone();
    let store = connect(&url, Duration::from_millis(500)).await;
    store.migrate().await.expect("migrate");
    let app = app_over(&db, store).await;
    assert_eq!(
        register(&app, "before@example.org").await.status,
        StatusCode::CREATED
    );

    // Another process (a store of its own, as `credence award bulk` would open) holds
    // SQLite's write lock for longer than the busy timeout.
    let other = connect(&url, Duration::from_secs(5)).await;
    let held = other.write().await.expect("the other process's write lock");
    assert_unavailable(&register(&app, "during@example.org").await, "a write");
    // Reads are not blocked by a writer in WAL mode.
    assert_eq!(
        app.get("/readyz", "application/json").await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/frameworks", "application/json").await.status,
        StatusCode::OK
    );

    drop(held);
    assert_eq!(
        register(&app, "after@example.org").await.status,
        StatusCode::CREATED
    );
}

/// The number of evidence records `auth` can see.
async fn evidence_count(app: &TestApp, auth: &Auth) -> usize {
    let list = app
        .call("GET", "/api/v1/evidence?limit=500", None, auth)
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    list.json()["items"].as_array().map_or(0, Vec::len)
}

fn evidence(n: usize) -> Value {
    json!({
        "kind": "reflective-account",
        "narrative": format!("Concurrent record {n}."),
        "date": "2026-03-01",
        "framework": "nhs-ai-confidence-2022",
        "statement": format!("T1-{:02}", n % 30 + 1),
        "level": "awareness",
    })
}

/// Records `count` pieces of evidence at once, one task each, through each app in turn;
/// every answer must be 201.
async fn record_concurrently(apps: &[Arc<TestApp>], auth: &Auth, count: usize) {
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..count {
        let app = apps[n % apps.len()].clone();
        let auth = auth.clone();
        tasks.spawn(async move {
            let reply = app
                .call("POST", "/api/v1/evidence", Some(evidence(n)), &auth)
                .await;
            (n, reply)
        });
    }
    while let Some(joined) = tasks.join_next().await {
        let (n, reply) = joined.expect("a writer task");
        assert_eq!(
            reply.status,
            StatusCode::CREATED,
            "write {n}: {}",
            reply.body
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_writers_all_succeed_and_nothing_is_lost() {
    let app = Arc::new(TestApp::new().await);
    let ada = app.holder("ada@example.org", "Ada").await;
    record_concurrently(std::slice::from_ref(&app), &ada, 50).await;
    assert_eq!(evidence_count(&app, &ada).await, 50);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_writing_to_one_database_lose_nothing() {
    let db = Arc::new(TestDb::new().await);
    // Two stores, each with its own pool and in-process write lock, as two processes have.
    let first = app_over(&db, db.store().await).await;
    let second = app_over(&db, db.store().await).await;
    let ada = first.holder("ada@example.org", "Ada").await;
    record_concurrently(&[first.clone(), second.clone()], &ada, 60).await;
    assert_eq!(evidence_count(&first, &ada).await, 60);
    assert_eq!(evidence_count(&second, &ada).await, 60);
}

#[tokio::test]
async fn sqlite_data_folder_moved_away_refuses_writes_until_it_is_back() {
    // SQLite whatever the suite's engine. Open connections would go on using the moved
    // file, so writes acknowledged then would be lost to the next start: they are refused.
    let db = Arc::new(TestDb::sqlite());
    let app = app_over(&db, db.store().await).await;
    assert_eq!(
        register(&app, "before@example.org").await.status,
        StatusCode::CREATED
    );

    let away = db.dir().with_extension("away");
    std::fs::rename(db.dir(), &away).expect("move the data folder away");
    assert_unavailable(&app.get("/readyz", "application/json").await, "readyz");
    assert_unavailable(&register(&app, "during@example.org").await, "a write");

    std::fs::rename(&away, db.dir()).expect("move the data folder back");
    assert_eq!(
        app.get("/readyz", "application/json").await.status,
        StatusCode::OK
    );
    assert_eq!(
        register(&app, "after@example.org").await.status,
        StatusCode::CREATED
    );
}
