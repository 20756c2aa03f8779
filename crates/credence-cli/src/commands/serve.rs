//! `credence serve`: migrate, import the bundled frameworks, seed the demo world with
//! `--demo`, serve until SIGTERM or Ctrl-C, then finish the requests in flight.

use anyhow::Context;
use credence_service::{Actor, Operator, ServiceError, Services};
use credence_web::{router, AppState, WebConfig};

use super::{open_store, registry_config, service_failure};
use crate::cli::ServeArgs;
use crate::config::Config;
use crate::Failure;

pub async fn run(mut config: Config, args: ServeArgs) -> Result<(), Failure> {
    // Listen first: without a configured public URL, credentials name the address actually
    // listened on (the flag's, and the port chosen for port 0), not the default 8080.
    let listen = args.listen.unwrap_or(config.server.listen);
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let local = listener
        .local_addr()
        .context("reading the listening address")?;
    config.server.listen = local;
    let mut registry = registry_config(&config)?;
    if registry.public_url_is_local() {
        // Credentials name the public URL for ever: say so when nobody else can reach it.
        tracing::warn!(public_url = %registry.base_url, "credentials issued now will name an address only this machine can reach; set server.public_url (CREDENCE_PUBLIC_URL) before issuing");
        eprintln!(
            "warning: the public URL is {}: credentials issued now will name an address only this machine can reach, for ever. Set server.public_url (CREDENCE_PUBLIC_URL) to the address people use before issuing real credentials.",
            registry.base_url
        );
    }
    registry.demo = args.demo;
    let canonicalizer = registry.canonicalizer.clone();
    let services = Services::new(open_store(&config).await?, registry);
    match services
        .frameworks
        .import_bundled(&Operator::local_command_line())
        .await
    {
        Ok(reports) => {
            for r in reports.iter().filter(|r| r.created) {
                tracing::info!(slug = %r.slug, version = %r.version, "bundled framework imported");
            }
        }
        // A stored version that differs from the bundled one is kept: it was imported on
        // purpose, and credentials may refer to it.
        Err(ServiceError::Conflict(detail)) => {
            tracing::warn!(%detail, "bundled framework not imported")
        }
        Err(e) => {
            return Err(Failure::Failed(anyhow::anyhow!(
                "importing bundled frameworks: {e}"
            )))
        }
    }
    if args.demo {
        seed_demo(&services).await?;
    }
    // Process the bundled JSON-LD contexts now, so the first credential signed or verified
    // after start-up is as fast as the rest.
    let warm = tokio::task::spawn_blocking(move || canonicalizer.warm_up());
    if let Ok(Err(e)) = warm.await {
        tracing::warn!(error = %e, "warming the canonicaliser failed");
    }
    let _delivery = match services.registry.spawn_mail_delivery() {
        Some(task) => {
            tracing::info!(server = %config.mail.smtp_url_shown(), "e-mail is delivered");
            Some(AbortOnDrop(task))
        }
        None => {
            tracing::warn!("no mail server (mail.smtp_url): e-mail waits in the outbox");
            None
        }
    };
    // Reminders and digests are written whether or not mail goes: the app lists them.
    let _notices = AbortOnDrop(services.registry.spawn_scheduled_notices());
    let token = config.server.metrics_token.trim();
    let state = AppState::new(
        services,
        WebConfig {
            body_limit_bytes: config.server.body_limit_bytes,
            metrics_token: (!token.is_empty()).then(|| token.to_owned()),
            limits: credence_web::throttle::Limits {
                sign_in_per_minute: config.limits.sign_in_per_minute,
                register_per_minute: config.limits.register_per_minute,
                bad_token_per_minute: config.limits.bad_token_per_minute,
                verify_per_minute: config.limits.verify_per_minute,
                wallet_nonce_per_minute: config.limits.wallet_nonce_per_minute,
            },
        },
    );
    if let Some(address) = config.metrics_listen()? {
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .with_context(|| format!("cannot listen for metrics on {address}"))?;
        let metrics = credence_web::metrics_router(state.clone());
        tracing::info!(%address, "metrics are served on their own address");
        tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, metrics).await {
                tracing::error!(error = %e, "the metrics listener stopped");
            }
        });
    }
    tracing::info!(address = %local, database = %config.database().url, "Credence is serving");
    eprintln!("Credence is serving on http://{local}/ (Ctrl-C to stop)");
    let secs = |n: u64| std::time::Duration::from_secs(n.max(1));
    let limits = super::http_server::ServerLimits {
        header_read: secs(config.server.header_read_timeout_secs),
        body_idle: secs(config.server.body_timeout_secs),
        request: secs(config.server.request_timeout_secs),
        max_connections: config.server.max_connections.max(1),
        drain: std::time::Duration::from_secs(30),
    };
    super::http_server::serve(listener, router(state), limits, shutdown_signal())
        .await
        .context("the server stopped with an error")?;
    tracing::info!("Credence stopped");
    Ok(())
}

/// Seeds the demo world, saying what it does (a first run signs a few hundred documents).
async fn seed_demo(services: &Services) -> Result<(), Failure> {
    let operator = Actor::from_operator(&Operator::local_command_line())
        .operator()
        .map_err(|e| service_failure("the demo", e))?;
    eprintln!("Seeding the demo world (fictional data from the report's case studies)...");
    let started = std::time::Instant::now();
    let summary = services
        .registry
        .with_operator(&operator)
        .seed_demo(|stage| eprintln!("  demo: {stage}"))
        .await
        .map_err(|e| service_failure("seeding the demo", e))?;
    if summary.is_empty() {
        eprintln!("The demo world was already complete; nothing changed.");
    } else {
        eprintln!(
            "Demo seeded in {:.1} s: {} organisations, {} accounts, {} evidence steps, {} awards made.",
            started.elapsed().as_secs_f64(),
            summary.organisations,
            summary.accounts,
            summary.evidence_steps,
            summary.awards
        );
    }
    eprintln!(
        "Sign in as any demo account with the password {}; the login page lists them.",
        credence_service::demo::DEMO_PASSWORD
    );
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM. The handlers are installed when this is called, not when
/// the future is first polled: the server loop may answer its first connections before it
/// polls the shutdown future, and a SIGTERM sent as soon as the server answered killed the
/// process instead of stopping it gracefully.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, Signal, SignalKind};
        // A handler that could not be installed never fires; the default action remains.
        async fn received(handler: std::io::Result<Signal>) {
            match handler {
                Ok(mut handler) => {
                    handler.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        }
        let interrupt = received(signal(SignalKind::interrupt()));
        let terminate = received(signal(SignalKind::terminate()));
        async move {
            tokio::select! {
                () = interrupt => {},
                () = terminate => {},
            }
        }
    }
    #[cfg(not(unix))]
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Stops the e-mail delivery worker when the server stops.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
