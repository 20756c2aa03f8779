//! Baked badges: an award's credential carried inside its achievement's badge image, as SVG
//! (Open Badges baking in an `openbadges:credential` element) or as PNG (an `iTXt` chunk
//! of a raster rendering of the same SVG), so a holder can hand over one file that any
//! Open Badges verifier, and Credence's `/verify` page, can check.

use std::sync::{Arc, OnceLock};

use credence_vc::baking::{bake_png, bake_svg, BakedCredential};
use resvg::usvg::{self, fontdb};
use serde_json::Value;

use crate::evidence::Download;
use crate::registry::Registry;
use crate::{Actor, ServiceError};

/// The image format of a baked badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadgeFormat {
    Svg,
    Png,
}

/// The side of a PNG badge, in pixels (the SVG is drawn at 256 and scaled).
const PNG_SIDE: u32 = 512;

/// The fonts badge text is drawn with: the system's, loaded once per process.
fn fonts() -> Arc<fontdb::Database> {
    static FONTS: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = fontdb::Database::new();
            db.load_system_fonts();
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
    let tree = usvg::Tree::from_str(svg, &options)
        .map_err(|e| ServiceError::Internal(format!("badge SVG does not parse: {e}")))?;
    let size = tree.size();
    let scale = PNG_SIDE as f32 / size.width().max(size.height()).max(1.0);
    let mut pixmap = resvg::tiny_skia::Pixmap::new(PNG_SIDE, PNG_SIDE)
        .ok_or_else(|| ServiceError::Internal("cannot allocate the badge image".into()))?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| ServiceError::Internal(format!("cannot encode the badge image: {e}")))
}

impl Registry {
    /// The award's badge image with its credential baked in, for whoever may see the
    /// credential (see [`Registry::credential_text`]).
    pub async fn baked_badge(
        &self,
        actor: &Actor,
        award_id: &str,
        format: BadgeFormat,
    ) -> Result<Download, ServiceError> {
        let text = self.credential_text(actor, award_id).await?;
        let credential: Value =
            serde_json::from_str(&text).map_err(|e| ServiceError::Internal(e.to_string()))?;
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
        let svg = self.achievement_image(&achievement_id).await?;
        let baked = BakedCredential::Json(credential);
        let bake_error =
            |e: credence_vc::baking::BakingError| ServiceError::Internal(e.to_string());
        Ok(match format {
            BadgeFormat::Svg => Download {
                file_name: format!("credential-{award_id}.svg"),
                media_type: "image/svg+xml".into(),
                content: bake_svg(&svg, &baked).map_err(bake_error)?.into_bytes(),
            },
            BadgeFormat::Png => {
                let png = tokio::task::spawn_blocking(move || render_png(&svg))
                    .await
                    .map_err(|e| ServiceError::Internal(e.to_string()))??;
                Download {
                    file_name: format!("credential-{award_id}.png"),
                    media_type: "image/png".into(),
                    content: bake_png(&png, &baked).map_err(bake_error)?,
                }
            }
        })
    }
}
