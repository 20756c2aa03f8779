//! Baked PNG badges carry their text: the achievement's name, the kind of pathway and the
//! issuer's name are drawn in the bundled font whatever fonts the host has, the same bytes
//! every time; a rendering is kept in `target/screenshots/badge-award.png` to look at.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use credence_service::orgs::NewOrg;
use resvg::tiny_skia::Pixmap;
use serde_json::json;

use crate::registry_awards::attest_foundational;
use crate::support::{Auth, TestApp};

const ISSUER: &str = "Royal Wolverhampton Hospitals";
const NAME: &str = "Foundational AI education for clinical decision support in emergency care";

/// `GET path` as `auth`, the body as bytes.
async fn bytes(app: &TestApp, path: &str, auth: &Auth) -> (StatusCode, Vec<u8>) {
    let mut request = Request::get(path);
    if let Auth::Session { cookie, .. } = auth {
        request = request.header("cookie", format!("credence_session={cookie}"));
    }
    let response = tower::ServiceExt::oneshot(
        app.router.clone(),
        request.body(Body::empty()).expect("a request"),
    )
    .await
    .expect("a response");
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
        .await
        .expect("the body");
    (status, body.to_vec())
}

/// An award of a long-named foundational achievement by an organisation called
/// [`ISSUER`]; returns the holder, the award's id and the achievement's uuid.
async fn awarded(app: &TestApp) -> (Auth, String, String) {
    let operator =
        credence_service::Actor::from_operator(&credence_service::Operator::local_command_line())
            .operator()
            .expect("the operator");
    app.services
        .registry
        .with_operator(&operator)
        .create_org(NewOrg {
            slug: "badge-png".into(),
            name: ISSUER.into(),
            kind: "provider".parse().expect("a kind"),
            did_method: "key".parse().expect("a DID method"),
            url: None,
            description: None,
        })
        .await
        .expect("create the organisation");
    let issuer = app.token("badge-png", "issuer").await;
    let reply = app
        .call(
            "POST",
            "/api/v1/orgs/badge-png/achievements",
            Some(json!({"pathway": "foundational", "name": NAME})),
            &issuer,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let achievement = reply.json()["uuid"].as_str().expect("uuid").to_owned();
    let holder = app.holder("kit@badge.test", "Kit").await;
    let me = app.call("GET", "/api/v1/me", None, &holder).await;
    attest_foundational(app, me.json()["id"].as_str().expect("id"), 30).await;
    let reply = app
        .call(
            "POST",
            "/api/v1/orgs/badge-png/awards",
            Some(json!({"achievement": achievement, "email": "kit@badge.test"})),
            &issuer,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let award = reply.json()["award"]["id"]
        .as_str()
        .expect("award id")
        .to_owned();
    (holder, award, achievement)
}

/// The SVG without its `<text>` elements.
fn without_text(svg: &str) -> String {
    let mut out = String::new();
    let mut rest = svg;
    while let Some(start) = rest.find("<text ") {
        let end = start + rest[start..].find("</text>").expect("a closed text") + 7;
        out.push_str(&rest[..start]);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// How many pixels differ between `a` and `b` in the box `x` × `y`, in badge units (the
/// PNG is 512 pixels for the badge's 256 units).
fn differing(a: &Pixmap, b: &Pixmap, x: (u32, u32), y: (u32, u32)) -> usize {
    let mut n = 0;
    for row in y.0 * 2..y.1 * 2 {
        for column in x.0 * 2..x.1 * 2 {
            if a.pixel(column, row) != b.pixel(column, row) {
                n += 1;
            }
        }
    }
    n
}

#[tokio::test]
async fn the_baked_png_shows_the_name_the_pathway_and_the_issuer() {
    let app = TestApp::new().await;
    let (holder, award, achievement) = awarded(&app).await;

    // The achievement's badge names the issuer, in the bundled family first.
    let (status, svg) = bytes(
        &app,
        &format!("/achievements/{achievement}/image.svg"),
        &Auth::None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let svg = String::from_utf8(svg).expect("SVG text");
    assert!(svg.contains(&format!("{ISSUER}</textPath>")), "{svg}");
    assert!(svg.contains("font-family=\"'Noto Sans'"), "{svg}");
    assert!(
        svg.contains(&format!("<title>{NAME}, issued by {ISSUER}</title>")),
        "{svg}"
    );

    // The holder's baked PNG: 512 pixels square, the same bytes every time.
    let path = format!("/credentials/{award}/badge.png");
    let (status, png) = bytes(&app, &path, &holder).await;
    assert_eq!(status, StatusCode::OK);
    let (_, again) = bytes(&app, &path, &holder).await;
    assert_eq!(png, again, "two downloads are byte-identical");
    let image = Pixmap::decode_png(&png).expect("a PNG");
    assert_eq!((image.width(), image.height()), (512, 512));
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).expect("the screenshot folder");
    std::fs::write(dir.join("badge-award.png"), &png).expect("keep the badge");

    // Against the same badge drawn without its text, each place where text belongs has
    // many changed pixels: the name's three lines, the kind of pathway, and the issuer
    // along the top of the ring.
    let bare = credence_service::badges::render_png(&without_text(&svg)).expect("renders");
    let bare = Pixmap::decode_png(&bare).expect("a PNG");
    for (what, x, y, at_least) in [
        ("the name", (30, 226), (136, 186), 3000),
        ("the kind of pathway", (60, 196), (190, 204), 400),
        ("the issuer", (20, 236), (4, 40), 1000),
    ] {
        let n = differing(&image, &bare, x, y);
        assert!(n >= at_least, "{what}: {n} pixels of text");
    }
}
