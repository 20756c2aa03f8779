//! Baked badges: an award's credential carried inside its achievement's badge image, as SVG
//! (Open Badges baking in an `openbadges:credential` element) or as PNG (an `iTXt` chunk
//! of a raster rendering of the same SVG), so a holder can hand over one file that any
//! Open Badges verifier, and Credence's `/verify` page, can check.

use std::sync::{Arc, OnceLock};

use credence_vc::baking::{bake_png, bake_svg, BakedCredential};
use resvg::usvg::{self, fontdb};
use serde_json::Value;

use credence_domain::AwardId;

use crate::desks::CallerDesk;
use crate::evidence::Download;
use crate::ServiceError;
use credence_documents::badge_font;

/// The image format of a baked badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadgeFormat {
    Svg,
    Png,
}

/// The side of a PNG badge, in pixels (the SVG is drawn at 256 and scaled).
const PNG_SIDE: u32 = 512;

/// The fonts badge text is drawn with: only the bundled Noto Sans (see
/// [`credence_documents::badge_font`]), loaded once per process and never the host's, so
/// every machine draws the same pixels. It also answers for the generic families and for
/// names it lacks (badges made before it, which ask for Arial), so no text goes missing.
fn fonts() -> Arc<fontdb::Database> {
    static FONTS: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = fontdb::Database::new();
            for face in [badge_font::REGULAR, badge_font::BOLD] {
                db.load_font_source(fontdb::Source::Binary(Arc::new(face)));
            }
            db.set_sans_serif_family(badge_font::FAMILY);
            db.set_serif_family(badge_font::FAMILY);
            Arc::new(db)
        })
        .clone()
}

/// Draws an SVG badge as a square PNG of [`PNG_SIDE`] pixels.
pub fn render_png(svg: &str) -> Result<Vec<u8>, ServiceError> {
    let options = usvg::Options {
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree =
        usvg::Tree::from_str(svg, &options).map_err(ServiceError::wrap("parsing the badge SVG"))?;
    let size = tree.size();
    let scale = PNG_SIDE as f32 / size.width().max(size.height()).max(1.0);
    let mut pixmap = resvg::tiny_skia::Pixmap::new(PNG_SIDE, PNG_SIDE)
        .ok_or_else(|| ServiceError::internal("cannot allocate the badge image"))?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(ServiceError::wrap("encoding the badge image"))
}

impl CallerDesk<'_> {
    /// The award's badge image with its credential baked in, for whoever may see the
    /// credential (see [`Registry::credential_text`]).
    #[tracing::instrument(level = "info", skip_all, fields(account = self.actor.account_id().map(|a| a.as_str()), award_id = %award_id))]
    pub async fn baked_badge(
        &self,
        award_id: &AwardId,
        format: BadgeFormat,
    ) -> Result<Download, ServiceError> {
        let text = self.credential_text(award_id).await?;
        let credential: Value = serde_json::from_str(&text)
            .map_err(ServiceError::wrap("reading a stored credential"))?;
        let achievement_id = {
            let tx = self.store.read().await?;
            tx.award(award_id)
                .await?
                .and_then(|a| a.achievement_id)
                .ok_or_else(|| {
                    ServiceError::NotFound(
                        "a badge image for this credential (it names no achievement of this registry)"
                            .into(),
                    )
                })?
        };
        let svg = self.public().achievement_image(&achievement_id).await?;
        let baked = BakedCredential::Json(credential);
        let bake_error =
            |e: credence_vc::baking::BakingError| ServiceError::internal_from("baking a badge", e);
        Ok(match format {
            BadgeFormat::Svg => Download {
                file_name: format!("credential-{award_id}.svg"),
                media_type: "image/svg+xml".into(),
                content: bake_svg(&svg, &baked).map_err(bake_error)?.into_bytes(),
            },
            BadgeFormat::Png => {
                let png = tokio::task::spawn_blocking(move || render_png(&svg))
                    .await
                    .map_err(ServiceError::wrap("rendering a PNG badge"))??;
                Download {
                    file_name: format!("credential-{award_id}.png"),
                    media_type: "image/png".into(),
                    content: bake_png(&png, &baked).map_err(bake_error)?,
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use credence_documents::badge::{badge_svg, BadgeSpec};
    use credence_domain::{ArchetypeCode, PathwayKind};
    use resvg::tiny_skia::Pixmap;

    /// A long name (three lines, cut), an issuer, and a caption.
    fn spec(name: &str) -> BadgeSpec {
        BadgeSpec {
            name: name.into(),
            kind: PathwayKind::Advanced,
            archetype: Some(ArchetypeCode::new("embedder").expect("code")),
            caption: Some("ChestScan triage 2.1".into()),
            issuer: Some("Wolverhampton and Westminster NHS Trust".into()),
        }
    }

    const LONG_NAME: &str = "Advanced AI education for Embedders of clinical decision \
                             support systems in emergency medicine";

    /// The SVG without those `<text>` elements for which `drop` is true.
    fn without_text(svg: &str, drop: impl Fn(&str) -> bool) -> String {
        let mut out = String::new();
        let mut rest = svg;
        while let Some(start) = rest.find("<text ") {
            let end = start + rest[start..].find("</text>").expect("a closed text") + 7;
            out.push_str(&rest[..start]);
            if !drop(&rest[start..end]) {
                out.push_str(&rest[start..end]);
            }
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    }

    fn render(svg: &str) -> Pixmap {
        Pixmap::decode_png(&render_png(svg).expect("renders")).expect("a PNG")
    }

    /// The pixels, as (x, y) in badge units (the PNG is drawn at twice the size), where
    /// two renders differ.
    fn differences(a: &Pixmap, b: &Pixmap) -> Vec<(f32, f32)> {
        let side = PNG_SIDE as usize;
        let scale = PNG_SIDE as f32 / 256.0;
        a.pixels()
            .iter()
            .zip(b.pixels())
            .enumerate()
            .filter(|(_, (p, q))| p != q)
            .map(|(i, _)| ((i % side) as f32 / scale, (i / side) as f32 / scale))
            .collect()
    }

    fn count_in(points: &[(f32, f32)], x: (f32, f32), y: (f32, f32)) -> usize {
        points
            .iter()
            .filter(|(px, py)| (x.0..x.1).contains(px) && (y.0..y.1).contains(py))
            .count()
    }

    #[test]
    fn the_name_label_caption_and_issuer_are_drawn_in_their_places() {
        let svg = badge_svg(&spec(LONG_NAME));
        let with_text = render(&svg);
        let bare = render(&without_text(&svg, |_| true));
        let changed = differences(&with_text, &bare);
        // Each region has text in it (thousands of pixels at 512 px: a missing font draws
        // none, as it did on hosts without system fonts).
        let regions = [
            ("name", (30.0, 226.0), (140.0, 186.0)),
            ("kind label", (40.0, 216.0), (188.0, 204.0)),
            ("caption", (60.0, 196.0), (205.0, 219.0)),
            ("issuer, on the ring", (20.0, 236.0), (2.0, 40.0)),
        ];
        for (what, x, y) in regions {
            let n = count_in(&changed, x, y);
            assert!(n > 400, "{what}: {n} pixels of text");
        }
    }

    #[test]
    fn text_stays_inside_its_part_of_the_badge() {
        // Wide letters, the widest case for wrapping by width.
        for name in [
            LONG_NAME,
            "WWWWW MMMMM WWWWW MMMMM WWWWW MMMMM WWWWW MMMMM WWWWW",
        ] {
            let svg = badge_svg(&spec(name));
            let inner = render(&without_text(&svg, |t| t.contains("<textPath")));
            let bare = render(&without_text(&svg, |_| true));
            let changed = differences(&inner, &bare);
            assert!(!changed.is_empty());
            // The name, label and caption stay on the white disc (radius 106, its centre
            // at 128, 128).
            for (x, y) in changed {
                let r = ((x - 128.0).powi(2) + (y - 128.0).powi(2)).sqrt();
                assert!(r < 106.0, "{name}: text at ({x}, {y}), {r} from the centre");
            }
            // The issuer stays on the ring, away from its sides.
            let issuer = render(&without_text(&svg, |t| !t.contains("<textPath")));
            for (x, y) in differences(&issuer, &bare) {
                let r = ((x - 128.0).powi(2) + (y - 128.0).powi(2)).sqrt();
                assert!(
                    (106.0..124.5).contains(&r) && y < 100.0,
                    "issuer at ({x}, {y})"
                );
            }
        }
    }

    #[test]
    fn two_renders_are_byte_identical() {
        let svg = badge_svg(&spec(LONG_NAME));
        assert_eq!(
            render_png(&svg).expect("renders"),
            render_png(&svg).expect("renders")
        );
    }

    #[test]
    fn badges_made_before_the_bundled_font_still_get_their_text() {
        // As badges were written before: Arial, which the bundled fonts answer for.
        let old = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 256 256" width="256" height="256"><circle cx="128" cy="128" r="124" fill="#005eb8"/><circle cx="128" cy="128" r="108" fill="#ffffff"/><text x="128" y="163" font-family="Arial, Helvetica, sans-serif" text-anchor="middle" font-size="14" font-weight="bold" fill="#212b32">Foundational AI</text></svg>"##;
        let changed = differences(&render(old), &render(&without_text(old, |_| true)));
        assert!(count_in(&changed, (60.0, 196.0), (148.0, 168.0)) > 400);
    }

    #[test]
    fn only_the_bundled_faces_are_loaded() {
        let db = fonts();
        assert_eq!(db.len(), 2);
        for face in db.faces() {
            assert!(
                face.families.iter().any(|(f, _)| f == badge_font::FAMILY),
                "{:?}",
                face.families
            );
        }
    }
}
