//! The workforce view: people by archetype, completion and the factor-by-level cells,
//! targets and the month's attestations against hand-computed counts; small-number
//! suppression, including that no small count can be worked out by subtracting one
//! published count from another (a cell from its population, the archetypes from
//! everyone); the CSV export; who may see it; and the page with the team page in Chromium.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::browser::{chromium, screenshot_path};
use crate::forms::post_form;
use crate::registry_awards::account_id;
use crate::support::{Auth, TestApp};
use crate::teams::{attest, invite, make_team, people, ORG};

const WF: &str = "wf-ics";

/// Every foundational statement with its required level, in the framework's order.
pub(crate) fn foundational() -> Vec<(String, String)> {
    let f = credence_domain::Framework::from_json(
        credence_domain::bundled::NHS_AI_CONFIDENCE_2022.as_bytes(),
    )
    .unwrap();
    f.pathway_statements(&"foundational".parse().unwrap())
        .filter_map(|s| Some((s.code.to_string(), s.level.clone()?.to_string())))
        .collect()
}

/// `n` people of `WF` following `archetype`, each with the first `statements` foundational
/// statements attested by `WF`.
async fn staff(app: &TestApp, tag: &str, n: usize, archetype: &str, statements: usize) {
    let all = foundational();
    let items: Vec<(&str, &str)> = all
        .iter()
        .take(statements)
        .map(|(s, l)| (s.as_str(), l.as_str()))
        .collect();
    for i in 0..n {
        let who = app
            .holder(&format!("{tag}{i}@wf.test"), &format!("{tag} {i}"))
            .await;
        let id = account_id(app, &who).await;
        set_archetype(app, &id, archetype).await;
        attest(app, &id, Some(WF), &items).await;
    }
}

pub(crate) async fn set_archetype(app: &TestApp, id: &str, archetype: &str) {
    let holder = credence_service::actor::Holder {
        account_id: id.parse().unwrap(),
        label: format!("account:{id}"),
    };
    app.services
        .registry
        .with_holder(&holder)
        .set_archetypes(&[archetype.to_owned()])
        .await
        .expect("archetypes");
}

/// The organisation of the tests: 15 people. Users: 7 through the whole foundational
/// pathway and 2 through its first 10 statements; Embedders: 5 through it all; one Driver
/// through 5 statements.
async fn world(app: &TestApp) -> Auth {
    app.org(WF, "healthcare-setting", "key").await;
    let admin = app.holder("admin@wf.test", "Wanda Admin").await;
    app.grant(WF, "admin@wf.test", "admin").await;
    let all = foundational().len();
    staff(app, "user", 7, "user", all).await;
    staff(app, "learner", 2, "user", 10).await;
    staff(app, "embedder", 5, "embedder", all).await;
    staff(app, "driver", 1, "driver", 5).await;
    admin
}

pub(crate) fn exact(n: u64) -> Value {
    json!({"shown": "exact", "value": n})
}

pub(crate) fn fewer() -> Value {
    json!({"shown": "fewer-than", "value": 5})
}

pub(crate) fn withheld() -> Value {
    json!({"shown": "withheld"})
}

pub(crate) fn archetype<'a>(w: &'a Value, code: &str) -> &'a Value {
    w["archetypes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["archetype"] == code)
        .unwrap()
}

/// Every exact count anywhere in `value`.
pub(crate) fn exact_counts(value: &Value, out: &mut Vec<u64>) {
    match value {
        Value::Object(map) => {
            if map.get("shown") == Some(&json!("exact")) {
                out.push(map["value"].as_u64().unwrap());
            }
            map.values().for_each(|v| exact_counts(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| exact_counts(v, out)),
        _ => {}
    }
}

/// What a reader can work out from the published view: every exact count is at least 5,
/// and no exact count subtracted from the exact population it is part of (or the people
/// of an archetype from everyone) leaves 1 to 4.
pub(crate) fn nothing_small_can_be_derived(w: &Value) {
    let mut all = Vec::new();
    exact_counts(w, &mut all);
    assert!(all.iter().all(|n| *n >= 5), "{all:?}");
    let small = |whole: &Value, part: &Value| {
        if let (Some(a), Some(b)) = (whole["value"].as_u64(), part["value"].as_u64()) {
            if whole["shown"] == "exact" && part["shown"] == "exact" {
                let d = a - b;
                assert!(d == 0 || d >= 5, "{whole} - {part} = {d}");
            }
        }
    };
    for a in w["archetypes"].as_array().unwrap() {
        small(&w["people"], &a["people"]);
    }
    // The archetypes are disjoint here: everyone less every published archetype.
    let published: u64 = w["archetypes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["people"]["shown"] == "exact")
        .map(|a| a["people"]["value"].as_u64().unwrap())
        .sum();
    let rest = w["people"]["value"].as_u64().unwrap() - published;
    assert!(
        rest == 0 || rest >= 5,
        "everyone less the archetypes: {rest}"
    );
    for m in w["heatmaps"].as_array().unwrap() {
        small(&m["people"], &m["complete"]);
        for r in m["rows"].as_array().unwrap() {
            for c in r["cells"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|c| !c.is_null())
            {
                small(&m["people"], &c["people"]);
            }
        }
    }
    for t in w["targets"].as_array().unwrap() {
        small(&t["people"], &t["complete"]);
    }
}

#[tokio::test]
async fn the_workforce_view_counts_by_archetype_and_level_and_suppresses_small_numbers() {
    let app = TestApp::new().await;
    let admin = world(&app).await;
    let csrf = match &admin {
        Auth::Session { csrf, .. } => csrf.clone(),
        _ => unreachable!(),
    };
    let reply = post_form(
        &app,
        &format!("/console/{WF}/workforce/targets"),
        &[
            ("csrf", &csrf),
            ("archetype", "user"),
            ("pathway", "foundational"),
            ("percent", "80"),
            ("due", "2027-03"),
        ],
        &admin,
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let w = app
        .call("GET", &format!("/api/v1/orgs/{WF}/workforce"), None, &admin)
        .await;
    assert_eq!(w.status, StatusCode::OK, "{}", w.body);
    let w = w.json();
    // Hand-computed. 15 people; Users 9 (15 - 9 = 6: published).
    assert_eq!(w["people"], exact(15));
    assert_eq!(archetype(&w, "user")["people"], exact(9));
    assert_eq!(archetype(&w, "driver")["people"], fewer());
    assert_eq!(archetype(&w, "shaper")["people"], fewer());
    // Embedders are 5, but 15 - 9 - 5 = 1 would name the Driver: withheld.
    assert_eq!(archetype(&w, "embedder")["people"], withheld());
    // 12 complete the foundational pathway, but 15 - 12 = 3 would count those who have
    // not: withheld. Every foundational cell the 5-statement Driver and the 10-statement
    // Users miss is met by 12 or 14: withheld too; the first factor's (AI literacy at
    // Awareness), met by all 15, is published.
    let everyone = &w["heatmaps"][0];
    assert_eq!(everyone["population"], "everyone");
    assert_eq!(everyone["people"], exact(15));
    assert_eq!(everyone["complete"], withheld());
    assert_eq!(everyone["rows"][0]["factor"], "AI literacy");
    assert_eq!(everyone["rows"][0]["cells"][0]["people"], exact(15));
    assert_eq!(everyone["rows"][0]["cells"][0]["percent"], 100);
    // The target: 80% of 9 Users is 8; 7 have completed, 9 - 7 = 2: withheld, and so
    // what is still needed.
    let target = &w["targets"][0];
    assert_eq!(target["people"], exact(9));
    assert_eq!(target["complete"], withheld());
    assert_eq!(target["still_needed"], Value::Null);
    assert_eq!(
        (target["percent"].as_u64(), target["due"].as_str()),
        (Some(80), Some("2027-03"))
    );
    // This month: 7 x 30 + 2 x 10 + 5 x 30 + 5 = 385 attestations; no awards.
    let months = w["months"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    assert_eq!(months[11]["attestations"], exact(385));
    assert_eq!(months[11]["awards"], fewer());
    assert_eq!(w["expiring"], fewer());
    nothing_small_can_be_derived(&w);
    assert!(!w.to_string().contains("user 0"), "no names");
}

#[tokio::test]
async fn more_people_publish_more_and_still_nothing_small_can_be_derived() {
    let app = TestApp::new().await;
    let admin = world(&app).await;
    // Five more Drivers through it all: 20 people, 9 Users, 5 Embedders, 6 Drivers. The
    // archetypes now add up to everyone (20 - 9 - 5 - 6 = 0), so the Embedders are
    // published; 17 complete (20 - 17 = 3): still withheld.
    staff(&app, "more", 5, "driver", foundational().len()).await;
    let w = app
        .call("GET", &format!("/api/v1/orgs/{WF}/workforce"), None, &admin)
        .await
        .json();
    assert_eq!(w["people"], exact(20));
    assert_eq!(archetype(&w, "user")["people"], exact(9));
    assert_eq!(archetype(&w, "embedder")["people"], exact(5));
    assert_eq!(archetype(&w, "driver")["people"], exact(6));
    assert_eq!(w["heatmaps"][0]["complete"], withheld());
    nothing_small_can_be_derived(&w);
}

#[tokio::test]
async fn the_csv_has_a_header_row_and_only_what_the_page_publishes() {
    let app = TestApp::new().await;
    let admin = world(&app).await;
    let reply = app
        .request(
            axum::http::Request::get(format!("/console/{WF}/workforce.csv"))
                .header(
                    "cookie",
                    match &admin {
                        Auth::Session { cookie, .. } => format!("credence_session={cookie}"),
                        _ => String::new(),
                    },
                )
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.header("content-type").starts_with("text/csv"));
    let lines: Vec<&str> = reply.body.lines().collect();
    assert_eq!(lines[0], "section,population,row,column,value");
    assert!(lines.contains(&"people,Everyone,,,15"), "{}", reply.body);
    assert!(lines.contains(&"people,User,,,9"));
    assert!(lines.contains(&"people,Embedder,,,withheld"));
    assert!(lines.contains(&"people,Driver,,,fewer than 5"));
    for line in &lines[1..] {
        let value = line.rsplit(',').next().unwrap();
        if let Ok(n) = value.parse::<u64>() {
            assert!(n >= 5, "{line}");
        }
    }
    assert!(!reply.body.contains("@wf.test") && !reply.body.contains("user 0"));
}

#[tokio::test]
async fn only_administrators_see_the_workforce_and_bad_targets_are_refused() {
    let app = TestApp::new().await;
    let admin = world(&app).await;
    let member = app.holder("ivy@wf.test", "Ivy Issuer").await;
    app.grant(WF, "ivy@wf.test", "issuer").await;
    let outsider = app.holder("oli@wf.test", "Oli").await;
    let path = format!("/api/v1/orgs/{WF}/workforce");
    for (who, status) in [
        (&admin, StatusCode::OK),
        (&member, StatusCode::FORBIDDEN),
        (&outsider, StatusCode::FORBIDDEN),
        (&Auth::None, StatusCode::UNAUTHORIZED),
    ] {
        assert_eq!(
            app.call("GET", &path, None, who).await.status,
            status,
            "{who:?}"
        );
    }
    let issuer_token = app.token(WF, "issuer").await;
    assert_eq!(
        app.call("GET", &path, None, &issuer_token).await.status,
        StatusCode::FORBIDDEN
    );
    let csrf = match &admin {
        Auth::Session { csrf, .. } => csrf.clone(),
        _ => unreachable!(),
    };
    for (fields, expected) in [
        (
            vec![
                ("percent", "120"),
                ("pathway", "foundational"),
                ("due", "2027-03"),
            ],
            "percent-error",
        ),
        (
            vec![
                ("percent", "80"),
                ("pathway", "product-specific"),
                ("due", "2027-03"),
            ],
            "pathway-error",
        ),
        (
            vec![
                ("percent", "80"),
                ("pathway", "foundational"),
                ("due", "March"),
            ],
            "due-error",
        ),
        (
            vec![
                ("percent", "80"),
                ("pathway", "foundational"),
                ("due", "2027-03"),
                ("archetype", "wizard"),
            ],
            "archetype-error",
        ),
    ] {
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend(fields);
        let reply = post_form(
            &app,
            &format!("/console/{WF}/workforce/targets"),
            &all,
            &admin,
            None,
        )
        .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{expected}");
        assert!(reply.body.contains(expected), "{expected}");
    }
    let w = app.call("GET", &path, None, &admin).await.json();
    assert_eq!(w["targets"], json!([]), "nothing was written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_team_page_and_the_workforce_view_in_chromium() {
    let app = TestApp::new().await;
    let base = app.serve().await;
    let admin = world(&app).await;
    drop(admin);
    // A practice of 6 affiliated to WF: the system's view counts 21.
    app.org("wf-gp", "healthcare-setting", "key").await;
    let all = foundational();
    let items: Vec<(&str, &str)> = all.iter().map(|(s, l)| (s.as_str(), l.as_str())).collect();
    for i in 0..6 {
        let who = app
            .holder(&format!("gp{i}@wf.test"), &format!("gp {i}"))
            .await;
        let id = account_id(&app, &who).await;
        set_archetype(&app, &id, "user").await;
        attest(&app, &id, Some("wf-gp"), &items).await;
    }
    let power =
        credence_service::Actor::from_operator(&credence_service::Operator::local_command_line())
            .operator()
            .unwrap();
    let public = app.services.registry.public();
    let ours = public.org(&WF.parse().unwrap()).await.unwrap();
    let theirs = public.org(&"wf-gp".parse().unwrap()).await.unwrap();
    (app.services.registry.with_org_admin(&power.admin_of(&ours)))
        .propose_affiliation(&"wf-gp".parse().unwrap())
        .await
        .unwrap();
    (app.services
        .registry
        .with_org_admin(&power.admin_of(&theirs)))
    .accept_affiliation(&WF.parse().unwrap())
    .await
    .unwrap();
    let p = people(&app).await;
    let team = make_team(&app, &p.admin).await;
    invite(&app, &p.admin, &team, "ann@team.test", &["embedder"]).await;
    let password = "correct horse battery staple";
    let brief = json!({
        "base": base,
        "chromium": chromium(),
        "screenshots": screenshot_path("teams").parent().expect("a folder"),
        "member": {"email": "ann@team.test", "password": password},
        "admin": {"email": "admin@wf.test", "password": password},
        "team_admin": {"email": "admin@team.test", "password": password},
        "team": format!("/orgs/{ORG}/teams/{team}"),
        "workforce": format!("/console/{WF}/workforce"),
        "affiliations": format!("/console/{WF}/affiliations"),
        "system": true,
    });
    let report = tokio::task::spawn_blocking(move || {
        crate::support::js_harness().run_script("teams.mjs", &[], &brief)
    })
    .await
    .expect("the browser ran");
    assert_eq!(report["ok"], true, "{report:#}");
    assert_eq!(
        report["accepted"],
        "You are a member of the team: your attested evidence counts towards its coverage."
    );
    assert_eq!(report["teamHeading"], "Team ICS AI MDT for tri-X");
    assert!(report["gaps"].as_u64().unwrap() > 0, "{report:#}");
    assert_eq!(report["heatmapFirstCell"], "15 (100%)");
    assert!(report["suppressed"].as_u64().unwrap() > 0, "{report:#}");
    assert_eq!(report["affiliated"], 1, "{report:#}");
    assert_eq!(report["systemTab"], "Across the system (2 organisations)");
    assert_eq!(report["systemPeople"], "21");
    for page in ["team", "workforce", "affiliations", "system"] {
        assert_eq!(report["axe"][page], json!([]), "axe on {page}: {report:#}");
    }
    assert!(report["overflow"].is_null(), "{report:#}");
    assert_eq!(report["cspErrors"], json!([]), "{report:#}");
}
