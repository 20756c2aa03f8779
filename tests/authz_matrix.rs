//! The authorisation matrix: every API endpoint against every kind of caller (anonymous, a
//! holder, another holder, the assessor, issuer and admin of organisation A, the issuer of
//! organisation B, the operator). An allowed caller gets a 2xx answer; any other gets 401
//! or 404 (anonymous) or 403/404 (signed in; 404 hides what the caller may not know
//! exists), and nothing else: no unexpected allow, no unexpected deny.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::support::{Auth, TestApp};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Anonymous,
    Holder,
    OtherHolder,
    AssessorA,
    IssuerA,
    AdminA,
    IssuerB,
    Operator,
}

use Who::*;

pub const EVERYONE: &[Who] = &[
    Anonymous,
    Holder,
    OtherHolder,
    AssessorA,
    IssuerA,
    AdminA,
    IssuerB,
    Operator,
];

/// The accounts and organisations every case runs against.
pub struct World {
    pub app: TestApp,
    auths: Vec<(Who, Auth)>,
}

impl World {
    pub async fn new() -> Self {
        let app = TestApp::new().await;
        app.org("org-a", "provider", "web").await;
        app.org("org-b", "provider", "key").await;
        app.org("body", "accrediting-body", "web").await;
        let holder = app.holder("holder@example.org", "Holder").await;
        let other = app.holder("other@example.org", "Other").await;
        let assessor = app.holder("assessor@a.example", "Assessor A").await;
        app.grant("org-a", "assessor@a.example", "assessor").await;
        let issuer_a = app.holder("issuer@a.example", "Issuer A").await;
        app.grant("org-a", "issuer@a.example", "issuer").await;
        let admin_a = app.holder("admin@a.example", "Admin A").await;
        app.grant("org-a", "admin@a.example", "admin").await;
        let issuer_b = app.holder("issuer@b.example", "Issuer B").await;
        app.grant("org-b", "issuer@b.example", "issuer").await;
        let operator = {
            use credence_service::accounts::{NewAccount, Password};
            let power = credence_service::Actor::from_operator(
                &credence_service::Operator::local_command_line(),
            )
            .operator()
            .unwrap();
            app.services
                .registry
                .with_operator(&power)
                .create_account_as_operator(
                    NewAccount {
                        email: "operator@example.org".into(),
                        display_name: "Operator".into(),
                        password: Password::new("operator password!".into()),
                    },
                    true,
                )
                .await
                .unwrap();
            app.sign_in("operator@example.org", "operator password!")
                .await
        };
        let auths = vec![
            (Anonymous, Auth::None),
            (Holder, holder),
            (OtherHolder, other),
            (AssessorA, assessor),
            (IssuerA, issuer_a),
            (AdminA, admin_a),
            (IssuerB, issuer_b),
            (Operator, operator),
        ];
        Self { app, auths }
    }

    pub fn auth(&self, who: Who) -> &Auth {
        &self
            .auths
            .iter()
            .find(|(w, _)| *w == who)
            .expect("every caller")
            .1
    }

    /// Runs one case against every caller and returns the mismatches.
    pub async fn check(
        &self,
        method: &str,
        path: &str,
        body: impl Fn(Who) -> Option<Value>,
        allowed: &[Who],
    ) -> Vec<String> {
        let mut wrong = Vec::new();
        for who in EVERYONE {
            let reply = self
                .app
                .call(method, path, body(*who), self.auth(*who))
                .await;
            let status = reply.status;
            let ok = if allowed.contains(who) {
                status.is_success()
            } else if *who == Anonymous {
                // 404 where the resource is public by address but hidden (a private
                // credential), 401 where signing in is needed.
                status == StatusCode::UNAUTHORIZED || status == StatusCode::NOT_FOUND
            } else {
                status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND
            };
            if !ok {
                let expected = if allowed.contains(who) {
                    "allow"
                } else {
                    "deny"
                };
                wrong.push(format!(
                    "{method} {path} as {who:?}: expected {expected}, got {status}: {}",
                    reply.body.chars().take(200).collect::<String>()
                ));
            }
        }
        wrong
    }
}

fn none(_: Who) -> Option<Value> {
    None
}

#[tokio::test]
async fn every_endpoint_against_every_caller() {
    let world = World::new().await;
    let mut wrong = Vec::new();
    let holders_and_members = &[
        Holder,
        OtherHolder,
        AssessorA,
        IssuerA,
        AdminA,
        IssuerB,
        Operator,
    ];

    // Accounts and sessions.
    wrong.extend(
        world
            .check("GET", "/api/v1/me", none, holders_and_members)
            .await,
    );

    // Organisations: public reads, operator-only creation.
    wrong.extend(world.check("GET", "/api/v1/orgs", none, EVERYONE).await);
    wrong.extend(
        world
            .check("GET", "/api/v1/orgs/org-a", none, EVERYONE)
            .await,
    );
    wrong.extend(
        world
            .check("GET", "/orgs/org-a/did.json", none, EVERYONE)
            .await,
    );
    wrong.extend(world.check("GET", "/orgs/org-a", none, EVERYONE).await);
    wrong.extend(
        world
            .check(
                "POST",
                "/api/v1/orgs",
                |who| Some(json!({"slug": format!("new-{}", format!("{who:?}").to_lowercase()), "name": "New", "kind": "employer", "did_method": "web"})),
                &[Operator],
            )
            .await,
    );

    // Administration of organisation A: its admin and the operator only.
    let admins = &[AdminA, Operator];
    wrong.extend(
        world
            .check("GET", "/api/v1/orgs/org-a/members", none, admins)
            .await,
    );
    wrong.extend(
        world
            .check("GET", "/api/v1/orgs/org-a/tokens", none, admins)
            .await,
    );
    wrong.extend(
        world
            .check("GET", "/api/v1/orgs/org-a/keys", none, admins)
            .await,
    );
    wrong.extend(
        world
            .check("GET", "/api/v1/orgs/org-a/audit", none, admins)
            .await,
    );
    wrong.extend(
        world
            .check(
                "POST",
                "/api/v1/orgs/org-a/tokens",
                |_| Some(json!({"role": "issuer", "label": "matrix"})),
                admins,
            )
            .await,
    );
    wrong.extend(
        world
            .check("POST", "/api/v1/orgs/org-a/keys/rotate", none, admins)
            .await,
    );
    wrong.extend(
        world
            .check(
                "PUT",
                "/api/v1/orgs/org-a/cryptosuite",
                |_| Some(json!({"cryptosuite": "eddsa-jcs-2022"})),
                admins,
            )
            .await,
    );
    wrong.extend(
        world
            .check(
                "POST",
                "/api/v1/orgs/org-a/members",
                |who| Some(json!({"email": "other@example.org", "role": if who == AdminA { "assessor" } else { "issuer" }})),
                admins,
            )
            .await,
    );
    wrong.extend(
        world
            .check(
                "PUT",
                "/api/v1/trusted-bodies/body",
                |_| Some(json!({"trusted": true})),
                &[Operator],
            )
            .await,
    );

    // The frameworks as CASE 1.1: public reads; the import of a package is the operator's
    // (the bundled framework's own package: importing it again changes nothing).
    let slug = credence_domain::FrameworkSlug::new("nhs-ai-confidence-2022").unwrap();
    let document = credence_domain::case::document_id(&slug, "1.1.0");
    let package_path = format!("/ims/case/v1p1/CFPackages/{document}");
    let package = world
        .app
        .call("GET", &package_path, None, &Auth::None)
        .await
        .json();
    let item = package["CFItems"][0]["identifier"]
        .as_str()
        .unwrap()
        .to_owned();
    let association = package["CFAssociations"][0]["identifier"]
        .as_str()
        .unwrap()
        .to_owned();
    for path in [
        "/ims/case/v1p1/CFDocuments".to_owned(),
        format!("/ims/case/v1p1/CFDocuments/{document}"),
        package_path.clone(),
        format!("/ims/case/v1p1/CFItems/{item}"),
        format!("/ims/case/v1p1/CFItemAssociations/{item}"),
        format!(
            "/ims/case/v1p1/CFItemTypes/{}",
            package["CFItems"][0]["CFItemTypeURI"]["identifier"]
                .as_str()
                .unwrap()
        ),
        format!("/ims/case/v1p1/CFAssociations/{association}"),
    ] {
        wrong.extend(world.check("GET", &path, none, EVERYONE).await);
    }
    wrong.extend(
        world
            .check(
                "POST",
                "/api/v1/frameworks/case",
                |_| Some(package.clone()),
                &[Operator],
            )
            .await,
    );

    assert!(
        wrong.is_empty(),
        "{} mismatches:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

fn evidence_body(statement: &str) -> Value {
    json!({
        "kind": "course-completion",
        "narrative": "Completed the module.",
        "date": "2026-01-15",
        "framework": "nhs-ai-confidence-2022",
        "statement": statement,
        "level": "awareness",
    })
}

/// The first item's field in a list answer (`{items: [...]}` or a bare array).
fn first(list: &Value, field: &str) -> String {
    list["items"][0][field]
        .as_str()
        .or_else(|| list[0][field].as_str())
        .unwrap_or_else(|| panic!("no {field} in {list}"))
        .to_owned()
}

#[tokio::test]
async fn evidence_awards_vc_api_and_accreditation_against_every_caller() {
    let world = World::new().await;
    let app = &world.app;
    let mut wrong = Vec::new();
    let accounts = &[
        Holder,
        OtherHolder,
        AssessorA,
        IssuerA,
        AdminA,
        IssuerB,
        Operator,
    ];

    // The holder's evidence, submitted to organisation A.
    let created = app
        .call(
            "POST",
            "/api/v1/evidence",
            Some(evidence_body("T1-01")),
            world.auth(Holder),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let evidence = created.json()["id"].as_str().unwrap().to_owned();
    let submitted = app
        .call(
            "POST",
            &format!("/api/v1/evidence/{evidence}/submit"),
            Some(json!({"org": "org-a"})),
            world.auth(Holder),
        )
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);

    // Evidence: every account is a holder of its own; only the owner sees one; only the
    // assessor of the organisation it was submitted to decides.
    wrong.extend(
        world
            .check(
                "POST",
                "/api/v1/evidence",
                |_| Some(evidence_body("T1-02")),
                accounts,
            )
            .await,
    );
    wrong.extend(world.check("GET", "/api/v1/evidence", none, accounts).await);
    wrong.extend(
        world
            .check(
                "GET",
                &format!("/api/v1/evidence/{evidence}"),
                none,
                &[Holder],
            )
            .await,
    );
    wrong.extend(
        world
            .check("GET", "/api/v1/orgs/org-a/queue", none, &[AssessorA])
            .await,
    );
    wrong.extend(
        world
            .check(
                "POST",
                &format!("/api/v1/evidence/{evidence}/decision"),
                |_| Some(json!({"decision": "attest", "level": "awareness", "comment": "Seen the certificate."})),
                &[AssessorA],
            )
            .await,
    );
    wrong.extend(
        world
            .check(
                "GET",
                "/api/v1/progress/nhs-ai-confidence-2022/foundational",
                none,
                accounts,
            )
            .await,
    );

    // Achievements and awards: issuers of organisation A.
    wrong.extend(
        world
            .check("GET", "/api/v1/orgs/org-a/achievements", none, EVERYONE)
            .await,
    );
    wrong.extend(
        world
            .check(
                "POST",
                "/api/v1/orgs/org-a/achievements",
                // Suspendable: the matrix suspends one of its awards below.
                |_| Some(json!({"pathway": "foundational", "suspendable": true})),
                &[IssuerA],
            )
            .await,
    );
    let achievement = first(
        &app.call("GET", "/api/v1/orgs/org-a/achievements", None, &Auth::None)
            .await
            .json(),
        "uuid",
    );
    let justification = "Completed the programme before its evidence was recorded here.";
    wrong.extend(
        world
            .check(
                "POST",
                "/api/v1/orgs/org-a/awards",
                |_| Some(json!({"achievement": achievement, "email": "holder@example.org", "override_justification": justification, "key": "matrix-1"})),
                &[IssuerA],
            )
            .await,
    );
    wrong.extend(
        world
            .check("GET", "/api/v1/orgs/org-a/awards", none, &[IssuerA])
            .await,
    );
    wrong.extend(world.check("GET", "/api/v1/awards", none, accounts).await);
    let award = first(
        &app.call("GET", "/api/v1/awards", None, world.auth(Holder))
            .await
            .json(),
        "id",
    );
    // A private award's credential: its holder and its issuer only.
    wrong.extend(
        world
            .check(
                "GET",
                &format!("/credentials/{award}"),
                none,
                &[Holder, IssuerA],
            )
            .await,
    );
    let credential: Value = app
        .call(
            "GET",
            &format!("/credentials/{award}"),
            None,
            world.auth(Holder),
        )
        .await
        .json();
    wrong.extend(wallet(&world, &award).await);
    wrong.extend(
        world
            .check(
                "PATCH",
                &format!("/api/v1/awards/{award}/visibility"),
                |_| Some(json!({"public": true})),
                &[Holder],
            )
            .await,
    );
    wrong.extend(
        world
            .check("GET", &format!("/credentials/{award}"), none, EVERYONE)
            .await,
    );
    // Verification is public.
    wrong.extend(
        world
            .check(
                "POST",
                "/api/v1/verify",
                |_| Some(credential.clone()),
                EVERYONE,
            )
            .await,
    );
    wrong.extend(
        world
            .check(
                "POST",
                "/credentials/verify",
                |_| Some(json!({"verifiableCredential": credential})),
                EVERYONE,
            )
            .await,
    );
    wrong.extend(
        world
            .check(
                "POST",
                &format!("/api/v1/awards/{award}/status"),
                |_| Some(json!({"action": "suspend", "reason": "Under review."})),
                &[IssuerA],
            )
            .await,
    );

    // The VC-API: issuers of the organisation the credential names.
    let did = app
        .services
        .registry
        .public()
        .org(&credence_domain::OrgSlug::new("org-a").expect("a slug"))
        .await
        .unwrap()
        .did;
    let unsigned = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": did,
        "credentialSubject": {"id": "did:example:subject"}
    });
    wrong.extend(
        world
            .check(
                "POST",
                "/credentials/issue",
                |_| Some(json!({"credential": unsigned, "options": {"credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": ["revocation", "suspension"]}}})),
                &[IssuerA],
            )
            .await,
    );
    let issued = app
        .call(
            "POST",
            "/credentials/issue",
            Some(json!({"credential": unsigned, "options": {"credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": ["revocation", "suspension"]}}})),
            world.auth(IssuerA),
        )
        .await
        .json();
    let issued_id = issued["id"].as_str().unwrap().to_owned();
    wrong.extend(
        world
            .check(
                "POST",
                "/credentials/status",
                |_| Some(json!({"credentialId": issued_id, "credentialStatus": [{"status": "suspended"}]})),
                &[IssuerA],
            )
            .await,
    );

    // Accreditation: reads are public; only an accrediting body's issuers accredit, and
    // none of these callers is one.
    wrong.extend(
        world
            .check("GET", "/api/v1/orgs/org-a/accreditations", none, EVERYONE)
            .await,
    );
    wrong.extend(
        world
            .check(
                "POST",
                "/api/v1/orgs/body/accreditations",
                |_| Some(json!({"provider": "org-a", "pathways": ["foundational"]})),
                &[],
            )
            .await,
    );
    wrong.extend(
        products(
            &world,
            &[
                Holder,
                OtherHolder,
                AssessorA,
                IssuerA,
                AdminA,
                IssuerB,
                Operator,
            ],
        )
        .await,
    );

    assert!(
        wrong.is_empty(),
        "{} mismatches:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// OpenID4VCI: only the holder offers their award to a wallet (the form on the
/// credential's page); the metadata and nonce are public; and the credential endpoint
/// takes only a wallet's access token, never a session or an API token (401 for all).
async fn wallet(world: &World, award: &str) -> Vec<String> {
    let mut wrong = Vec::new();
    for who in EVERYONE {
        let auth = world.auth(*who);
        let csrf = match auth {
            Auth::Session { csrf, .. } => csrf.as_str(),
            _ => "",
        };
        let reply = crate::pages::post_form(
            &world.app,
            &format!("/credentials/{award}/wallet-offer"),
            &[("csrf", csrf), ("tx_code", "yes")],
            auth,
        )
        .await;
        let ok = match who {
            Holder => reply.status == StatusCode::OK,
            // Sent to the sign-in page.
            Anonymous => reply.status == StatusCode::SEE_OTHER,
            _ => reply.status == StatusCode::NOT_FOUND,
        };
        if !ok {
            wrong.push(format!(
                "POST /credentials/{award}/wallet-offer as {who:?}: got {}",
                reply.status
            ));
        }
    }
    wrong.extend(
        world
            .check(
                "GET",
                "/.well-known/openid-credential-issuer",
                none,
                EVERYONE,
            )
            .await,
    );
    wrong.extend(
        world
            .check(
                "GET",
                "/.well-known/oauth-authorization-server",
                none,
                EVERYONE,
            )
            .await,
    );
    wrong.extend(world.check("POST", "/oid4vci/nonce", none, EVERYONE).await);
    for who in EVERYONE {
        let reply = world
            .app
            .call(
                "POST",
                "/oid4vci/credential",
                Some(json!({"credential_configuration_id": "OpenBadgeCredential_ldp_vc"})),
                world.auth(*who),
            )
            .await;
        if reply.status != StatusCode::UNAUTHORIZED {
            wrong.push(format!(
                "POST /oid4vci/credential as {who:?}: expected 401, got {}",
                reply.status
            ));
        }
    }
    wrong
}

#[tokio::test]
async fn an_api_token_acts_only_in_its_one_role() {
    let world = World::new().await;
    let app = &world.app;
    let issuer_token = app.token("org-a", "issuer").await;
    let admin_token = app.token("org-a", "admin").await;
    let cases = [
        (
            &issuer_token,
            "GET",
            "/api/v1/orgs/org-a/members",
            StatusCode::FORBIDDEN,
        ),
        (
            &admin_token,
            "GET",
            "/api/v1/orgs/org-a/members",
            StatusCode::OK,
        ),
        (
            &admin_token,
            "GET",
            "/api/v1/orgs/org-b/members",
            StatusCode::FORBIDDEN,
        ),
        // A token is not a person: it has no portfolio.
        (&admin_token, "GET", "/api/v1/me", StatusCode::FORBIDDEN),
    ];
    for (auth, method, path, expected) in cases {
        let reply = app.call(method, path, None, auth).await;
        assert_eq!(reply.status, expected, "{method} {path}: {}", reply.body);
    }
}

/// One case of the matrix: method, path, body, who may.
type Case<'a> = (&'a str, String, fn(Who) -> Option<Value>, &'a [Who]);

/// AI products (issue 19): org-a's admins register and edit; a private dossier is read by
/// the members of org-a and of its site org-b only; org-a (a buying site) answers through
/// its admins; any signed-in person reads their own refreshers.
async fn products(world: &World, holders_and_members: &[Who]) -> Vec<String> {
    let mut wrong = Vec::new();
    let admins = &[AdminA, Operator];
    let members = &[AssessorA, IssuerA, AdminA, IssuerB, Operator];
    let product_body = |name: String| {
        json!({"name": name, "manufacturer": "Maker", "intended_use": "Triage.", "public": false,
               "sites": [{"org": "org-a", "procures": true, "deploys": true}, {"org": "org-b"}]})
    };
    let made = world
        .app
        .call(
            "POST",
            "/api/v1/orgs/org-a/products",
            Some(product_body("Matrix product".into())),
            world.auth(AdminA),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let id = made.json()["id"].as_str().unwrap().to_owned();
    let version = world
        .app
        .call(
            "POST",
            &format!("/api/v1/orgs/org-a/products/{id}/versions"),
            Some(json!({"version": "1.0"})),
            world.auth(AdminA),
        )
        .await;
    assert_eq!(version.status, StatusCode::CREATED, "{}", version.body);
    let version = version.json()["versions"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let cases: Vec<Case> = vec![
        ("GET", "/api/v1/orgs/org-a/products".into(), none, EVERYONE),
        ("GET", format!("/api/v1/products/{id}"), none, members),
        ("GET", format!("/products/{id}"), none, members),
        (
            "GET",
            "/api/v1/me/refreshers".into(),
            none,
            holders_and_members,
        ),
        (
            "PUT",
            format!("/api/v1/orgs/org-a/products/{id}"),
            |_| {
                Some(
                    json!({"name": "Matrix product", "manufacturer": "Maker", "intended_use": "Triage.", "sites": [{"org": "org-a", "procures": true}, {"org": "org-b"}]}),
                )
            },
            admins,
        ),
        (
            "POST",
            format!("/api/v1/products/{id}/versions/{version}/answers"),
            |_| Some(json!({"org": "org-a", "question": "A3-01", "answer": "Checked."})),
            admins,
        ),
    ];
    for (method, path, body, allowed) in cases {
        wrong.extend(world.check(method, &path, body, allowed).await);
    }
    wrong.extend(
        world
            .check(
                "POST",
                "/api/v1/orgs/org-a/products",
                |who| Some(product_body(format!("Product of {who:?}"))),
                admins,
            )
            .await,
    );
    wrong.extend(
        world
            .check(
                "POST",
                &format!("/api/v1/orgs/org-a/products/{id}/versions"),
                |who| Some(json!({"version": format!("2.0-{who:?}")})),
                admins,
            )
            .await,
    );
    wrong
}

/// A team of organisation A with the holder as its member (accepted) and the other holder
/// invited (not accepted): only the member and A's administrators (and the operator) see
/// it; the workforce view is A's administrators' (and the operator's).
#[tokio::test]
async fn teams_and_the_workforce_against_every_caller() {
    let world = World::new().await;
    let registry = &world.app.services.registry;
    let org = registry
        .public()
        .org(&credence_domain::OrgSlug::new("org-a").unwrap())
        .await
        .unwrap();
    let power =
        credence_service::Actor::from_operator(&credence_service::Operator::local_command_line())
            .operator()
            .unwrap();
    let admin = registry.with_org_admin(&power.admin_of(&org));
    let team = admin
        .create_team(credence_service::teams::NewTeam {
            name: "Matrix MDT".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    for email in ["holder@example.org", "other@example.org"] {
        admin
            .invite_to_team(&team.id, email, &["user".to_owned()])
            .await
            .unwrap();
    }
    let me = world
        .app
        .call("GET", "/api/v1/me", None, world.auth(Holder))
        .await
        .json();
    let holder = credence_service::actor::Holder {
        account_id: me["id"].as_str().unwrap().parse().unwrap(),
        label: "holder".into(),
    };
    registry
        .with_holder(&holder)
        .answer_team(&team.id, credence_domain::registry::TeamMemberState::Member)
        .await
        .unwrap();
    let mut wrong = Vec::new();
    wrong.extend(
        world
            .check(
                "GET",
                &format!("/api/v1/orgs/org-a/teams/{}", team.id),
                none,
                &[Holder, AdminA, Operator],
            )
            .await,
    );
    wrong.extend(
        world
            .check(
                "GET",
                "/api/v1/orgs/org-a/workforce",
                none,
                &[AdminA, Operator],
            )
            .await,
    );
    assert!(
        wrong.is_empty(),
        "{} mismatches:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// Affiliations: org-a's administrators (and the operator) list them, propose one, accept
/// one proposed to org-a and end one; nobody else. Each caller meets a proposal of its own
/// (made afresh by the system `aff-sys`), so an allowed caller's success does not change
/// what the next one sees.
#[tokio::test]
async fn affiliations_against_every_caller() {
    let world = World::new().await;
    let app = &world.app;
    app.org("aff-sys", "healthcare-setting", "key").await;
    let registry = &app.services.registry;
    let public = registry.public();
    let power =
        credence_service::Actor::from_operator(&credence_service::Operator::local_command_line())
            .operator()
            .unwrap();
    let sys = public
        .org(&credence_domain::OrgSlug::new("aff-sys").unwrap())
        .await
        .unwrap();
    let org_a = credence_domain::OrgSlug::new("org-a").unwrap();
    let system = registry.with_org_admin(&power.admin_of(&sys));
    let admins = [AdminA, Operator];
    let mut wrong = Vec::new();
    wrong.extend(
        world
            .check("GET", "/api/v1/orgs/org-a/affiliations", none, &admins)
            .await,
    );
    wrong.extend(
        world
            .check(
                "GET",
                "/api/v1/orgs/org-a/workforce?scope=system",
                none,
                &admins,
            )
            .await,
    );
    for who in EVERYONE {
        let tag = format!("{who:?}").to_lowercase();
        app.org(&format!("aff-{tag}"), "healthcare-setting", "key")
            .await;
        let cases = [
            (
                "POST",
                "/api/v1/orgs/org-a/affiliations".to_owned(),
                Some(json!({"org": format!("aff-{tag}")})),
            ),
            (
                "POST",
                "/api/v1/orgs/org-a/affiliations/aff-sys/accept".to_owned(),
                None,
            ),
            (
                "DELETE",
                "/api/v1/orgs/org-a/affiliations/aff-sys".to_owned(),
                None,
            ),
        ];
        for (method, path, body) in cases {
            // A fresh proposal from aff-sys to org-a before each case.
            let _ = system.end_affiliation(&org_a).await;
            system.propose_affiliation(&org_a).await.unwrap();
            let status = app.call(method, &path, body, world.auth(*who)).await.status;
            let ok = if admins.contains(who) {
                status.is_success()
            } else if *who == Anonymous {
                status == StatusCode::UNAUTHORIZED
            } else {
                status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND
            };
            if !ok {
                wrong.push(format!("{method} {path} as {who:?}: got {status}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} mismatches:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// The Open Badges 3.0 API opens only to an OAuth 2.0 access token a holder granted
/// (`tests/obapi.rs` checks those, their scopes and their holder): no session and no
/// organisation API token reads or changes a holder's credentials or profile (401, as
/// `Imsx_StatusInfo`), while discovery and client registration are open to everyone.
#[tokio::test]
async fn the_ob_api_against_every_caller() {
    let world = World::new().await;
    let org_token = world.app.token("org-a", "issuer").await;
    let mut wrong = Vec::new();
    let cases: [(&str, &str, Option<Value>); 4] = [
        ("GET", "/ims/ob/v3p0/credentials", None),
        (
            "POST",
            "/ims/ob/v3p0/credentials",
            Some(json!({"id": "urn:x"})),
        ),
        ("GET", "/ims/ob/v3p0/profile", None),
        (
            "PUT",
            "/ims/ob/v3p0/profile",
            Some(json!({"name": "Mallory"})),
        ),
    ];
    for (method, path, body) in cases {
        for auth in EVERYONE.iter().map(|w| world.auth(*w)).chain([&org_token]) {
            let reply = world.app.call(method, path, body.clone(), auth).await;
            if reply.status != StatusCode::UNAUTHORIZED
                || reply.json()["imsx_codeMajor"] != "failure"
            {
                wrong.push(format!(
                    "{method} {path} as {auth:?}: {} {}",
                    reply.status, reply.body
                ));
            }
        }
    }
    for who in EVERYONE {
        let auth = world.auth(*who);
        let discovery = world
            .app
            .call("GET", "/ims/ob/v3p0/discovery", None, auth)
            .await;
        let registered = world
            .app
            .call(
                "POST",
                "/oauth/register",
                Some(json!({"client_name": format!("{who:?}'s app"), "redirect_uris": ["https://app.example/cb"]})),
                auth,
            )
            .await;
        if discovery.status != StatusCode::OK || registered.status != StatusCode::CREATED {
            wrong.push(format!(
                "{who:?}: discovery {}, registration {}",
                discovery.status, registered.status
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} mismatches:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
