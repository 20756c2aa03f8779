//! How long a public portfolio page takes to render on the server: a holder with 50
//! credentials and 200 pieces of evidence, all public, progress shown, on SQLite. The
//! request goes through the whole router (extractors, service, store, template) without a
//! socket. Run with `cargo bench -p credence-web --bench portfolio`.

// Benchmarks may unwrap: a panic there is a failed run.
#![allow(clippy::unwrap_used)]

use std::hint::black_box;

use axum::body::Body;
use axum::http::Request;
use credence_service::actor::{Holder, Issuer};
use credence_service::awards::{NewAchievement, NewAward};
use credence_service::evidence::EvidenceInput;
use credence_service::orgs::NewOrg;
use credence_service::portfolio::PortfolioSettings;
use credence_service::{Actor, Operator, Registry, RegistryConfig, Services};
use credence_store::{DatabaseConfig, DatabaseUrl, Store};
use credence_web::{router, AppState, WebConfig};
use criterion::{criterion_group, criterion_main, Criterion};
use tower::ServiceExt;

const CREDENTIALS: usize = 50;
const EVIDENCE: usize = 200;

/// Builds the registry: an organisation, a foundational achievement, one holder with 200
/// pieces of evidence (30 attested) and 50 awards, everything public.
async fn seeded(dir: &std::path::Path) -> axum::Router {
    let services = open_services(dir).await;
    let registry = &services.registry;
    let operator_cli = Operator::local_command_line();
    let issuer = bench_issuer(registry, &operator_cli).await;
    let achievement = registry
        .with_issuer(&issuer)
        .create_achievement(NewAchievement {
            pathway: "foundational".into(),
            framework: None,
            name: None,
            description: None,
            validity_days: None,
            product: None,
            suspendable: false,
            awards_public: false,
            product_version: None,
        })
        .await
        .expect("an achievement");
    let holder = bench_holder(registry).await;
    let assessor_actor = bench_assessor(registry, &operator_cli).await;
    seed_evidence(registry, &holder, &assessor_actor).await;
    for i in 0..CREDENTIALS {
        let outcome = registry
            .with_issuer(&issuer)
            .award(NewAward {
                achievement: achievement.uuid.to_string(),
                email: "bench@example.org".into(),
                name: None,
                override_justification: Some(
                    "Benchmark data: many awards of one achievement.".into(),
                ),
                valid_from: None,
                renews: None,
                key: Some(format!("bench-{i}")),
            })
            .await
            .expect("an award");
        registry
            .with_holder(&holder)
            .set_award_visibility(&outcome.award.id, true)
            .await
            .expect("public award");
    }
    registry
        .with_holder(&holder)
        .update_portfolio(PortfolioSettings {
            slug: Some("bench-holder".into()),
            public: true,
            show_progress: true,
        })
        .await
        .expect("publish");
    router(AppState::new(services, WebConfig::default()))
}

/// A migrated SQLite database in `dir` with the bundled framework imported.
async fn open_services(dir: &std::path::Path) -> Services {
    let store = Store::connect(&DatabaseConfig {
        url: DatabaseUrl::sqlite_in(dir),
        max_connections: 5,
        timeout: DatabaseConfig::DEFAULT_TIMEOUT,
    })
    .await
    .expect("open the store");
    store.migrate().await.expect("migrate");
    let config = RegistryConfig::for_tests("http://127.0.0.1:9").expect("settings");
    let services = Services::new(store, config);
    services
        .frameworks
        .import_bundled(&Operator::local_command_line())
        .await
        .expect("import the framework");
    services
}

/// The organisation `bench-ics`, made by the operator, as its issuer.
async fn bench_issuer(registry: &Registry, operator_cli: &Operator) -> Issuer {
    let operator = Actor::from_operator(operator_cli)
        .operator()
        .expect("operator");
    registry
        .with_operator(&operator)
        .create_org(NewOrg {
            slug: "bench-ics".into(),
            name: "Bench ICS".into(),
            kind: "provider".parse().expect("kind"),
            did_method: "web".parse().expect("method"),
            url: None,
            description: None,
        })
        .await
        .expect("an organisation");
    let org = registry
        .public()
        .org(&credence_domain::OrgSlug::new("bench-ics").expect("a slug"))
        .await
        .expect("the organisation");
    operator.issuer_for(&org)
}

/// The holder whose portfolio is rendered.
async fn bench_holder(registry: &Registry) -> Holder {
    let account = registry
        .accounts()
        .register(credence_service::accounts::NewAccount {
            email: "bench@example.org".into(),
            display_name: "Bench Holder".into(),
            password: credence_service::accounts::Password::new("correct horse battery".into()),
        })
        .await
        .expect("an account");
    Holder {
        account_id: account.id.clone(),
        label: account.email.clone(),
    }
}

/// An assessor of `bench-ics`, signed in.
async fn bench_assessor(registry: &Registry, operator_cli: &Operator) -> Actor {
    let org = registry
        .public()
        .org(&credence_domain::OrgSlug::new("bench-ics").expect("a slug"))
        .await
        .expect("the organisation");
    let admin = Actor::from_operator(operator_cli)
        .org_admin(&org)
        .expect("operator administers");
    let admin = registry.with_org_admin(&admin);
    let password = || credence_service::accounts::Password::new("correct horse battery".into());
    registry
        .accounts()
        .register(credence_service::accounts::NewAccount {
            email: "assessor@example.org".into(),
            display_name: "Bench Assessor".into(),
            password: password(),
        })
        .await
        .expect("an assessor account");
    admin
        .add_member("assessor@example.org", "assessor".parse().expect("role"))
        .await
        .expect("assessor role");
    let session = registry
        .accounts()
        .sign_in("assessor@example.org", password())
        .await
        .expect("sign in");
    registry
        .accounts()
        .session_actor(&session.cookie_value)
        .await
        .expect("session")
        .expect("an actor")
        .actor
}

/// The holder's evidence, all public, the first 30 attested by the assessor.
async fn seed_evidence(registry: &Registry, holder: &Holder, assessor_actor: &Actor) {
    for i in 0..EVIDENCE {
        let statement = format!("T1-{:02}", i % 30 + 1);
        let detail = registry
            .with_holder(holder)
            .record_evidence(EvidenceInput {
                    kind: "course-completion".into(),
                    narrative: format!("Module {i} of the foundational programme, with a reflective account of what changed in practice."),
                    date: "2026-01-15".into(),
                    provider: Some("Bench Academy".into()),
                    framework: "nhs-ai-confidence-2022".into(),
                    framework_version: None,
                    statement: statement.clone(),
                    level: "awareness".into(),
                    product_version: None,
                },
            )
            .await
            .expect("evidence");
        let id = detail.evidence.id;
        if i < 30 {
            registry
                .with_holder(holder)
                .submit_evidence(&id, "bench-ics")
                .await
                .expect("submit");
            registry
                .caller(assessor_actor)
                .decide_evidence(
                    &id,
                    credence_service::evidence::DecisionInput {
                        decision: "attest".into(),
                        level: Some("awareness".into()),
                        comment: None,
                    },
                )
                .await
                .expect("attest");
        }
        registry
            .with_holder(holder)
            .set_evidence_visibility(&id, true)
            .await
            .expect("public evidence");
    }
}

fn portfolio(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime");
    let dir = tempfile::tempdir().expect("a folder");
    let app = runtime.block_on(seeded(dir.path()));
    let get = |app: axum::Router| async move {
        let response = app
            .oneshot(
                Request::get("/p/bench-holder")
                    .header("accept", "text/html")
                    .body(Body::empty())
                    .expect("a request"),
            )
            .await
            .expect("a response");
        assert!(response.status().is_success(), "{}", response.status());
        axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("the page")
    };
    let page = runtime.block_on(get(app.clone()));
    let html = String::from_utf8_lossy(&page);
    assert_eq!(html.matches("credential-card").count(), CREDENTIALS);
    assert_eq!(html.matches("class=\"evidence-item\"").count(), EVIDENCE);
    c.bench_function("public portfolio, 50 credentials and 200 evidence", |b| {
        b.to_async(&runtime).iter(|| {
            let app = app.clone();
            async move { black_box(get(app).await) }
        });
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50);
    targets = portfolio
}
criterion_main!(benches);
