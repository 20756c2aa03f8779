//! Teams: an administrator makes a team and invites people with the archetypes they play;
//! an invited person does not count until they accept (nor after declining or leaving);
//! the team's page and JSON show, per pathway, who covers each statement at which level
//! and the gaps, against hand-computed expectations, and the pathway that closes the most
//! gaps; names are shown only to the team's members and the organisation's administrators
//! (404 to everyone else); invitations are refused with the field named. Also the team
//! page in Chromium.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::forms::post_form;
use crate::registry_awards::account_id;
use crate::support::{Auth, TestApp};

pub(crate) const ORG: &str = "team-ics";

/// Attested evidence for `holder_id`: each (statement, level), straight into the store,
/// attested by `org` (or by no organisation).
pub(crate) async fn attest(
    app: &TestApp,
    holder_id: &str,
    org: Option<&str>,
    items: &[(&str, &str)],
) {
    crate::support::attest_evidence(app, holder_id, org, None, items).await;
}

fn csrf(auth: &Auth) -> String {
    match auth {
        Auth::Session { csrf, .. } => csrf.clone(),
        _ => String::new(),
    }
}

/// The people of the team tests: an administrator of `ORG`, Ann (an Embedder who holds
/// A5-02 at Understanding, T2-01 and T2-02), Bob (a User who holds A7-01 and T2-02) and
/// Oli, an outsider.
pub(crate) struct People {
    pub admin: Auth,
    pub ann: Auth,
    pub bob: Auth,
    pub oli: Auth,
}

pub(crate) async fn people(app: &TestApp) -> People {
    app.org(ORG, "healthcare-setting", "key").await;
    let admin = app.holder("admin@team.test", "Ada Admin").await;
    app.grant(ORG, "admin@team.test", "admin").await;
    let ann = app.holder("ann@team.test", "Ann Embedder").await;
    let bob = app.holder("bob@team.test", "Bob User").await;
    let oli = app.holder("oli@team.test", "Oli Outsider").await;
    let ann_id = account_id(app, &ann).await;
    let bob_id = account_id(app, &bob).await;
    attest(
        app,
        &ann_id,
        None,
        &[
            ("A5-02", "understanding"),
            ("T2-01", "familiarity"),
            ("T2-02", "familiarity"),
        ],
    )
    .await;
    attest(
        app,
        &bob_id,
        None,
        &[("A7-01", "familiarity"), ("T2-02", "understanding")],
    )
    .await;
    People {
        admin,
        ann,
        bob,
        oli,
    }
}

/// Makes the team through the console's form; returns its id.
pub(crate) async fn make_team(app: &TestApp, admin: &Auth) -> String {
    let reply = post_form(
        app,
        &format!("/console/{ORG}/teams"),
        &[
            ("csrf", &csrf(admin)),
            ("name", "Team ICS AI MDT for tri-X"),
            ("product_name", "tri-X"),
            ("product_pathway", "product-specific"),
        ],
        admin,
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let location = reply.header("location").to_owned();
    let id = location
        .strip_prefix(&format!("/orgs/{ORG}/teams/"))
        .and_then(|rest| rest.split('?').next())
        .expect("the team's page")
        .to_owned();
    id
}

pub(crate) async fn invite(
    app: &TestApp,
    admin: &Auth,
    team: &str,
    email: &str,
    archetypes: &[&str],
) -> crate::support::Reply {
    let csrf = csrf(admin);
    let mut fields = vec![("csrf", csrf.as_str()), ("email", email)];
    fields.extend(archetypes.iter().map(|a| ("archetype", *a)));
    post_form(
        app,
        &format!("/orgs/{ORG}/teams/{team}/invite"),
        &fields,
        admin,
        None,
    )
    .await
}

async fn answer(app: &TestApp, who: &Auth, team: &str, what: &str) -> StatusCode {
    let reply = post_form(
        app,
        &format!("/teams/{team}/{what}"),
        &[("csrf", &csrf(who))],
        who,
        None,
    )
    .await;
    reply.status
}

async fn coverage(app: &TestApp, team: &str, who: &Auth) -> (StatusCode, Value) {
    let reply = app
        .call(
            "GET",
            &format!("/api/v1/orgs/{ORG}/teams/{team}"),
            None,
            who,
        )
        .await;
    let body = if reply.status == StatusCode::OK {
        reply.json()
    } else {
        Value::Null
    };
    (reply.status, body)
}

fn pathway<'a>(t: &'a Value, code: &str) -> &'a Value {
    t["pathways"]
        .as_array()
        .expect("pathways")
        .iter()
        .find(|p| p["pathway"] == code)
        .unwrap_or_else(|| panic!("no pathway {code} in {t:#}"))
}

fn row<'a>(p: &'a Value, statement: &str) -> &'a Value {
    p["requirements"]
        .as_array()
        .expect("requirements")
        .iter()
        .find(|r| r["statement"] == statement)
        .unwrap_or_else(|| panic!("no statement {statement}"))
}

#[tokio::test]
async fn an_invited_person_counts_only_once_they_accept_and_not_after_leaving() {
    let app = TestApp::new().await;
    let p = people(&app).await;
    let team = make_team(&app, &p.admin).await;
    for (who, archetype) in [("ann@team.test", "embedder"), ("bob@team.test", "user")] {
        let reply = invite(&app, &p.admin, &team, who, &[archetype]).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    }
    // Invited, not yet accepted: nobody counts, so only the product pathway is covered, by
    // nobody; the invited cannot see the team yet.
    let (status, t) = coverage(&app, &team, &p.admin).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(t["members"], json!([]));
    assert_eq!(t["not_counted"].as_array().unwrap().len(), 2);
    assert_eq!(t["pathways"].as_array().unwrap().len(), 1);
    assert_eq!(pathway(&t, "product-specific")["covered"], 0);
    assert_eq!(t["gap_count"], 20);
    assert_eq!(coverage(&app, &team, &p.ann).await.0, StatusCode::NOT_FOUND);
    // Ann's invitation reached her list and her notifications.
    let mine = app.call("GET", "/teams", None, &p.ann).await.json();
    assert_eq!(mine["items"][0]["state"], "invited", "{mine:#}");
    let told = app.call("GET", "/notifications", None, &p.ann).await.json();
    assert!(
        told.to_string()
            .contains("invites you to join Team ICS AI MDT for tri-X"),
        "{told:#}"
    );

    assert_eq!(
        answer(&app, &p.ann, &team, "accept").await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        answer(&app, &p.bob, &team, "decline").await,
        StatusCode::SEE_OTHER
    );
    let (_, t) = coverage(&app, &team, &p.admin).await;
    assert_eq!(t["members"][0]["display_name"], "Ann Embedder");
    assert_eq!(t["members"].as_array().unwrap().len(), 1);
    assert_eq!(t["not_counted"][0]["state"], "declined");
    // Bob declined: T2-02 is Ann's alone, and there is no User pathway.
    assert_eq!(
        row(pathway(&t, "product-specific"), "T2-02")["covered_by"],
        json!([{"display_name": "Ann Embedder", "level": "Familiarity"}])
    );
    assert!(t["pathways"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["pathway"] != "advanced-user"));
    // Answering twice, or leaving a team one is not in, is refused (404).
    assert_eq!(
        answer(&app, &p.bob, &team, "accept").await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        answer(&app, &p.oli, &team, "leave").await,
        StatusCode::NOT_FOUND
    );

    // Invited again, Bob accepts; then Ann leaves and no longer counts, nor sees the team.
    let again = invite(&app, &p.admin, &team, "bob@team.test", &["user"]).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    assert_eq!(
        answer(&app, &p.bob, &team, "accept").await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        answer(&app, &p.ann, &team, "leave").await,
        StatusCode::SEE_OTHER
    );
    let (_, t) = coverage(&app, &team, &p.bob).await;
    let names: Vec<&str> = t["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["display_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Bob User"]);
    assert_eq!(coverage(&app, &team, &p.ann).await.0, StatusCode::NOT_FOUND);
    // A member invited again while a member is a conflict.
    let twice = invite(&app, &p.admin, &team, "bob@team.test", &["user"]).await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.body);
}

#[tokio::test]
async fn the_team_page_shows_who_covers_each_statement_the_gaps_and_the_best_pathway() {
    let app = TestApp::new().await;
    let p = people(&app).await;
    let team = make_team(&app, &p.admin).await;
    invite(&app, &p.admin, &team, "ann@team.test", &["embedder"]).await;
    invite(&app, &p.admin, &team, "bob@team.test", &["user"]).await;
    answer(&app, &p.ann, &team, "accept").await;
    answer(&app, &p.bob, &team, "accept").await;
    let (status, t) = coverage(&app, &team, &p.ann).await;
    assert_eq!(status, StatusCode::OK);
    // The archetypes played, in the framework's order, then the product pathway.
    let codes: Vec<&str> = t["pathways"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["pathway"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["advanced-embedder", "advanced-user", "product-specific"]
    );
    // Hand-computed: Embedders' 46 requirements, Ann covers A5-02 (at Understanding, above
    // the Familiarity required); Users' 26, Bob covers A7-01; the product's 20, T2-01 (Ann)
    // and T2-02 (both).
    let embedder = pathway(&t, "advanced-embedder");
    assert_eq!(
        (
            embedder["required"].as_u64(),
            embedder["covered"].as_u64(),
            embedder["gaps"].as_u64()
        ),
        (Some(46), Some(1), Some(45))
    );
    assert_eq!(
        row(embedder, "A5-02")["covered_by"],
        json!([{"display_name": "Ann Embedder", "level": "Understanding"}])
    );
    assert_eq!(row(embedder, "A5-03")["covered_by"], json!([]));
    let user = pathway(&t, "advanced-user");
    assert_eq!(
        (user["required"].as_u64(), user["covered"].as_u64()),
        (Some(26), Some(1))
    );
    assert_eq!(
        row(user, "A7-01")["covered_by"],
        json!([{"display_name": "Bob User", "level": "Familiarity"}])
    );
    let product = pathway(&t, "product-specific");
    assert_eq!(
        (product["required"].as_u64(), product["covered"].as_u64()),
        (Some(20), Some(2))
    );
    assert_eq!(
        row(product, "T2-02")["covered_by"],
        json!([{"display_name": "Ann Embedder", "level": "Familiarity"}, {"display_name": "Bob User", "level": "Understanding"}])
    );
    assert_eq!(t["gap_count"], 45 + 25 + 18);
    // Completing the Embedders' pathway would close its 45 gaps, more than any other.
    assert_eq!(t["best"]["pathway"], "advanced-embedder");
    assert!(
        t["best"]["closes"].as_u64().unwrap() >= 45,
        "{:#}",
        t["best"]
    );
    assert_eq!(t["quote_line"], 1650);
    assert_eq!(t["can_manage"], false);

    // The page: the quote, the names, the gaps, for a member.
    let page = app
        .get(&format!("/orgs/{ORG}/teams/{team}"), "text/html")
        .await;
    assert_eq!(
        page.status,
        StatusCode::SEE_OTHER,
        "signed out: to the sign-in page"
    );
    let reply = app
        .request(
            axum::http::Request::get(format!("/orgs/{ORG}/teams/{team}"))
                .header("accept", "text/html")
                .header(
                    "cookie",
                    match &p.bob {
                        Auth::Session { cookie, .. } => format!("credence_session={cookie}"),
                        _ => String::new(),
                    },
                )
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply
        .body
        .contains("The requirements are collective rather than individual."));
    assert!(reply.body.contains("Ann Embedder (Understanding)"));
    assert!(reply.body.contains("Gap: nobody"));
    assert!(
        !reply.body.contains("Invite a member"),
        "only administrators invite"
    );
}

#[tokio::test]
async fn names_are_shown_only_to_members_and_administrators() {
    let app = TestApp::new().await;
    let p = people(&app).await;
    let team = make_team(&app, &p.admin).await;
    invite(&app, &p.admin, &team, "ann@team.test", &["embedder"]).await;
    answer(&app, &p.ann, &team, "accept").await;
    // The matrix of who sees the team: member and administrator yes; an outsider, an
    // issuer token of the organisation and nobody at all: 404, as if there were no team.
    assert_eq!(coverage(&app, &team, &p.ann).await.0, StatusCode::OK);
    let (status, t) = coverage(&app, &team, &p.admin).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(t["can_manage"], true);
    for who in [p.oli.clone(), Auth::None, app.token(ORG, "issuer").await] {
        let reply = app
            .call(
                "GET",
                &format!("/api/v1/orgs/{ORG}/teams/{team}"),
                None,
                &who,
            )
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{who:?}");
        assert!(!reply.body.contains("Ann"), "{}", reply.body);
    }
    // Another organisation's path to the team is no path at all.
    app.org("other-ics", "healthcare-setting", "key").await;
    let reply = app
        .call(
            "GET",
            &format!("/api/v1/orgs/other-ics/teams/{team}"),
            None,
            &p.admin,
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    // Only an administrator invites.
    let refused = invite(&app, &p.ann, &team, "bob@team.test", &["user"]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn invitations_and_teams_are_refused_with_the_field_named() {
    let app = TestApp::new().await;
    let p = people(&app).await;
    let team = make_team(&app, &p.admin).await;
    let cases: [(&str, &[&str], &str); 3] = [
        ("ann@team.test", &[], "archetypes-error"),
        (
            "ann@team.test",
            &["wizard"],
            "Choose archetypes from the framework",
        ),
        (
            "nobody@team.test",
            &["user"],
            "No account has the e-mail address",
        ),
    ];
    for (email, archetypes, expected) in cases {
        let reply = invite(&app, &p.admin, &team, email, archetypes).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{email} {archetypes:?}"
        );
        assert!(reply.body.contains(expected), "{expected}: {}", reply.body);
    }
    let (_, t) = coverage(&app, &team, &p.admin).await;
    assert_eq!(t["not_counted"], json!([]), "nothing was written");
    for (name, pathway, expected) in [
        ("", "", "name-error"),
        ("X", "advanced-user", "product_pathway-error"),
    ] {
        let reply = post_form(
            &app,
            &format!("/console/{ORG}/teams"),
            &[
                ("csrf", &csrf(&p.admin)),
                ("name", name),
                ("product_pathway", pathway),
            ],
            &p.admin,
            None,
        )
        .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.body.contains(expected), "{expected}");
    }
}

/// The demo world's team and workforce: the Nymouth ICS AI MDT for tri-X counts its four
/// members who accepted (not Creator Persona 2, invited) and has gaps; Linchester ICS's
/// workforce view has its people, publishes its Users and suppresses its four Drivers;
/// seeding again changes neither.
#[tokio::test]
async fn the_demo_shows_the_mdt_with_a_gap_and_linchesters_workforce() {
    use credence_service::{Actor, Operator};
    let app = TestApp::new().await;
    let registry = &app.services.registry;
    let power = Actor::from_operator(&Operator::local_command_line())
        .operator()
        .unwrap();
    for _ in 0..2 {
        registry
            .with_operator(&power)
            .seed_demo(|_| {})
            .await
            .expect("the demo");
    }
    let nymouth = registry
        .public()
        .org(&"nymouth-ics".parse().unwrap())
        .await
        .unwrap();
    let admin = registry.with_org_admin(&power.admin_of(&nymouth));
    let teams = admin.teams().await.unwrap();
    assert_eq!(teams.len(), 1);
    assert_eq!(teams[0].name, "Nymouth ICS AI MDT for tri-X");
    let slug: credence_domain::OrgSlug = "nymouth-ics".parse().unwrap();
    let t = registry
        .caller(&Actor::from_operator(&Operator::local_command_line()))
        .team(&slug, &teams[0].id)
        .await
        .unwrap();
    let names: Vec<&str> = t.members.iter().map(|m| m.display_name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Embedder Persona 1",
            "Embedder Persona 2",
            "User Persona 1",
            "User Persona 2"
        ]
    );
    assert_eq!(t.not_counted[0].display_name, "Creator Persona 2");
    assert!(t.gap_count > 0);
    assert!(t.best.is_some());
    let linchester = registry
        .public()
        .org(&"linchester-ics".parse().unwrap())
        .await
        .unwrap();
    let w = registry
        .with_org_admin(&power.admin_of(&linchester))
        .workforce()
        .await
        .unwrap();
    let w = serde_json::to_value(&w).unwrap();
    assert_eq!(
        w["people"],
        json!({"shown": "exact", "value": 25}),
        "{:#}",
        w["archetypes"]
    );
    let by = |code: &str| {
        w["archetypes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["archetype"] == code)
            .unwrap()["people"]
            .clone()
    };
    assert_eq!(by("user"), json!({"shown": "exact", "value": 14}));
    assert_eq!(by("driver"), json!({"shown": "fewer-than", "value": 5}));
    assert_eq!(w["targets"][0]["due"], "2027-03");
    // Holpot Hill is affiliated to Linchester: the system's view adds its 7 staff and its
    // practice manager (User Persona 3, whose evidence it attested).
    assert_eq!(w["affiliates"], 1);
    let system = registry
        .with_org_admin(&power.admin_of(&linchester))
        .workforce_in(credence_service::workforce::Scope::System)
        .await
        .unwrap();
    let system = serde_json::to_value(&system).unwrap();
    assert_eq!(system["covers"][1]["slug"], "holpot-hill-gp");
    assert_eq!(
        system["people"],
        json!({"shown": "exact", "value": 33}),
        "{:#}",
        system["archetypes"]
    );
}
