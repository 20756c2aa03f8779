//! Badge images: one SVG per pathway, recognisable by its colour and emblem (one per
//! archetype, another for the foundational and for product-specific pathways), with the
//! achievement's name, the kind of pathway and the issuer's name written on it in the
//! bundled font (see [`super::badge_font`]). Deterministic, so the same pathway always
//! gets the same bytes, and small enough to embed as a `data:` URL in the achievement.

use base64::Engine as _;
use credence_domain::framework::Pathway;
use credence_domain::{ArchetypeCode, PathwayKind};

use super::badge_font::{self, fit, wrap, Pen};

/// The side of the square the badge is drawn in.
pub const VIEW_BOX: u32 = 256;

/// The name: bold, on at most three lines, each as wide as the white disc allows at the
/// lowest of them.
const NAME_PEN: Pen = Pen {
    size: 14.0,
    bold: true,
};
const NAME_WIDTH: f32 = 176.0;
const NAME_LINES: usize = 3;
/// The kind of pathway, under the name.
const LABEL_PEN: Pen = Pen {
    size: 11.0,
    bold: false,
};
const LABEL_WIDTH: f32 = 150.0;
/// The caption, the lowest line inside the disc and so the narrowest.
const CAPTION_PEN: Pen = Pen {
    size: 10.0,
    bold: false,
};
const CAPTION_WIDTH: f32 = 108.0;
/// The issuer's name, in white along the top of the coloured ring: the arc's radius puts
/// the letters in the middle of the ring, and the width leaves the ring's sides clear.
const ISSUER_PEN: Pen = Pen {
    size: 11.0,
    bold: true,
};
const ISSUER_WIDTH: f32 = 280.0;
const ISSUER_ARC_RADIUS: u32 = 111;
/// The radius of the white disc inside the ring (the ring's outer radius is 124).
const DISC_RADIUS: u32 = 106;

/// What a badge shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadgeSpec {
    /// The name written on the badge and given as its accessible title (usually the
    /// pathway's or the achievement's name).
    pub name: String,
    /// Chooses the look with `archetype`.
    pub kind: PathwayKind,
    /// The archetype of an advanced pathway.
    pub archetype: Option<ArchetypeCode>,
    /// A short line under the kind, such as a product and its version.
    pub caption: Option<String>,
    /// The issuing organisation's name, written along the top of the ring.
    pub issuer: Option<String>,
}

impl BadgeSpec {
    /// The badge of a pathway, named after it.
    pub fn for_pathway(pathway: &Pathway) -> Self {
        BadgeSpec {
            name: pathway.name.clone(),
            kind: pathway.kind,
            archetype: pathway.archetype.clone(),
            caption: None,
            issuer: None,
        }
    }
}

/// A simple geometric mark in the middle of the badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Emblem {
    /// Stacked blocks: the foundation everything else stands on.
    Blocks,
    /// A diamond: Shapers set direction and policy.
    Diamond,
    /// A forward chevron: Drivers lead change.
    Chevron,
    /// A star: Creators build new AI technology.
    Star,
    /// Two linked rings: Embedders fit AI into systems and services.
    Rings,
    /// A person: Users work with AI alongside patients.
    Person,
    /// A chip with pins: training on one AI product.
    Chip,
    /// A plain disc, for archetypes of other frameworks.
    Disc,
}

/// The colour and emblem of a badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Look {
    colour: &'static str,
    emblem: Emblem,
}

/// Colours for archetypes Credence has no look for, chosen by a hash of the code. All are
/// dark enough to stand out against white (at least 3:1).
const OTHER_COLOURS: [&str; 4] = ["#7c2855", "#00308f", "#5c4d00", "#2f4f4f"];

fn look(spec: &BadgeSpec) -> Look {
    let (colour, emblem) = match spec.kind {
        PathwayKind::Foundational => ("#005eb8", Emblem::Blocks),
        PathwayKind::ProductTemplate => ("#425563", Emblem::Chip),
        PathwayKind::Advanced => match spec.archetype.as_ref().map(ArchetypeCode::as_str) {
            Some("shaper") => ("#330072", Emblem::Diamond),
            Some("driver") => ("#006747", Emblem::Chevron),
            Some("creator") => ("#a84d00", Emblem::Star),
            Some("embedder") => ("#00776f", Emblem::Rings),
            Some("user") => ("#ae2573", Emblem::Person),
            other => {
                // FNV-1a: stable across runs and platforms, unlike the standard hasher.
                let hash = other.unwrap_or("").bytes().fold(0x811c_9dc5_u32, |h, b| {
                    (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
                });
                (
                    OTHER_COLOURS[hash as usize % OTHER_COLOURS.len()],
                    Emblem::Disc,
                )
            }
        },
    };
    Look { colour, emblem }
}

/// The emblem's SVG, drawn in `colour` around (128, 84) within 36 units.
fn emblem_svg(emblem: Emblem, colour: &str) -> String {
    match emblem {
        Emblem::Blocks => format!(
            r#"<g fill="{colour}"><rect x="116" y="52" width="24" height="18" rx="3"/><rect x="104" y="74" width="48" height="18" rx="3"/><rect x="92" y="96" width="72" height="18" rx="3"/></g>"#
        ),
        Emblem::Diamond => {
            format!(r#"<path fill="{colour}" d="M128 48 L164 84 L128 120 L92 84 Z"/>"#)
        }
        Emblem::Chevron => format!(
            r#"<path fill="{colour}" d="M98 50 L126 50 L160 84 L126 118 L98 118 L132 84 Z"/>"#
        ),
        Emblem::Star => format!(
            r#"<path fill="{colour}" d="M128.0 48.0 L136.8 71.9 L162.2 72.9 L142.3 88.6 L149.2 113.1 L128.0 99.0 L106.8 113.1 L113.7 88.6 L93.8 72.9 L119.2 71.9 Z"/>"#
        ),
        Emblem::Rings => format!(
            r#"<g fill="none" stroke="{colour}" stroke-width="8"><circle cx="112" cy="84" r="24"/><circle cx="144" cy="84" r="24"/></g>"#
        ),
        Emblem::Person => format!(
            r#"<g fill="{colour}"><circle cx="128" cy="66" r="17"/><path d="M94 118 C94 88 162 88 162 118 Z"/></g>"#
        ),
        Emblem::Chip => format!(
            r##"<g><path stroke="{colour}" stroke-width="4" d="M112 48v8M128 48v8M144 48v8M112 112v8M128 112v8M144 112v8M92 68h8M92 84h8M92 100h8M156 68h8M156 84h8M156 100h8"/><rect fill="{colour}" x="100" y="56" width="56" height="56" rx="6"/><rect fill="#ffffff" x="114" y="70" width="28" height="28" rx="2"/></g>"##
        ),
        Emblem::Disc => format!(r#"<circle fill="{colour}" cx="128" cy="84" r="32"/>"#),
    }
}

/// Escapes text for XML content and attribute values, and drops the characters XML 1.0
/// cannot carry at all (most control characters), so that the result is always
/// well-formed.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if u32::from(c) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The label under the name: the kind of pathway, and the archetype's name for an
/// advanced one (the code, capitalised).
fn kind_label(spec: &BadgeSpec) -> String {
    match (spec.kind, &spec.archetype) {
        (PathwayKind::Advanced, Some(archetype)) => {
            let mut chars = archetype.as_str().chars();
            let name = match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                None => String::new(),
            };
            format!("{} · {}", spec.kind.label(), name.replace('-', " "))
        }
        (kind, _) => kind.label().to_owned(),
    }
}

/// The badge's accessible name: the name, the caption in brackets, and the issuer.
fn title(spec: &BadgeSpec) -> String {
    let mut title = spec.name.clone();
    if let Some(caption) = &spec.caption {
        title.push_str(&format!(" ({caption})"));
    }
    if let Some(issuer) = spec
        .issuer
        .as_deref()
        .map(str::trim)
        .filter(|i| !i.is_empty())
    {
        title.push_str(&format!(", issued by {issuer}"));
    }
    title
}

/// The badge as SVG text: a 256×256 view box, `role="img"`, a `<title>` with the name,
/// caption and issuer, a ring in the look's colour with the issuer's name along its top,
/// an emblem, the name on up to three lines, the kind of pathway and the caption. Lines are
/// wrapped and cut by their width in the bundled font; every piece of text is XML-escaped.
pub fn badge_svg(spec: &BadgeSpec) -> String {
    let look = look(spec);
    let colour = look.colour;
    let title = xml_escape(&title(spec));
    let family = badge_font::FAMILY;
    let font =
        format!(r#"font-family="'{family}', Arial, Helvetica, sans-serif" text-anchor="middle""#);

    let mut svg = String::with_capacity(2560);
    svg.push_str(&format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {VIEW_BOX} {VIEW_BOX}" width="{VIEW_BOX}" height="{VIEW_BOX}" role="img" aria-label="{title}">"#
    ));
    svg.push_str(&format!("<title>{title}</title>"));
    svg.push_str(&format!(
        r##"<circle cx="128" cy="128" r="124" fill="{colour}"/><circle cx="128" cy="128" r="{DISC_RADIUS}" fill="#ffffff"/>"##
    ));
    let issuer = spec.issuer.as_deref().map(str::trim);
    if let Some(issuer) = issuer.filter(|i| !i.is_empty()) {
        // A half circle over the top, left to right, so the letters stand upright on it.
        let (left, right, r) = (
            128 - ISSUER_ARC_RADIUS,
            128 + ISSUER_ARC_RADIUS,
            ISSUER_ARC_RADIUS,
        );
        svg.push_str(&format!(
            r##"<defs><path id="credence-badge-issuer-arc" d="M{left} 128 A{r} {r} 0 0 1 {right} 128"/></defs><text {font} font-size="{}" font-weight="bold" fill="#ffffff"><textPath href="#credence-badge-issuer-arc" startOffset="50%">{}</textPath></text>"##,
            ISSUER_PEN.size,
            xml_escape(&fit(issuer, ISSUER_WIDTH, &|t| ISSUER_PEN.width(t)))
        ));
    }
    svg.push_str(&emblem_svg(look.emblem, colour));

    let lines = wrap(&spec.name, NAME_WIDTH, NAME_LINES, &|t| NAME_PEN.width(t));
    // Centre the name's lines on y = 163, 17 units apart.
    let first = 163 - (lines.len().saturating_sub(1) as i32) * 17 / 2;
    for (i, line) in lines.iter().enumerate() {
        let y = first + i as i32 * 17;
        svg.push_str(&format!(
            r##"<text x="128" y="{y}" {font} font-size="{}" font-weight="bold" fill="#212b32">{}</text>"##,
            NAME_PEN.size,
            xml_escape(line)
        ));
    }
    svg.push_str(&format!(
        r#"<text x="128" y="200" {font} font-size="{}" fill="{colour}">{}</text>"#,
        LABEL_PEN.size,
        xml_escape(&fit(&kind_label(spec), LABEL_WIDTH, &|t| LABEL_PEN.width(t)))
    ));
    if let Some(caption) = &spec.caption {
        svg.push_str(&format!(
            r##"<text x="128" y="215" {font} font-size="{}" fill="#425563">{}</text>"##,
            CAPTION_PEN.size,
            xml_escape(&fit(caption, CAPTION_WIDTH, &|t| CAPTION_PEN.width(t)))
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// The SVG as a `data:image/svg+xml;base64,…` URL, for an achievement's `image`.
pub fn badge_data_url(svg: &str) -> String {
    format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(svg.as_bytes())
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::test_support::nhs;
    use credence_vc::baking::{bake_svg, unbake_svg, BakedCredential};
    use serde_json::json;

    /// Whether `xml` is well-formed XML (namespaces included), as roxmltree reads it; a
    /// DOCTYPE is refused, since `badge_svg` never writes one.
    pub(crate) fn well_formed(xml: &str) -> Result<(), String> {
        roxmltree::Document::parse(xml)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    fn spec(name: &str, kind: PathwayKind, archetype: Option<&str>) -> BadgeSpec {
        BadgeSpec {
            name: name.into(),
            kind,
            archetype: archetype.map(|a| ArchetypeCode::new(a).expect("code")),
            caption: None,
            issuer: None,
        }
    }

    #[test]
    fn the_checker_itself_refuses_broken_xml() {
        for (xml, ok) in [
            ("<a/>", true),
            ("<a b=\"1\"><c>x &amp; y</c></a>", true),
            ("<a>", false),
            ("<a></b>", false),
            ("<a>x & y</a>", false),
            ("<a b=1/>", false),
            ("<a b=\"<\"/>", false),
            ("<a/><b/>", false),
            ("<a>&nbsp;</a>", false),
            ("<a>\u{7}</a>", false),
            ("<a b=\"1\" b=\"2\"/>", false),
            ("<x:a/>", false),
            ("<x:a xmlns:x=\"urn:x\"/>", true),
        ] {
            assert_eq!(well_formed(xml).is_ok(), ok, "{xml}");
        }
    }

    #[test]
    fn every_pathway_badge_is_well_formed_and_accessible() {
        for pathway in &nhs().document().pathways {
            let svg = badge_svg(&BadgeSpec::for_pathway(pathway));
            well_formed(&svg).unwrap_or_else(|e| panic!("{}: {e}\n{svg}", pathway.code));
            assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
            assert!(svg.contains(r#"viewBox="0 0 256 256""#));
            assert!(svg.contains(r#"role="img""#));
            assert!(
                svg.contains(&format!("<title>{}</title>", xml_escape(&pathway.name))),
                "{svg}"
            );
        }
    }

    #[test]
    fn text_is_escaped() {
        let check = |name: &str, expected: &str| {
            let svg = badge_svg(&spec(name, PathwayKind::Foundational, None));
            well_formed(&svg).unwrap_or_else(|e| panic!("{name:?}: {e}\n{svg}"));
            assert!(svg.contains(expected), "{name:?}: {svg}");
        };
        check("<&>\"'", "<title>&lt;&amp;&gt;&quot;&apos;</title>");
        check("a</svg>b", "a&lt;/svg&gt;b");
        check("]]> x", "]]&gt; x");
        check("bell\u{7}tab\tend", "<title>belltab end</title>");
        let mut with_caption = spec("P", PathwayKind::ProductTemplate, None);
        with_caption.caption = Some("X-ray <v2> & \"more\"".into());
        let svg = badge_svg(&with_caption);
        well_formed(&svg).expect("well-formed");
        assert!(
            svg.contains("X-ray &lt;v2&gt; &amp; &quot;more&quot;"),
            "{svg}"
        );
    }

    fn outer_colour(svg: &str) -> String {
        let marker = r#"r="124" fill=""#;
        let start = svg.find(marker).expect("ring") + marker.len();
        svg[start..start + 7].to_owned()
    }

    #[test]
    fn each_look_has_its_own_colour_and_emblem() {
        let mut specs = vec![
            spec("F", PathwayKind::Foundational, None),
            spec("P", PathwayKind::ProductTemplate, None),
        ];
        for archetype in ["shaper", "driver", "creator", "embedder", "user"] {
            specs.push(spec("A", PathwayKind::Advanced, Some(archetype)));
        }
        let colours: Vec<String> = specs.iter().map(|s| outer_colour(&badge_svg(s))).collect();
        let emblems: Vec<Emblem> = specs.iter().map(|s| look(s).emblem).collect();
        for i in 0..specs.len() {
            for j in i + 1..specs.len() {
                assert_ne!(colours[i], colours[j], "{:?} / {:?}", specs[i], specs[j]);
                assert_ne!(emblems[i], emblems[j], "{:?} / {:?}", specs[i], specs[j]);
            }
        }
        // The NHS pathways get those looks.
        let nhs_colours: Vec<String> = nhs()
            .document()
            .pathways
            .iter()
            .map(|p| outer_colour(&badge_svg(&BadgeSpec::for_pathway(p))))
            .collect();
        let distinct: std::collections::BTreeSet<&String> = nhs_colours.iter().collect();
        assert_eq!(distinct.len(), nhs_colours.len(), "{nhs_colours:?}");
        // Another framework's archetype gets a stable fallback.
        let other = spec("O", PathwayKind::Advanced, Some("navigator"));
        assert_eq!(look(&other).emblem, Emblem::Disc);
        assert_eq!(badge_svg(&other), badge_svg(&other.clone()));
        assert!(OTHER_COLOURS.contains(&look(&other).colour));
    }

    #[test]
    fn the_issuer_is_named_on_the_ring_and_in_the_title() {
        let mut s = spec("Foundational AI education", PathwayKind::Foundational, None);
        let svg = badge_svg(&s);
        assert!(!svg.contains("textPath"), "{svg}");
        assert!(
            svg.contains(r#"font-family="'Noto Sans', Arial, Helvetica, sans-serif""#),
            "{svg}"
        );
        s.issuer = Some("St <Mary's> & Co".into());
        s.caption = Some("ChestScan 2".into());
        let svg = badge_svg(&s);
        well_formed(&svg).unwrap_or_else(|e| panic!("{e}\n{svg}"));
        assert!(
            svg.contains("<title>Foundational AI education (ChestScan 2), issued by St &lt;Mary&apos;s&gt; &amp; Co</title>"),
            "{svg}"
        );
        assert!(
            svg.contains(r##"<textPath href="#credence-badge-issuer-arc" startOffset="50%">St &lt;Mary&apos;s&gt; &amp; Co</textPath>"##),
            "{svg}"
        );
        // A long name is cut to the width the ring leaves it, with an ellipsis.
        s.issuer = Some(
            "The Royal Wolverhampton and Westminster University Hospitals NHS Foundation Trust"
                .into(),
        );
        let svg = badge_svg(&s);
        let marker = r#"startOffset="50%">"#;
        let start = svg.find(marker).expect("the issuer") + marker.len();
        let shown = &svg[start..start + svg[start..].find('<').expect("its end")];
        assert!(
            shown.starts_with("The Royal") && shown.ends_with('…'),
            "{shown}"
        );
        assert!(ISSUER_PEN.width(shown) <= ISSUER_WIDTH, "{shown}");
    }

    #[test]
    fn deterministic() {
        let pathway = &nhs().document().pathways[1];
        let a = badge_svg(&BadgeSpec::for_pathway(pathway));
        let b = badge_svg(&BadgeSpec::for_pathway(pathway));
        assert_eq!(a, b);
    }

    #[test]
    fn data_urls_decode_to_the_svg() {
        let svg = badge_svg(&spec("Foundational <AI>", PathwayKind::Foundational, None));
        let url = badge_data_url(&svg);
        let encoded = url
            .strip_prefix("data:image/svg+xml;base64,")
            .expect("prefix");
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .expect("base64");
        assert_eq!(String::from_utf8(decoded).expect("utf-8"), svg);
    }

    #[test]
    fn a_credential_bakes_into_the_badge_and_back() {
        let credential = json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": "Foundational ]]> <AI> & more",
        });
        for pathway in &nhs().document().pathways {
            let svg = badge_svg(&BadgeSpec::for_pathway(pathway));
            let baked = bake_svg(&svg, &BakedCredential::Json(credential.clone()))
                .unwrap_or_else(|e| panic!("{}: {e}", pathway.code));
            well_formed(&baked).unwrap_or_else(|e| panic!("{}: {e}\n{baked}", pathway.code));
            assert_eq!(
                unbake_svg(&baked).expect("unbakes"),
                Some(BakedCredential::Json(credential.clone()))
            );
            assert_eq!(unbake_svg(&svg).expect("reads"), None);
        }
    }
}
