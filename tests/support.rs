//! Shared helpers for the integration tests: a fresh database per test (SQLite by default,
//! PostgreSQL when `CREDENCE_TEST_DATABASE_URL` is set), the application driven without a
//! socket, a real server on a loopback port, and the `credence` binary.

use std::path::Path;
use std::process::Output;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use credence_service::{Operator, Services};
use credence_store::{DatabaseConfig, DatabaseUrl, Store};
use credence_web::{router, AppState, WebConfig};
use tower::ServiceExt;

/// A database of its own for one test, removed when the test ends.
pub struct TestDb {
    pub url: String,
    _dir: tempfile::TempDir,
    _postgres: Option<PgDrop>,
}

struct PgDrop {
    admin_url: String,
    name: String,
}

impl Drop for PgDrop {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let sql = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
        // Drop runs inside the test's runtime: use a thread with a runtime of its own.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async {
                use sea_orm::ConnectionTrait;
                if let Ok(db) = sea_orm::Database::connect(&admin_url).await {
                    let _ = db.execute_unprepared(&sql).await;
                    let _ = db.close().await;
                }
            });
        })
        .join();
    }
}

impl TestDb {
    /// The engine the suite runs against, for messages.
    pub fn engine() -> &'static str {
        if std::env::var("CREDENCE_TEST_DATABASE_URL").is_ok() {
            "postgres"
        } else {
            "sqlite"
        }
    }

    pub async fn new() -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        match std::env::var("CREDENCE_TEST_DATABASE_URL") {
            Ok(admin_url) => {
                use sea_orm::ConnectionTrait;
                let name = format!("credence_test_{}", uuid::Uuid::new_v4().simple());
                let admin = sea_orm::Database::connect(&admin_url)
                    .await
                    .expect("CREDENCE_TEST_DATABASE_URL must reach PostgreSQL");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("create a test database");
                let _ = admin.close().await;
                let mut url = url::Url::parse(&admin_url).expect("a URL");
                url.set_path(&name);
                Self {
                    url: url.to_string(),
                    _dir: dir,
                    _postgres: Some(PgDrop { admin_url, name }),
                }
            }
            Err(_) => Self {
                url: DatabaseUrl::sqlite_in(dir.path()).expose().to_owned(),
                _dir: dir,
                _postgres: None,
            },
        }
    }

    /// A migrated store on this database.
    pub async fn store(&self) -> Store {
        let store = Store::connect(&DatabaseConfig {
            url: DatabaseUrl::new(self.url.clone()),
            max_connections: 5,
        })
        .await
        .expect("connect to the test database");
        store.migrate().await.expect("migrate the test database");
        store
    }
}

/// The application over a fresh database with the bundled frameworks imported.
pub struct TestApp {
    _db: TestDb,
    pub router: Router,
}

/// A response, read whole.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

impl TestApp {
    pub async fn new() -> Self {
        let db = TestDb::new().await;
        let services = Services::new(db.store().await);
        services
            .frameworks
            .import_bundled(&Operator::local_command_line())
            .await
            .expect("import the bundled frameworks");
        let router = router(AppState::new(services.clone(), WebConfig::default()));
        Self { _db: db, router }
    }

    /// Sends a request through the router, without a socket.
    pub async fn request(&self, request: Request<Body>) -> Reply {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router always answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), 64 * 1024 * 1024)
            .await
            .expect("read the body");
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// `GET path` with an `Accept` header.
    pub async fn get(&self, path: &str, accept: &str) -> Reply {
        let request = Request::get(path)
            .header("accept", accept)
            .body(Body::empty())
            .expect("a request");
        self.request(request).await
    }

    /// Serves the application on a loopback port; returns its base URL.
    pub async fn serve(&self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let addr = listener.local_addr().expect("local address");
        let app = self.router.clone();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        format!("http://{addr}")
    }
}

/// Runs the `credence` binary in `dir` with extra environment variables.
pub fn credence(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_credence"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("CREDENCE_DATABASE_URL")
        .env_remove("CREDENCE_DATA_DIR")
        .env_remove("CREDENCE_CONFIG")
        .env("CREDENCE_LOG", "warn");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("run the credence binary")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
