//! Shared helpers for the integration tests: a fresh database per test (SQLite by default,
//! PostgreSQL when `CREDENCE_TEST_DATABASE_URL` is set), the application driven without a
//! socket, a real server on a loopback port, and the `credence` binary.

use std::path::Path;
use std::process::Output;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use credence_service::{Operator, RegistryConfig, Services};
use credence_store::{DatabaseConfig, DatabaseUrl, Store};
use credence_web::{router, AppState, WebConfig};
use tower::ServiceExt;

/// The operator's metrics token in tests (`GET /metrics` needs it).
pub const METRICS_TOKEN: &str = "test-metrics-token";

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

/// `admin_url` with its database replaced by `name`.
fn pg_url(admin_url: &str, name: &str) -> String {
    let mut url = url::Url::parse(admin_url).expect("a URL");
    url.set_path(name);
    url.to_string()
}

/// The migrated database this test process copies for each test, made on first use (on a
/// thread with a runtime of its own, as tests each have theirs). It is named after the
/// process; templates of processes that have ended are dropped when a new one is made.
fn pg_template(admin_url: &str) -> String {
    static TEMPLATE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEMPLATE
        .get_or_init(|| {
            let admin_url = admin_url.to_owned();
            std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a runtime");
                rt.block_on(make_pg_template(&admin_url))
            })
            .join()
            .expect("the template database is made")
        })
        .clone()
}

async fn make_pg_template(admin_url: &str) -> String {
    use sea_orm::{ConnectionTrait, Statement};
    const PREFIX: &str = "credence_template_";
    let name = format!("{PREFIX}{}", std::process::id());
    let admin = sea_orm::Database::connect(admin_url)
        .await
        .expect("CREDENCE_TEST_DATABASE_URL must reach PostgreSQL");
    let rows = admin
        .query_all(Statement::from_string(
            admin.get_database_backend(),
            format!("SELECT datname FROM pg_database WHERE datname LIKE '{PREFIX}%'"),
        ))
        .await
        .expect("list the template databases");
    for row in rows {
        let old: String = row.try_get("", "datname").expect("a name");
        let gone = old
            .strip_prefix(PREFIX)
            .and_then(|pid| pid.parse::<u32>().ok())
            .is_some_and(|pid| !Path::new(&format!("/proc/{pid}")).exists());
        if gone || old == name {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{old}\" WITH (FORCE)"))
                .await;
        }
    }
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .expect("create the template database");
    let store = Store::connect(&DatabaseConfig {
        url: DatabaseUrl::new(pg_url(admin_url, &name)),
        max_connections: 1,
        timeout: DatabaseConfig::DEFAULT_TIMEOUT,
    })
    .await
    .expect("connect to the template database");
    store
        .migrate()
        .await
        .expect("migrate the template database");
    // No connection may stay open to a database that is copied.
    store.close().await.expect("close the template database");
    let _ = admin.close().await;
    name
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

    /// A SQLite database in a folder of its own, whatever engine the suite runs against.
    pub fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        Self {
            url: DatabaseUrl::sqlite_in(dir.path()).expose().to_owned(),
            _dir: dir,
            _postgres: None,
        }
    }

    /// The test's own folder (a data folder for SQLite: `credence.db` is in it).
    pub fn dir(&self) -> &Path {
        self._dir.path()
    }

    /// A database for one test: on PostgreSQL a copy of this process's migrated template
    /// (`CREATE DATABASE … TEMPLATE`, about a tenth of running the migrations again; a
    /// test's [`Self::store`] then finds nothing to apply), on SQLite a new file.
    pub async fn new() -> Self {
        Self::create(true).await
    }

    /// A database with no tables at all, for the tests of migrating one.
    pub async fn empty() -> Self {
        Self::create(false).await
    }

    async fn create(migrated: bool) -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        match std::env::var("CREDENCE_TEST_DATABASE_URL") {
            Ok(admin_url) => {
                use sea_orm::ConnectionTrait;
                let name = format!("credence_test_{}", uuid::Uuid::new_v4().simple());
                let template = if migrated {
                    format!(" TEMPLATE \"{}\"", pg_template(&admin_url))
                } else {
                    String::new()
                };
                let admin = sea_orm::Database::connect(&admin_url)
                    .await
                    .expect("CREDENCE_TEST_DATABASE_URL must reach PostgreSQL");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\"{template}"))
                    .await
                    .expect("create a test database");
                let _ = admin.close().await;
                Self {
                    url: pg_url(&admin_url, &name),
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
            timeout: DatabaseConfig::DEFAULT_TIMEOUT,
        })
        .await
        .expect("connect to the test database");
        store.migrate().await.expect("migrate the test database");
        store
    }
}

/// The application over a fresh database with the bundled frameworks imported. Its public
/// address is a loopback port reserved at creation, so credential ids and status list URLs
/// name the address [`TestApp::serve`] answers on.
pub struct TestApp {
    pub db: std::sync::Arc<TestDb>,
    pub router: Router,
    pub services: Services,
    pub base_url: String,
    listener: std::sync::Mutex<Option<std::net::TcpListener>>,
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
        let store = db.store().await;
        Self::over(std::sync::Arc::new(db), store).await
    }

    /// The application over `store`, a migrated store on `db` (several apps may share one
    /// database, as several processes do).
    pub async fn over(db: std::sync::Arc<TestDb>, store: Store) -> Self {
        Self::over_with(db, store, |base_url| {
            RegistryConfig::for_tests(base_url).expect("test settings")
        })
        .await
    }

    /// The application over `store` with the settings `config` makes from the reserved
    /// address (a test may keep another address, and bring its own master key).
    pub async fn over_with(
        db: std::sync::Arc<TestDb>,
        store: Store,
        config: impl FnOnce(&str) -> RegistryConfig,
    ) -> Self {
        Self::assemble(db, store, config, true).await
    }

    /// A fresh application whose public address is `base_url` (not the port it reserves),
    /// with the bundled frameworks imported or none: two registries at one address, say.
    pub async fn at(base_url: &str, bundled: bool) -> Self {
        let db = TestDb::new().await;
        let store = db.store().await;
        Self::assemble(
            std::sync::Arc::new(db),
            store,
            |_| RegistryConfig::for_tests(base_url).expect("test settings"),
            bundled,
        )
        .await
    }

    async fn assemble(
        db: std::sync::Arc<TestDb>,
        store: Store,
        config: impl FnOnce(&str) -> RegistryConfig,
        bundled: bool,
    ) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let reserved = format!("http://{}", listener.local_addr().expect("local address"));
        let config = config(&reserved);
        let base_url = config.base_url.clone();
        let services = Services::new(store, config);
        if bundled {
            services
                .frameworks
                .import_bundled(&Operator::local_command_line())
                .await
                .expect("import the bundled frameworks");
        }
        let web = WebConfig {
            metrics_token: Some(METRICS_TOKEN.into()),
            // Tests make many accounts and sign-ins from one (unknown) address; the budgets
            // themselves are tested with routers of their own (tests/security.rs).
            limits: credence_web::throttle::Limits {
                sign_in_per_minute: 100_000,
                register_per_minute: 100_000,
                bad_token_per_minute: 100_000,
                verify_per_minute: 100_000,
                wallet_nonce_per_minute: 100_000,
            },
            ..WebConfig::default()
        };
        let router = router(AppState::new(services.clone(), web));
        Self {
            db,
            router,
            services,
            base_url,
            listener: std::sync::Mutex::new(Some(listener)),
        }
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

    /// A page as a browser signed in as `who` gets it; fails unless it answers 200.
    pub async fn get_page(&self, path: &str, who: &Auth) -> String {
        let mut request = Request::get(path).header("accept", "text/html");
        if let Auth::Session { cookie, .. } = who {
            request = request.header("cookie", format!("credence_session={cookie}"));
        }
        let reply = self
            .request(request.body(Body::empty()).expect("a request"))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "GET {path}: {}", reply.body);
        reply.body
    }

    /// Serves the application on its reserved loopback port; returns its base URL.
    pub async fn serve(&self) -> String {
        let reserved = self.listener.lock().expect("listener lock").take();
        let Some(std_listener) = reserved else {
            return self.base_url.clone();
        };
        std_listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let listener = tokio::net::TcpListener::from_std(std_listener).expect("a tokio listener");
        let app = self.router.clone();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        self.base_url.clone()
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

/// The Node harness `tests/js/interop.mjs` (the Digital Bazaar Data Integrity stack with a
/// static document loader), its npm packages installed once per test run into
/// `<target>/js-cache/<hash of package.json and package-lock.json>/` and reused while those
/// files are unchanged. Node and npm are required: without them the interop tests fail.
pub struct JsHarness {
    /// The folder holding a copy of every script, below the one holding `node_modules`.
    scripts: std::path::PathBuf,
    repo: std::path::PathBuf,
}

/// The harness, installed on first use (one install even when tests run in parallel, and
/// race-free between test processes sharing the target folder: each installs into a fresh
/// folder and renames it into place).
pub fn js_harness() -> &'static JsHarness {
    static HARNESS: std::sync::OnceLock<Result<JsHarness, String>> = std::sync::OnceLock::new();
    match HARNESS.get_or_init(install_js_harness) {
        Ok(harness) => harness,
        Err(e) => panic!("the JavaScript interop harness is not available: {e}"),
    }
}

pub fn repo_root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The cargo target folder this test binary was built in (`<target>/<profile>/deps/<exe>`).
pub fn target_dir() -> std::path::PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| {
            exe.ancestors()
                .find(|dir| dir.file_name().is_some_and(|n| n == "deps"))
                .and_then(|deps| deps.parent()?.parent())
                .map(Path::to_path_buf)
        })
        .unwrap_or_else(|| repo_root().join("target"))
}

/// FNV-1a, 64 bits: a stable content stamp (no extra dependency needed).
pub fn fnv1a(parts: &[&[u8]]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.iter().chain(&[0xff]) {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

fn tool_version(tool: &str) -> Result<String, String> {
    let output = std::process::Command::new(tool)
        .arg("--version")
        .output()
        .map_err(|e| format!("`{tool} --version` could not run ({e}); install Node.js 18+ with npm: the interop tests need it"))?;
    if !output.status.success() {
        return Err(format!("`{tool} --version` failed: {}", stderr(&output)));
    }
    Ok(stdout(&output).trim().to_owned())
}

fn install_js_harness() -> Result<JsHarness, String> {
    let repo = repo_root();
    let source = repo.join("tests/js");
    let read = |name: &str| {
        std::fs::read(source.join(name)).map_err(|e| format!("read tests/js/{name}: {e}"))
    };
    let package = read("package.json")?;
    let lock = read("package-lock.json")?;
    tool_version("node")?;
    tool_version("npm")?;

    let stamp = fnv1a(&[&package, &lock]);
    let cache = target_dir().join("js-cache");
    let folder = cache.join(&stamp);
    if !folder.join("stamp").is_file() {
        std::fs::create_dir_all(&cache).map_err(|e| format!("create {}: {e}", cache.display()))?;
        let scratch = cache.join(format!(
            ".install-{}-{}",
            std::process::id(),
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&scratch)
            .map_err(|e| format!("create {}: {e}", scratch.display()))?;
        let write = |name: &str, bytes: &[u8]| {
            std::fs::write(scratch.join(name), bytes)
                .map_err(|e| format!("write {}: {e}", scratch.join(name).display()))
        };
        write("package.json", &package)?;
        write("package-lock.json", &lock)?;
        let output = std::process::Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&scratch)
            .output()
            .map_err(|e| format!("run npm ci: {e}"))?;
        if !output.status.success() {
            let _ = std::fs::remove_dir_all(&scratch);
            return Err(format!(
                "npm ci failed in {}:\n{}{}",
                scratch.display(),
                stdout(&output),
                stderr(&output)
            ));
        }
        write("stamp", format!("{stamp}\n").as_bytes())?;
        // Another process may have finished first: then its folder is used and ours removed.
        if std::fs::rename(&scratch, &folder).is_err() {
            let _ = std::fs::remove_dir_all(&scratch);
            if !folder.join("stamp").is_file() {
                return Err(format!("could not install into {}", folder.display()));
            }
        }
    }
    // The scripts sit below node_modules so that Node resolves their imports, together in
    // a folder named by all their contents, so that they can import each other
    // (`browser_kit.mjs`) and a changed script never runs beside an old copy of another.
    let mut scripts: Vec<(String, Vec<u8>)> = std::fs::read_dir(&source)
        .map_err(|e| format!("list tests/js: {e}"))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".mjs"))
        .map(|name| Ok((name.clone(), read(&name)?)))
        .collect::<Result<_, String>>()?;
    scripts.sort();
    let parts: Vec<&[u8]> = scripts
        .iter()
        .flat_map(|(name, bytes)| [name.as_bytes(), bytes.as_slice()])
        .collect();
    let scripts_dir = folder.join(format!("scripts-{}", fnv1a(&parts)));
    if !scripts_dir.is_dir() {
        let partial = folder.join(format!(".scripts-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&partial)
            .map_err(|e| format!("create {}: {e}", partial.display()))?;
        for (name, bytes) in &scripts {
            std::fs::write(partial.join(name), bytes)
                .map_err(|e| format!("copy {name} into {}: {e}", partial.display()))?;
        }
        // Another process may have put the same scripts in place first.
        if std::fs::rename(&partial, &scripts_dir).is_err() {
            let _ = std::fs::remove_dir_all(&partial);
            if !scripts_dir.is_dir() {
                return Err(format!(
                    "could not copy the scripts into {}",
                    scripts_dir.display()
                ));
            }
        }
    }
    Ok(JsHarness {
        scripts: scripts_dir,
        repo,
    })
}

impl JsHarness {
    /// Runs `node interop.mjs <args>` with `input` as JSON on standard input and returns the
    /// JSON it prints; panics with its error output if it fails.
    pub fn run(&self, args: &[&str], input: &serde_json::Value) -> serde_json::Value {
        self.run_script("interop.mjs", args, input)
    }

    /// Runs one of the harness's scripts (`interop.mjs`, `journey.mjs`) the same way.
    pub fn run_script(
        &self,
        name: &str,
        args: &[&str],
        input: &serde_json::Value,
    ) -> serde_json::Value {
        use std::io::Write;
        use std::process::{Command, Stdio};
        let script = self.scripts.join(name);
        assert!(script.is_file(), "no script tests/js/{name}");
        let mut child = Command::new("node")
            .arg(&script)
            .args(args)
            .env(
                "CREDENCE_CONTEXTS_DIR",
                self.repo.join("crates/credence-vc/contexts"),
            )
            .env("CREDENCE_VECTORS_DIR", self.repo.join("tests/vectors"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run node (the interop tests need Node.js)");
        let mut stdin = child.stdin.take().expect("node's standard input");
        let text = input.to_string();
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(text.as_bytes());
        });
        let output = child.wait_with_output().expect("wait for node");
        let _ = writer.join();
        assert!(
            output.status.success(),
            "node {name} {args:?} failed: {}\ninput: {input:#}",
            stderr(&output)
        );
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
            panic!(
                "node {name} {args:?} printed no JSON ({e}): {}",
                stdout(&output)
            )
        })
    }
}

/// How a test request authenticates.
#[derive(Debug, Clone, Default)]
pub enum Auth {
    #[default]
    None,
    /// `Authorization: Bearer {token}`.
    Token(String),
    /// A session cookie and its CSRF token.
    Session { cookie: String, csrf: String },
}

impl TestApp {
    /// Sends `method path` with an optional JSON body and authentication.
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
        auth: &Auth,
    ) -> Reply {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header("accept", "application/json");
        match auth {
            Auth::None => {}
            Auth::Token(token) => {
                request = request.header("authorization", format!("Bearer {token}"));
            }
            Auth::Session { cookie, csrf } => {
                request = request
                    .header("cookie", format!("credence_session={cookie}"))
                    .header("x-csrf-token", csrf);
            }
        }
        let body = match body {
            Some(json) => {
                request = request.header("content-type", "application/json");
                Body::from(json.to_string())
            }
            None => Body::empty(),
        };
        self.request(request.body(body).expect("a request")).await
    }

    /// Registers a holder account through the API and signs it in.
    pub async fn holder(&self, email: &str, name: &str) -> Auth {
        let password = "correct horse battery staple";
        let reply = self
            .call(
                "POST",
                "/api/v1/accounts",
                Some(
                    serde_json::json!({"email": email, "display_name": name, "password": password}),
                ),
                &Auth::None,
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        self.sign_in(email, password).await
    }

    /// Signs in through the API.
    pub async fn sign_in(&self, email: &str, password: &str) -> Auth {
        let reply = self
            .call(
                "POST",
                "/api/v1/session",
                Some(serde_json::json!({"email": email, "password": password})),
                &Auth::None,
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        let set_cookie = reply.header("set-cookie");
        let cookie = set_cookie
            .strip_prefix("credence_session=")
            .and_then(|rest| rest.split(';').next())
            .expect("a session cookie")
            .to_owned();
        let csrf = reply.json()["csrf_token"]
            .as_str()
            .expect("a CSRF token")
            .to_owned();
        Auth::Session { cookie, csrf }
    }

    /// Creates an organisation as the operator; returns its DID.
    pub async fn org(&self, slug: &str, kind: &str, did_method: &str) -> String {
        use credence_service::orgs::NewOrg;
        let operator = credence_service::Actor::from_operator(&Operator::local_command_line())
            .operator()
            .expect("the operator");
        let org = self
            .services
            .registry
            .with_operator(&operator)
            .create_org(NewOrg {
                slug: slug.into(),
                name: format!("Organisation {slug}"),
                kind: kind.parse().expect("an organisation kind"),
                did_method: did_method.parse().expect("a DID method"),
                url: None,
                description: None,
            })
            .await
            .expect("create an organisation");
        org.did
    }

    /// Gives the account with `email` a role in `slug`, as the operator.
    pub async fn grant(&self, slug: &str, email: &str, role: &str) {
        let registry = &self.services.registry;
        let org = registry
            .public()
            .org(&credence_domain::OrgSlug::new(slug).expect("a slug"))
            .await
            .expect("the organisation");
        let admin = credence_service::Actor::from_operator(&Operator::local_command_line())
            .org_admin(&org)
            .expect("operator administers");
        registry
            .with_org_admin(&admin)
            .add_member(email, role.parse().expect("a role"))
            .await
            .expect("add a member");
    }

    /// An API token for a role of `slug`, made as the operator.
    pub async fn token(&self, slug: &str, role: &str) -> Auth {
        let registry = &self.services.registry;
        let org = registry
            .public()
            .org(&credence_domain::OrgSlug::new(slug).expect("a slug"))
            .await
            .expect("the organisation");
        let admin = credence_service::Actor::from_operator(&Operator::local_command_line())
            .org_admin(&org)
            .expect("operator administers");
        let token = registry
            .with_org_admin(&admin)
            .create_token(role.parse().expect("a role"), "test", 30)
            .await
            .expect("a token");
        Auth::Token(token.value)
    }
}

/// Attested evidence for `holder_id`: each (statement, level), straight into the store,
/// attested by `org` (or by no organisation), gained on the AI product version `version`
/// (or naming none).
pub(crate) async fn attest_evidence(
    app: &TestApp,
    holder_id: &str,
    org: Option<&str>,
    version: Option<&str>,
    items: &[(&str, &str)],
) {
    let frameworks = app.services.frameworks.list().await.expect("frameworks");
    let framework_id = frameworks
        .iter()
        .find(|f| f.slug == "nhs-ai-confidence-2022")
        .expect("the NHS framework")
        .id;
    let org_id = match org {
        Some(slug) => Some(
            app.services
                .registry
                .public()
                .org(&credence_domain::OrgSlug::new(slug).unwrap())
                .await
                .expect("the organisation")
                .id,
        ),
        None => None,
    };
    let tx = app.services.registry.store().write().await.expect("a tx");
    let now = chrono::Utc::now();
    for (statement, level) in items {
        tx.insert_evidence_row(credence_store::registry::EvidenceRow {
            id: credence_domain::EvidenceId::random(),
            holder_id: holder_id.parse().expect("an account id"),
            framework_id,
            statement_code: statement.parse().unwrap(),
            level_claimed: level.parse().unwrap(),
            kind: "course-completion".parse().unwrap(),
            narrative: format!("Completed {statement}."),
            occurred_on: now.date_naive(),
            provider: None,
            org_id: org_id.clone(),
            status: "attested".parse().unwrap(),
            level_confirmed: Some(level.parse().unwrap()),
            source: "manual".into(),
            external_ref: None,
            public: false,
            product_version_id: version.map(|v| v.parse().expect("a product version id")),
            created_at: now,
            updated_at: now,
        })
        .await
        .expect("insert evidence");
    }
    tx.commit().await.expect("commit");
}
