//! The demo world of `credence serve --demo`: the five organisations, the eleven personas
//! as holders, one award in each state (valid, revoked, suspended, expired) as a verifier
//! sees it, public portfolios, and a second seeding that changes nothing.

use std::collections::BTreeMap;

use credence_service::accounts::Password;
use credence_service::demo::{demo_logins, DemoSummary, DEMO_PASSWORD};
use credence_service::{Actor, Operator, Page, Registry};
use credence_vc::verify::{Outcome, Verdict, VerificationReport};

use crate::support::TestApp;

fn operator() -> credence_service::actor::OperatorPower {
    Actor::from_operator(&Operator::local_command_line())
        .operator()
        .expect("the operator")
}

/// Everything the demo makes that a newcomer can see, as counts by kind.
async fn census(registry: &Registry) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    let orgs = registry.public().orgs().await.expect("organisations");
    counts.insert("organisations".into(), orgs.len());
    for org in &orgs {
        let achievements = registry
            .public()
            .achievements(&credence_domain::OrgSlug::new(&org.slug).expect("a slug"))
            .await
            .expect("achievements");
        *counts.entry("achievements".into()).or_default() += achievements.len();
        let (given, _) = registry
            .public()
            .accreditations(&credence_domain::OrgSlug::new(&org.slug).expect("a slug"))
            .await
            .expect("accreditations");
        *counts.entry("accreditations".into()).or_default() += given.len();
    }
    let audit = registry
        .with_operator(&operator())
        .verify_audit_chain(|_, _| {})
        .await
        .expect("the audit chain");
    assert!(audit.broken.is_none(), "{:?}", audit.broken);
    counts.insert("audit entries".into(), audit.entries as usize);
    counts
}

/// The actor of a demo account, signed in with the demo password.
async fn sign_in(registry: &Registry, email: &str) -> Actor {
    let session = registry
        .accounts()
        .sign_in(email, Password::new(DEMO_PASSWORD.into()))
        .await
        .unwrap_or_else(|e| panic!("{email} signs in with the demo password: {e}"));
    registry
        .accounts()
        .session_actor(&session.cookie_value)
        .await
        .expect("the session")
        .expect("a live session")
        .actor
}

fn check(report: &VerificationReport, code: &str) -> Outcome {
    report
        .checks
        .iter()
        .find(|c| c.code == code)
        .map(|c| c.outcome)
        .unwrap_or_else(|| panic!("no {code} check in {report:?}"))
}

#[tokio::test]
async fn demo_world_is_seeded_once_with_an_award_in_every_state() {
    let app = TestApp::new().await;
    let registry = &app.services.registry;
    let started = std::time::Instant::now();
    let mut stages = Vec::new();
    let first = registry
        .with_operator(&operator())
        .seed_demo(|stage| stages.push(stage.to_owned()))
        .await
        .expect("seed the demo");
    eprintln!(
        "demo seeded on {} in {:?}: {first:?}",
        crate::support::TestDb::engine(),
        started.elapsed()
    );
    assert!(!stages.is_empty(), "progress is reported");
    assert_eq!(first.organisations, 5);
    assert!(first.awards >= 6, "{first:?}");
    // The database's per-person summary of attested levels (the workforce view's read) is
    // what the demo's evidence says, after every submission, decision and attestation.
    {
        let tx = registry.store().read().await.expect("a read");
        for org in registry.public().orgs().await.expect("organisations") {
            assert_eq!(
                tx.evidence_levels_drift(&org.id).await.expect("drift"),
                0,
                "{}",
                org.slug
            );
        }
    }

    // The five organisations, each plainly marked as demo data.
    let orgs = registry.public().orgs().await.expect("organisations");
    let mut slugs: Vec<&str> = orgs.iter().map(|o| o.slug.as_str()).collect();
    slugs.sort_unstable();
    assert_eq!(
        slugs,
        [
            "demo-accreditation-board",
            "holpot-hill-gp",
            "linchester-ics",
            "nymouth-ics",
            "triadix"
        ]
    );
    for org in &orgs {
        assert!(org.name.ends_with("(demo)"), "{}", org.name);
        let description = org.description.as_deref().unwrap_or_default();
        assert!(description.starts_with("Demo data"), "{description}");
    }
    let tri_x = registry
        .public()
        .achievements(&credence_domain::OrgSlug::new("triadix").expect("a slug"))
        .await
        .expect("achievements");
    assert!(
        tri_x
            .iter()
            .any(|a| a.pathway == "product-specific" && a.name.contains("tri-X")),
        "{tri_x:?}"
    );

    // Eleven personas as holders, and staff accounts, all signing in with the demo password.
    let logins = demo_logins();
    let personas: Vec<_> = logins
        .iter()
        .filter(|l| l.display_name.contains("Persona"))
        .collect();
    assert_eq!(personas.len(), 11);
    assert!(logins
        .iter()
        .any(|l| l.label == "Assessor at Linchester ICS"));
    assert!(logins
        .iter()
        .all(|l| l.email.ends_with("@demo.credence.invalid")));

    let mut states: BTreeMap<&str, usize> = BTreeMap::new();
    let mut seen = Vec::new();
    let mut public_portfolios = 0;
    let mut with_public_items = 0;
    for login in &personas {
        let actor = sign_in(registry, &login.email).await;
        let holder = actor.holder().expect("a holder");
        let evidence = registry
            .with_holder(&holder)
            .holder_evidence(Page::new(0, 500))
            .await
            .expect("evidence");
        assert!(!evidence.is_empty(), "{} has evidence", login.display_name);
        for e in &evidence {
            if e.status.as_str() == "rejected" {
                let detail = registry
                    .with_holder(&holder)
                    .evidence_detail(&e.id)
                    .await
                    .expect("the rejected evidence");
                let last = detail.history.last().expect("a history");
                assert_eq!(last.decision, "rejected");
                assert!(last.comment.as_deref().is_some_and(|c| !c.is_empty()));
            }
            *states
                .entry(match e.status.as_str() {
                    "draft" => "draft",
                    "submitted" => "submitted",
                    "attested" => "attested",
                    _ => "rejected",
                })
                .or_default() += 1;
        }
        let me = registry
            .with_holder(&holder)
            .me()
            .await
            .expect("the account");
        assert_eq!(
            me.archetypes.len(),
            1,
            "{} follows their archetype",
            login.display_name
        );
        if me.portfolio_public {
            public_portfolios += 1;
            let slug = me
                .portfolio_slug
                .as_deref()
                .expect("a public portfolio's address");
            assert_eq!(slug, login.display_name.to_lowercase().replace(' ', "-"));
            let portfolio = registry
                .public()
                .public_portfolio(slug)
                .await
                .expect("the public portfolio");
            assert!(portfolio.show_progress);
            assert!(!portfolio.progress.is_empty(), "{slug} shows progress");
            with_public_items +=
                usize::from(!portfolio.credentials.is_empty() || !portfolio.evidence.is_empty());
        }
        for award in registry
            .with_holder(&holder)
            .my_awards()
            .await
            .expect("awards")
        {
            let text = registry
                .caller(&actor)
                .credential_text(&award.id)
                .await
                .expect("the holder reads the credential");
            let doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
            let report = registry
                .public()
                .verify_credential_json(&doc)
                .await
                .expect("a report");
            seen.push((login.display_name.clone(), award, report));
        }
    }
    for state in ["draft", "submitted", "attested"] {
        assert!(
            states.get(state).is_some_and(|n| *n > 1),
            "{state}: {states:?}"
        );
    }
    assert_eq!(
        states.get("rejected"),
        Some(&1),
        "one rejection: {states:?}"
    );

    let revoked: Vec<_> = seen
        .iter()
        .filter(|(_, a, _)| a.status.as_str() == "revoked")
        .collect();
    assert_eq!(revoked.len(), 1, "exactly one revoked award");
    let (_, award, report) = revoked[0];
    assert!(award
        .status_reason
        .as_deref()
        .is_some_and(|r| !r.is_empty()));
    assert_eq!(report.verdict, Verdict::NotValid);
    assert_eq!(check(report, "status.revocation"), Outcome::Failed);

    let suspended: Vec<_> = seen
        .iter()
        .filter(|(_, a, _)| a.status.as_str() == "suspended")
        .collect();
    assert_eq!(suspended.len(), 1, "exactly one suspended award");
    let (_, award, report) = suspended[0];
    assert!(award
        .status_reason
        .as_deref()
        .is_some_and(|r| !r.is_empty()));
    assert_eq!(report.verdict, Verdict::NotValid);
    assert_eq!(check(report, "status.suspension"), Outcome::Failed);
    assert_eq!(check(report, "status.revocation"), Outcome::Passed);

    let expired: Vec<_> = seen
        .iter()
        .filter(|(_, _, r)| check(r, "valid_until") == Outcome::Failed)
        .collect();
    assert_eq!(expired.len(), 1, "exactly one expired award");
    let (who, award, report) = expired[0];
    assert_eq!(who, "User Persona 2");
    assert_eq!(award.status.as_str(), "active");
    assert_eq!(report.verdict, Verdict::NotValid);
    assert_eq!(check(report, "status.revocation"), Outcome::Passed);

    let valid: Vec<_> = seen
        .iter()
        .filter(|(_, _, r)| r.verdict == Verdict::Verified)
        .collect();
    assert!(valid.len() >= 5, "several valid awards: {}", valid.len());
    for (_, _, report) in &valid {
        assert_eq!(check(report, "proof"), Outcome::Passed);
        assert_eq!(check(report, "accreditation"), Outcome::Passed);
    }
    assert_eq!(
        seen.len(),
        valid.len() + 3,
        "every award is valid, revoked, suspended or expired"
    );

    // Two awards wait for recipients without an account; the console says so.
    let linchester = registry
        .public()
        .org(&credence_domain::OrgSlug::new("linchester-ics").expect("a slug"))
        .await
        .expect("the organisation");
    let listed = registry
        .with_issuer(
            &Actor::from_operator(&Operator::local_command_line())
                .operator()
                .expect("the operator")
                .issuer_for(&linchester),
        )
        .award_list(
            &Default::default(),
            Page {
                offset: 0,
                limit: 100,
            },
        )
        .await
        .expect("the award list");
    let waiting: Vec<_> = listed.items.iter().filter(|i| i.claim.is_some()).collect();
    assert_eq!(waiting.len(), 2, "{waiting:?}");
    for item in waiting {
        assert_eq!(item.recipient.kind, "unknown");
        assert!(item
            .recipient
            .email
            .as_deref()
            .unwrap_or("")
            .ends_with("@demo.credence.invalid"));
    }
    // One credential expires soon (tri-X 2.0 of User Persona 2): it shows on the
    // dashboard with what renewal needs, and its reminder is in the notifications list.
    assert_eq!(first.reminders, 1, "{first:?}");
    let persona = personas
        .iter()
        .find(|l| l.display_name == "User Persona 2")
        .expect("User Persona 2");
    let holder = sign_in(registry, &persona.email)
        .await
        .holder()
        .expect("a holder");
    let dashboard = registry
        .with_holder(&holder)
        .dashboard()
        .await
        .expect("the dashboard");
    assert_eq!(dashboard.expiring.len(), 1, "{:?}", dashboard.expiring);
    let expiring = &dashboard.expiring[0];
    assert!(expiring.name.contains("tri-X 2.0"), "{expiring:?}");
    assert_eq!(expiring.when, "in 21 days");
    assert!(
        expiring.renewal[0]
            .contains("refresh your training on tri-X 2.0, the product version now deployed"),
        "{expiring:?}"
    );
    let notices = registry
        .with_holder(&holder)
        .notifications(Page::new(0, 50))
        .await
        .expect("notifications");
    let kinds: Vec<&str> = notices.items.iter().map(|n| n.kind.as_str()).collect();
    assert_eq!(kinds.first(), Some(&"credential_expiring"), "{kinds:?}");
    assert!(kinds.contains(&"credential_awarded"), "{kinds:?}");

    assert_eq!(public_portfolios, 9, "most portfolios are public");
    assert!(with_public_items >= 8, "public items: {with_public_items}");

    // A second seeding makes and changes nothing.
    let before = census(registry).await;
    let second = registry
        .with_operator(&operator())
        .seed_demo(|_| {})
        .await
        .expect("seed the demo again");
    assert_eq!(second, DemoSummary::default());
    assert_eq!(census(registry).await, before);
}
