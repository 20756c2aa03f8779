//! The frameworks as 1EdTech CASE 1.1: every document served validates against 1EdTech's
//! CASE 1.1 JSON Schemas (ajv); the NHS framework round-trips through a fresh registry
//! byte for byte; bad packages are refused naming the field, writing nothing; and an
//! award's achievement aligns each statement to its CASE item as well as to its page.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::registry_awards::{award, issuer_setup};
use crate::support::{js_harness, repo_root, Auth, TestApp};

const NHS: &str = "nhs-ai-confidence-2022";

/// The path of the NHS framework's package (its document's id is a UUID v5 of its slug
/// and version, the same in every registry).
fn nhs_package_path() -> String {
    let slug = credence_domain::FrameworkSlug::new(NHS).expect("slug");
    format!(
        "/ims/case/v1p1/CFPackages/{}",
        credence_domain::case::document_id(&slug, "1.1.0")
    )
}

async fn get_ok(app: &TestApp, path: &str) -> String {
    let reply = app.call("GET", path, None, &Auth::None).await;
    assert_eq!(reply.status, StatusCode::OK, "GET {path}: {}", reply.body);
    assert!(
        reply.header("content-type").starts_with("application/json"),
        "{path}"
    );
    reply.body
}

/// The operator of `app`, signed in.
async fn operator(app: &TestApp) -> Auth {
    use credence_service::accounts::{NewAccount, Password};
    let power =
        credence_service::Actor::from_operator(&credence_service::Operator::local_command_line())
            .operator()
            .expect("operator");
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
        .expect("an operator account");
    app.sign_in("operator@example.org", "operator password!")
        .await
}

/// Validates each (schema, document) with ajv; returns the failures.
fn schema_failures(checks: &[(&str, &Value)]) -> Vec<String> {
    let input = json!({
        "schemasDir": repo_root().join("schemas/case_v1p1"),
        "checks": checks.iter().map(|(s, d)| json!({"schema": s, "document": d})).collect::<Vec<_>>(),
    });
    let out = js_harness().run_script("case_schema.mjs", &[], &input);
    checks
        .iter()
        .zip(out.as_array().expect("one result per check"))
        .filter(|(_, r)| r["valid"] != true)
        .map(|((schema, _), r)| format!("{schema}: {}", r["errors"]))
        .collect()
}

#[tokio::test]
async fn every_case_document_served_validates_against_the_1edtech_schemas() {
    let app = TestApp::new().await;
    let documents: Value =
        serde_json::from_str(&get_ok(&app, "/ims/case/v1p1/CFDocuments").await).expect("json");
    let document_id = documents["CFDocuments"][0]["identifier"]
        .as_str()
        .expect("a document")
        .to_owned();
    assert_eq!(
        documents["CFDocuments"][0]["CFPackageURI"]["uri"],
        format!("{}{}", app.base_url, nhs_package_path())
    );
    let document: Value = serde_json::from_str(
        &get_ok(&app, &format!("/ims/case/v1p1/CFDocuments/{document_id}")).await,
    )
    .expect("json");
    let package: Value =
        serde_json::from_str(&get_ok(&app, &nhs_package_path()).await).expect("json");
    let items = package["CFItems"].as_array().expect("items");
    let statements = items
        .iter()
        .filter(|i| i["CFItemType"] == "Competency statement")
        .count();
    assert_eq!(statements, 242);
    // One item of each type and one association of each type, served on their own.
    let mut checks_owned: Vec<(&str, Value)> = vec![
        ("cfdocumentset", documents.clone()),
        ("cfdocument", document),
        ("cfpackage", package.clone()),
    ];
    let mut types = std::collections::BTreeSet::new();
    for item in items {
        if types.insert(item["CFItemType"].as_str().expect("a type").to_owned()) {
            let id = item["identifier"].as_str().expect("id");
            let served: Value =
                serde_json::from_str(&get_ok(&app, &format!("/ims/case/v1p1/CFItems/{id}")).await)
                    .expect("json");
            assert_eq!(served["CFDocumentURI"]["identifier"], document_id.as_str());
            // Its type, served too, first in its set.
            let type_path = served["CFItemTypeURI"]["uri"]
                .as_str()
                .expect("a type URI")
                .strip_prefix(app.base_url.as_str())
                .expect("served here")
                .to_owned();
            let set: Value = serde_json::from_str(&get_ok(&app, &type_path).await).expect("json");
            assert_eq!(set["CFItemTypes"][0]["title"], served["CFItemType"]);
            checks_owned.push(("cfitemtypeset", set));
            // And with its associations.
            let with: Value = serde_json::from_str(
                &get_ok(&app, &format!("/ims/case/v1p1/CFItemAssociations/{id}")).await,
            )
            .expect("json");
            assert!(!with["CFAssociations"]
                .as_array()
                .expect("associations")
                .is_empty());
            checks_owned.push(("cfassociationset", with));
            assert_eq!(
                served["uri"],
                format!("{}/ims/case/v1p1/CFItems/{id}", app.base_url)
            );
            checks_owned.push(("cfitem", served));
        }
    }
    assert_eq!(types.len(), 7, "{types:?}");
    let mut kinds = std::collections::BTreeSet::new();
    for association in package["CFAssociations"].as_array().expect("associations") {
        if kinds.insert(
            association["associationType"]
                .as_str()
                .expect("a type")
                .to_owned(),
        ) {
            let id = association["identifier"].as_str().expect("id");
            let served: Value = serde_json::from_str(
                &get_ok(&app, &format!("/ims/case/v1p1/CFAssociations/{id}")).await,
            )
            .expect("json");
            checks_owned.push(("cfassociation", served));
        }
    }
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["hasSkillLevel", "isChildOf", "isPartOf", "precedes"]
    );
    // The validator is not one that passes anything: a package without an item's
    // statement, and an item without its document, fail.
    let mut broken = package.clone();
    broken["CFItems"][0]
        .as_object_mut()
        .expect("an item")
        .remove("fullStatement");
    let mut orphan = checks_owned
        .iter()
        .find(|(s, _)| *s == "cfitem")
        .expect("an item")
        .1
        .clone();
    orphan
        .as_object_mut()
        .expect("an item")
        .remove("CFDocumentURI");
    let mut checks: Vec<(&str, &Value)> = checks_owned.iter().map(|(s, d)| (*s, d)).collect();
    checks.push(("cfpackage", &broken));
    checks.push(("cfitem", &orphan));
    let failures = schema_failures(&checks);
    assert_eq!(failures.len(), 2, "{failures:#?}");
    assert!(failures[0].contains("fullStatement"), "{failures:?}");
    assert!(failures[1].contains("CFDocumentURI"), "{failures:?}");

    // Unknown and malformed identifiers are 404 problems.
    for path in [
        "/ims/case/v1p1/CFItems/00000000-0000-4000-8000-000000000000",
        "/ims/case/v1p1/CFPackages/not-a-uuid",
        "/ims/case/v1p1/CFAssociations/00000000-0000-4000-8000-000000000000",
    ] {
        let reply = app.call("GET", path, None, &Auth::None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(reply.header("content-type"), "application/problem+json");
    }
    // The framework page links its package.
    let page = app.get(&format!("/frameworks/{NHS}"), "text/html").await;
    assert!(
        page.body
            .contains(&format!("href=\"{}\"", nhs_package_path())),
        "no CASE link on the framework page"
    );
}

#[tokio::test]
async fn the_nhs_framework_round_trips_through_a_fresh_registry_byte_for_byte() {
    let address = "https://registry.example";
    let first = TestApp::at(address, true).await;
    let exported = get_ok(&first, &nhs_package_path()).await;

    let fresh = TestApp::at(address, false).await;
    for path in [nhs_package_path(), "/ims/case/v1p1/CFDocuments".to_owned()] {
        let none = fresh.call("GET", &path, None, &Auth::None).await;
        assert_eq!(none.status, StatusCode::NOT_FOUND, "{path}");
    }
    let operator_auth = operator(&fresh).await;
    let package: Value = serde_json::from_str(&exported).expect("json");
    let imported = fresh
        .call(
            "POST",
            "/api/v1/frameworks/case",
            Some(package.clone()),
            &operator_auth,
        )
        .await;
    assert_eq!(imported.status, StatusCode::CREATED, "{}", imported.body);
    assert_eq!(imported.json()["slug"], NHS);
    assert_eq!(imported.json()["statements"], 242);
    let again = get_ok(&fresh, &nhs_package_path()).await;
    assert!(
        again == exported,
        "the second export differs from the first"
    );
    // The framework document itself is the bundled one, to the byte of its digest.
    assert_eq!(digest(&fresh).await, digest(&first).await);
    // Importing it again changes nothing.
    let twice = fresh
        .call(
            "POST",
            "/api/v1/frameworks/case",
            Some(package),
            &operator_auth,
        )
        .await;
    assert_eq!(twice.status, StatusCode::OK, "{}", twice.body);
    assert_eq!(twice.json()["created"], false);

    // A registry at another address serves the same package under its own address.
    let elsewhere = TestApp::at("https://elsewhere.example", false).await;
    let operator_auth = operator(&elsewhere).await;
    let moved: Value = serde_json::from_str(&exported).expect("json");
    let reply = elsewhere
        .call(
            "POST",
            "/api/v1/frameworks/case",
            Some(moved),
            &operator_auth,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(
        get_ok(&elsewhere, &nhs_package_path()).await,
        exported.replace(address, "https://elsewhere.example")
    );
}

/// The digest of the first framework version `app` lists.
async fn digest(app: &TestApp) -> Value {
    let list = app
        .call("GET", "/frameworks", None, &Auth::None)
        .await
        .json();
    list["frameworks"][0]["sha256"].clone()
}

/// Imports `body` as the operator and expects `status`; returns the problem document.
async fn refused(app: &TestApp, auth: &Auth, body: Value, status: StatusCode) -> Value {
    let reply = app
        .call("POST", "/api/v1/frameworks/case", Some(body), auth)
        .await;
    assert_eq!(reply.status, status, "{}", reply.body);
    assert_eq!(reply.header("content-type"), "application/problem+json");
    reply.json()
}

#[tokio::test]
async fn bad_packages_are_refused_naming_the_field_and_nothing_is_written() {
    let app = TestApp::at("https://registry.example", false).await;
    let source = TestApp::at("https://registry.example", true).await;
    let package: Value =
        serde_json::from_str(&get_ok(&source, &nhs_package_path()).await).expect("json");
    let auth = operator(&app).await;

    let mut missing = package.clone();
    missing["CFItems"][5]
        .as_object_mut()
        .expect("an item")
        .remove("fullStatement");
    let problem = refused(&app, &auth, missing, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        problem["errors"][0]["pointer"], "/CFItems/5/fullStatement",
        "{problem}"
    );

    let mut bad_level = package.clone();
    let level = bad_level["CFItems"]
        .as_array()
        .expect("items")
        .iter()
        .position(|i| i["CFItemType"] == "Level")
        .expect("a level");
    bad_level["CFItems"][level]["listEnumeration"] = json!("first");
    let problem = refused(&app, &auth, bad_level, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        problem["errors"][0]["pointer"],
        format!("/CFItems/{level}/listEnumeration"),
        "{problem}"
    );

    let mut unknown_type = package.clone();
    unknown_type["CFItems"][0]["CFItemType"] = json!("Gadget");
    let problem = refused(&app, &auth, unknown_type, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        problem["errors"][0]["pointer"], "/CFItems/0/CFItemType",
        "{problem}"
    );

    let problem = refused(&app, &auth, json!([1, 2]), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        problem["detail"],
        "(document): a CASE package is a JSON object with a CFDocument, CFItems and CFAssociations"
    );

    // Nothing was written by any of them.
    let list = app
        .call("GET", "/frameworks", None, &Auth::None)
        .await
        .json();
    assert_eq!(list["frameworks"], json!([]), "{list}");

    // A changed package under a stored version is a conflict, as a changed document is.
    let mut changed = package.clone();
    let statement = changed["CFItems"]
        .as_array()
        .expect("items")
        .iter()
        .position(|i| i["CFItemType"] == "Competency statement")
        .expect("a statement");
    changed["CFItems"][statement]["fullStatement"] = json!("Something else entirely");
    let source_auth = operator(&source).await;
    refused(&source, &source_auth, changed, StatusCode::CONFLICT).await;

    // Only the operator imports.
    source.holder("someone@example.org", "Someone").await;
    let someone = source
        .sign_in("someone@example.org", "correct horse battery staple")
        .await;
    refused(&source, &someone, package.clone(), StatusCode::FORBIDDEN).await;
    refused(&source, &Auth::None, package, StatusCode::UNAUTHORIZED).await;
}

#[tokio::test]
async fn a_foreign_package_is_imported_with_defaults_and_served_back_as_case() {
    let app = TestApp::at("https://registry.example", false).await;
    let auth = operator(&app).await;
    let link = |id: &str| json!({"title": id, "identifier": id, "uri": format!("https://case.example/uri/{id}")});
    let when = "2025-06-30T12:00:00+00:00";
    let package = json!({
        "CFDocument": {
            "identifier": "c1f0a0e2-0000-4000-8000-000000000001",
            "uri": "https://case.example/uri/c1f0a0e2-0000-4000-8000-000000000001",
            "creator": "Example Physiotherapy Board", "title": "Manual Handling Standards",
            "lastChangeDateTime": when, "version": "2025.1", "caseVersion": "1.1"
        },
        "CFItems": [
            {"identifier": "i1", "uri": "https://case.example/uri/i1", "fullStatement": "Risk assessment", "humanCodingScheme": "MH.1", "lastChangeDateTime": when},
            {"identifier": "i2", "uri": "https://case.example/uri/i2", "fullStatement": "Assesses a load before lifting it", "humanCodingScheme": "MH.1.a", "lastChangeDateTime": when},
            {"identifier": "i3", "uri": "https://case.example/uri/i3", "fullStatement": "Uses a hoist safely", "humanCodingScheme": "MH.1.b", "lastChangeDateTime": when}
        ],
        "CFAssociations": [
            {"identifier": "a1", "uri": "https://case.example/uri/a1", "associationType": "isChildOf", "originNodeURI": link("i1"), "destinationNodeURI": link("c1f0a0e2-0000-4000-8000-000000000001"), "lastChangeDateTime": when},
            {"identifier": "a2", "uri": "https://case.example/uri/a2", "associationType": "isChildOf", "originNodeURI": link("i2"), "destinationNodeURI": link("i1"), "lastChangeDateTime": when},
            {"identifier": "a3", "uri": "https://case.example/uri/a3", "associationType": "isChildOf", "originNodeURI": link("i3"), "destinationNodeURI": link("i1"), "lastChangeDateTime": when}
        ]
    });
    let reply = app
        .call("POST", "/api/v1/frameworks/case", Some(package), &auth)
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.json()["slug"], "manual-handling-standards");
    assert_eq!(reply.json()["version"], "2025.1");
    assert_eq!(reply.json()["statements"], 2);
    let framework = app
        .call(
            "GET",
            "/frameworks/manual-handling-standards",
            None,
            &Auth::None,
        )
        .await
        .json();
    let codes: Vec<&str> = framework["statements"]
        .as_array()
        .expect("statements")
        .iter()
        .map(|s| s["code"].as_str().expect("code"))
        .collect();
    assert_eq!(codes, ["MH-1-A", "MH-1-B"], "{framework}");
    // Served back as CASE, valid against the schema.
    let slug = credence_domain::FrameworkSlug::new("manual-handling-standards").expect("slug");
    let path = format!(
        "/ims/case/v1p1/CFPackages/{}",
        credence_domain::case::document_id(&slug, "2025.1")
    );
    let served: Value = serde_json::from_str(&get_ok(&app, &path).await).expect("json");
    assert_eq!(
        schema_failures(&[("cfpackage", &served)]),
        Vec::<String>::new()
    );
    assert_eq!(
        served["CFDocument"]["lastChangeDateTime"],
        "2025-06-30T00:00:00Z"
    );
}

#[tokio::test]
async fn an_award_aligns_each_statement_to_its_case_item_and_its_page() {
    let app = TestApp::new().await;
    let (issuer, achievement) = issuer_setup(&app, "linchester-ics", "web").await;
    let cy = app.holder("cy@example.org", "Cy").await;
    let justification = "Completed the equivalent programme at a partner trust in 2025.";
    let made = award(&app, "linchester-ics", &issuer, json!({"achievement": achievement, "email": "cy@example.org", "override_justification": justification})).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let credential = made.json()["credential"].clone();
    // The credential's page lists each statement once, with a link to its CASE item.
    let award_id = made.json()["award"]["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    let Auth::Session { cookie, .. } = &cy else {
        panic!("a session")
    };
    let request = axum::http::Request::get(format!("/credentials/{award_id}"))
        .header("accept", "text/html")
        .header("cookie", format!("credence_session={cookie}"))
        .body(axum::body::Body::empty())
        .expect("a request");
    let page = app.request(request).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(
        page.body.matches("<li class=\"statement\">").count(),
        crate::registry_awards::FOUNDATIONAL
    );
    assert_eq!(
        page.body.matches("class=\"case-item\"").count(),
        crate::registry_awards::FOUNDATIONAL
    );
    let alignments = credential["credentialSubject"]["achievement"]["alignment"]
        .as_array()
        .expect("alignments")
        .clone();
    assert_eq!(alignments.len(), 2 * crate::registry_awards::FOUNDATIONAL);
    let items: Vec<&Value> = alignments
        .iter()
        .filter(|a| a["targetType"] == "CFItem")
        .collect();
    assert_eq!(items.len(), crate::registry_awards::FOUNDATIONAL);
    let pages = alignments
        .iter()
        .filter(|a| a["targetType"] == "ext:CompetencyStatement")
        .count();
    assert_eq!(pages, crate::registry_awards::FOUNDATIONAL);
    let first = items[0];
    assert_eq!(first["targetCode"], "T1-01");
    assert_eq!(
        first["targetFramework"],
        "Developing healthcare workers' confidence in AI"
    );
    // The CFItem URL is served by this registry and is that statement's item.
    let url = first["targetUrl"].as_str().expect("a URL");
    let path = url
        .strip_prefix(app.base_url.as_str())
        .expect("this registry's");
    let item: Value = serde_json::from_str(&get_ok(&app, path).await).expect("json");
    assert_eq!(item["humanCodingScheme"], "T1-01");
    assert_eq!(item["fullStatement"], first["targetName"]);
}

/// The command line: `export-case` from an empty folder (the bundled framework), and
/// `import-case` of that file and of a broken one into a database.
#[tokio::test]
async fn the_command_line_exports_and_imports_case_packages() {
    use crate::support::{credence, stderr, stdout, TestDb};
    let dir = tempfile::tempdir().expect("a folder");
    let public = [("CREDENCE_PUBLIC_URL", "https://registry.example")];
    let out = credence(dir.path(), &["framework", "export-case", NHS], &public);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!dir.path().join("credence-data").exists());
    let mut package: Value = serde_json::from_str(&stdout(&out)).expect("json");
    // As the API serves it, at the same address (the CLI writes it pretty-printed).
    let app = TestApp::at("https://registry.example", true).await;
    let served: Value =
        serde_json::from_str(&get_ok(&app, &nhs_package_path()).await).expect("json");
    assert_eq!(package, served);

    // Another version of it, imported into a database.
    package["CFDocument"]["version"] = json!("2.0.0");
    std::fs::write(
        dir.path().join("v2.json"),
        serde_json::to_vec(&package).expect("bytes"),
    )
    .expect("write");
    let db = TestDb::new().await;
    let env = [("CREDENCE_DATABASE_URL", db.url.as_str())];
    let first = credence(dir.path(), &["framework", "import-case", "v2.json"], &env);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stdout(&first)
            .contains("Imported framework 'nhs-ai-confidence-2022' version 2.0.0 (242 statements)"),
        "{}",
        stdout(&first)
    );
    package["CFItems"][0]
        .as_object_mut()
        .expect("an item")
        .remove("uri");
    std::fs::write(
        dir.path().join("bad.json"),
        serde_json::to_vec(&package).expect("bytes"),
    )
    .expect("write");
    let bad = credence(dir.path(), &["framework", "import-case", "bad.json"], &env);
    assert_eq!(bad.status.code(), Some(2), "{}", stdout(&bad));
    assert!(stderr(&bad).contains("/CFItems/0/uri"), "{}", stderr(&bad));
}
