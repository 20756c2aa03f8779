//! The font badge text is set in, and the width of text in it: Noto Sans Regular and Bold
//! (Apache-2.0, from the `ttf-noto-sans` crate) are compiled into Credence so a badge is
//! drawn the same on every machine, and the badge's lines are wrapped and cut by their
//! width in that font, so that they fit the space they are drawn in.

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

/// The family name of the bundled font, as the badge SVG names it.
pub const FAMILY: &str = "Noto Sans";

/// Noto Sans Regular, a TrueType file.
pub const REGULAR: &[u8] = ttf_noto_sans::REGULAR;

/// Noto Sans Bold, a TrueType file.
pub const BOLD: &[u8] = ttf_noto_sans::BOLD;

/// What ends a line that was cut.
const ELLIPSIS: char = '…';

/// A face and size of the bundled font: what measures a piece of badge text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pen {
    /// The font size, in the badge's units.
    pub size: f32,
    /// Bold (`true`) or regular.
    pub bold: bool,
}

impl Pen {
    /// The advance width of `text` in this face and size: the sum of its glyphs' advances,
    /// as wide as the renderer draws it or a little wider (kerning only narrows it).
    /// A character the font lacks counts as wide as its "missing glyph" box.
    pub fn width(&self, text: &str) -> f32 {
        let data = if self.bold { BOLD } else { REGULAR };
        let Ok(font) = FontRef::new(data) else {
            // The bundled files always parse (a test checks); be generous if not.
            return text.chars().count() as f32 * self.size;
        };
        let charmap = font.charmap();
        let metrics = font.glyph_metrics(Size::new(self.size), LocationRef::default());
        text.chars()
            .map(|c| {
                let glyph = charmap.map(c).unwrap_or_default();
                metrics.advance_width(glyph).unwrap_or(self.size)
            })
            .sum()
    }
}

/// `line` cut at its end until it fits `max` with an ellipsis after it, which it always
/// gets (it is used for lines that lost what came after them).
fn ellipsize(line: &str, max: f32, width: &dyn Fn(&str) -> f32) -> String {
    let mut cut = line.trim_end().to_owned();
    loop {
        let candidate = format!("{cut}{ELLIPSIS}");
        if cut.is_empty() || width(&candidate) <= max {
            return candidate;
        }
        cut.pop();
        cut.truncate(cut.trim_end().len());
    }
}

/// `text` as it is if it fits `max`, or cut with an ellipsis so that it does.
pub fn fit(text: &str, max: f32, width: &dyn Fn(&str) -> f32) -> String {
    if width(text) <= max {
        text.to_owned()
    } else {
        ellipsize(text, max, width)
    }
}

/// The longest start of `word` that fits `max` (at least its first character).
fn head_that_fits(word: &str, max: f32, width: &dyn Fn(&str) -> f32) -> String {
    let mut head = String::new();
    for c in word.chars() {
        head.push(c);
        if head.chars().count() > 1 && width(&head) > max {
            head.pop();
            break;
        }
    }
    head
}

/// Splits `text` into at most `lines` lines no wider than `max`, breaking at spaces where it
/// can (a word wider than a line is cut); what does not fit ends the last line with an
/// ellipsis.
pub fn wrap(text: &str, max: f32, lines: usize, width: &dyn Fn(&str) -> f32) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut overflow = false;
    'words: for word in text.split_whitespace() {
        let mut word = word.to_owned();
        while !word.is_empty() {
            let candidate = if current.is_empty() {
                word.clone()
            } else {
                format!("{current} {word}")
            };
            if width(&candidate) <= max {
                current = candidate;
                break;
            }
            if current.is_empty() {
                let head = head_that_fits(&word, max, width);
                word = word[head.len()..].to_owned();
                out.push(head);
            } else {
                out.push(std::mem::take(&mut current));
            }
            if out.len() >= lines {
                overflow = true;
                break 'words;
            }
        }
    }
    if overflow {
        if let Some(last) = out.last_mut() {
            *last = ellipsize(last, max, width);
        }
    } else if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One unit per character, so that expectations can be read off the text.
    fn chars(text: &str) -> f32 {
        text.chars().count() as f32
    }

    #[test]
    fn the_bundled_faces_parse_and_are_noto_sans() {
        for data in [REGULAR, BOLD] {
            let font = FontRef::new(data).expect("a TrueType file");
            let family = font
                .localized_strings(skrifa::string::StringId::FAMILY_NAME)
                .english_or_first()
                .expect("a family name")
                .to_string();
            assert_eq!(family, FAMILY);
        }
        // Both faces together stay well under a megabyte.
        assert!(REGULAR.len() + BOLD.len() < 600_000);
    }

    #[test]
    fn widths_come_from_the_font() {
        let regular = Pen {
            size: 10.0,
            bold: false,
        };
        let bold = Pen {
            size: 10.0,
            bold: true,
        };
        // Proportional: W is wider than i; twice the size is twice the width.
        assert!(regular.width("WWWW") > 2.0 * regular.width("iiii"));
        let double = Pen {
            size: 20.0,
            bold: false,
        };
        assert!((double.width("Badge") - 2.0 * regular.width("Badge")).abs() < 0.01);
        // Bold is wider than regular, and nothing is zero wide.
        assert!(bold.width("Foundational") > regular.width("Foundational"));
        assert_eq!(regular.width(""), 0.0);
        assert!(regular.width("漢") > 0.0);
        // Noto Sans sets "Foundational" at about 6 units a letter at size 10.
        let w = regular.width("Foundational");
        assert!((55.0..80.0).contains(&w), "{w}");
    }

    #[test]
    fn names_wrap_onto_three_lines_at_most() {
        let check = |text: &str, expected: &[&str]| {
            assert_eq!(wrap(text, 20.0, 3, &chars), expected, "{text:?}");
        };
        check(
            "Foundational AI education",
            &["Foundational AI", "education"],
        );
        check(
            "Advanced AI education for Embedders",
            &["Advanced AI", "education for", "Embedders"],
        );
        check(
            "Product-specific AI training",
            &["Product-specific AI", "training"],
        );
        check("", &[]);
        check("   ", &[]);
        check("Short", &["Short"]);
        check(
            "Averyveryverylongwordthatgoesonandon",
            &["Averyveryverylongwor", "dthatgoesonandon"],
        );
        check(
            "one two three four five six seven eight nine ten eleven twelve",
            &[
                "one two three four",
                "five six seven eight",
                "nine ten eleven…",
            ],
        );
        check(
            "Averyveryverylongwordthatgoesonandonandonandonandonandonandonandon",
            &[
                "Averyveryverylongwor",
                "dthatgoesonandonando",
                "nandonandonandonand…",
            ],
        );
    }

    #[test]
    fn lines_fit_their_width_in_the_font() {
        let pen = Pen {
            size: 14.0,
            bold: true,
        };
        let width = |t: &str| pen.width(t);
        let name = "Advanced AI education for Embedders of clinical decision support \
                    systems in Wolverhampton and Westminster";
        let lines = wrap(name, 176.0, 3, &width);
        assert_eq!(lines.len(), 3, "{lines:?}");
        for line in &lines {
            assert!(pen.width(line) <= 176.0, "{line:?}");
        }
        assert!(lines[2].ends_with('…'), "{lines:?}");
        // Wide letters take more room than narrow ones: fewer Ws fit on a line than is.
        let ws = wrap(&"W".repeat(40), 176.0, 1, &width);
        let is = wrap(&"i".repeat(40), 176.0, 1, &width);
        assert!(ws[0].chars().count() < is[0].chars().count());
    }

    #[test]
    fn fit_cuts_with_an_ellipsis_only_when_needed() {
        assert_eq!(fit("short", 22.0, &chars), "short");
        assert_eq!(
            fit("ChestScan triage 2.1.0 build 2026", 22.0, &chars),
            "ChestScan triage 2.1.…"
        );
        assert_eq!(fit("ab   cdef", 4.0, &chars), "ab…");
        assert_eq!(fit("abc", 0.0, &chars), "…");
    }
}
