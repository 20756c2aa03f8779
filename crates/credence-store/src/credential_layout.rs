//! How an award's signed credential is stored (issue 22): the embedded achievement, the same
//! bytes in every credential of one achievement version, is cut out of the signed text and
//! kept once as a *part* named by its SHA-256; the award row keeps the rest of the text
//! compressed (zstd, with the part as its dictionary: the results and evidence repeat the
//! achievement's alignments and URLs), the byte offset the part goes back in at, and the
//! SHA-256 of the whole signed text.
//!
//! The layout never changes a byte: [`split`] keeps a credential whole unless unpacking
//! what it would store gives exactly the text it was given, and a read ([`unpack`], then
//! [`check_whole`]) fails rather than return text whose hash is not the one recorded.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

use serde_json::value::RawValue;
use sha2::{Digest, Sha256};
use zstd::dict::{DecoderDictionary, EncoderDictionary};

use crate::StoreError;

/// A part shorter than this is left in the award's own text (not worth a lookup).
const MIN_PART_BYTES: usize = 512;

/// How many parts the in-memory cache holds before it starts again (one per achievement
/// version in use; a part is immutable, so a cached one never goes stale).
const CACHE_PARTS: usize = 256;

/// zstd's level for the rest of a credential (its default: the dictionary does the work).
const LEVEL: i32 = 3;

/// The largest credential a stored row may unpack to (a bound against a corrupt frame).
const MAX_CREDENTIAL_BYTES: u64 = 16 * 1024 * 1024;

/// The SHA-256 of `text`.
pub(crate) fn sha256(text: &str) -> Vec<u8> {
    Sha256::digest(text.as_bytes()).to_vec()
}

/// A shared part of credentials: its id (the SHA-256 of its text) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Part {
    pub id: Vec<u8>,
    /// Shared with the cache's entry: a part is tens of kilobytes, the same for every
    /// award of one achievement version.
    pub text: Arc<str>,
}

/// A part as the cache holds it: its text and its zstd dictionaries (prepared once).
pub(crate) struct PartEntry {
    text: Arc<str>,
    decoder: OnceLock<DecoderDictionary<'static>>,
    encoder: OnceLock<EncoderDictionary<'static>>,
}

impl PartEntry {
    fn new(text: String) -> Self {
        Self {
            text: Arc::from(text),
            decoder: OnceLock::new(),
            encoder: OnceLock::new(),
        }
    }

    fn decoder(&self) -> &DecoderDictionary<'static> {
        self.decoder
            .get_or_init(|| DecoderDictionary::copy(self.text.as_bytes()))
    }

    fn encoder(&self) -> &EncoderDictionary<'static> {
        self.encoder
            .get_or_init(|| EncoderDictionary::copy(self.text.as_bytes(), LEVEL))
    }
}

/// A credential as stored: `text` for the row's `credential` (the whole credential, or
/// empty when `packed` holds it), the zstd frame of the text less its part, the part and
/// the byte offset it goes back in at, and the SHA-256 of the whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Layout {
    pub text: String,
    pub packed: Option<Vec<u8>>,
    pub part: Option<(Part, i64)>,
    pub sha256: Vec<u8>,
}

/// The layout of `text`: its `credentialSubject.achievement` cut out when there is one (of at
/// least [`MIN_PART_BYTES`]) and the rest packed with it as the dictionary; a credential
/// without one packed alone if that is smaller; whole whenever unpacking what would be
/// stored does not give `text` back.
pub(crate) fn split(text: &str, cache: &PartCache) -> Layout {
    let sha256 = sha256(text);
    let whole = || Layout {
        text: text.to_owned(),
        packed: None,
        part: None,
        sha256: sha256.clone(),
    };
    let cut = achievement_span(text).and_then(|(start, end)| {
        let (head, part, tail) = (text.get(..start)?, text.get(start..end)?, text.get(end..)?);
        Some((format!("{head}{tail}"), part, start))
    });
    let layout = match cut {
        Some((rest, part, at)) => {
            // The part of every award of an achievement version is the same text: found by
            // comparing it with the parts kept, it is not hashed again.
            let (id, entry) = cache.known(part).unwrap_or_else(|| {
                let id = self::sha256(part);
                let entry = cache.trusted(&id, part);
                (id, entry)
            });
            let Ok(packed) = pack(&rest, Some(&entry)) else {
                return whole();
            };
            let at = i64::try_from(at).unwrap_or(i64::MAX);
            Layout {
                text: String::new(),
                packed: Some(packed),
                part: Some((
                    Part {
                        id,
                        text: entry.text.clone(),
                    },
                    at,
                )),
                sha256: sha256.clone(),
            }
        }
        None => match pack(text, None) {
            Ok(packed) if packed.len() < text.len() => Layout {
                text: String::new(),
                packed: Some(packed),
                part: None,
                sha256: sha256.clone(),
            },
            _ => return whole(),
        },
    };
    let entry = layout
        .part
        .as_ref()
        .map(|(p, at)| (cache.trusted(&p.id, &p.text), *at));
    // Unpacked again and compared: what is stored must give back exactly the signed text.
    let back = unpack(
        layout.text.clone(),
        layout.packed.as_deref(),
        entry.as_ref().map(|(e, at)| (&**e, *at)),
    );
    match back {
        Ok(back) if back == text => layout,
        _ => whole(),
    }
}

/// The byte span of `credentialSubject.achievement` in `text`, if the text is a JSON object
/// with one (of at least [`MIN_PART_BYTES`]).
fn achievement_span(text: &str) -> Option<(usize, usize)> {
    let top: HashMap<&str, &RawValue> = serde_json::from_str(text).ok()?;
    let subject: HashMap<&str, &RawValue> =
        serde_json::from_str(top.get("credentialSubject")?.get()).ok()?;
    let raw = subject.get("achievement")?.get();
    if raw.len() < MIN_PART_BYTES {
        return None;
    }
    // `raw` borrows from `text`: its place in `text` is the distance between the two.
    let start = (raw.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    let end = start.checked_add(raw.len())?;
    (text.get(start..end) == Some(raw)).then_some((start, end))
}

/// `text` compressed, with `part` as the dictionary when there is one.
fn pack(text: &str, part: Option<&PartEntry>) -> std::io::Result<Vec<u8>> {
    let mut compressor = match part {
        Some(part) => zstd::bulk::Compressor::with_prepared_dictionary(part.encoder())?,
        None => zstd::bulk::Compressor::new(LEVEL)?,
    };
    compressor.compress(text.as_bytes())
}

/// The whole credential of a stored row: `text` when nothing is packed; otherwise the
/// packed rest, unpacked (with the part as dictionary) and with the part put back at `at`.
pub(crate) fn unpack(
    text: String,
    packed: Option<&[u8]>,
    part: Option<(&PartEntry, i64)>,
) -> Result<String, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("a stored credential: {what}"));
    let Some(packed) = packed else {
        return match part {
            None => Ok(text),
            Some(_) => Err(corrupt("a part without a packed rest")),
        };
    };
    let size = zstd::zstd_safe::get_frame_content_size(packed)
        .ok()
        .flatten()
        .filter(|size| *size <= MAX_CREDENTIAL_BYTES)
        .ok_or_else(|| corrupt("not a zstd frame of a known size"))?;
    let size = usize::try_from(size).map_err(|_| corrupt("too large"))?;
    let mut decompressor = match part {
        Some((part, _)) => zstd::bulk::Decompressor::with_prepared_dictionary(part.decoder()),
        None => zstd::bulk::Decompressor::new(),
    }
    .map_err(|e| corrupt(&e.to_string()))?;
    let rest = decompressor
        .decompress(packed, size)
        .map_err(|e| corrupt(&e.to_string()))?;
    let rest = String::from_utf8(rest).map_err(|_| corrupt("not UTF-8"))?;
    match part {
        None => Ok(rest),
        Some((part, at)) => {
            let at = usize::try_from(at).map_err(|_| corrupt("a negative offset"))?;
            let (Some(head), Some(tail)) = (rest.get(..at), rest.get(at..)) else {
                return Err(corrupt("an offset outside the text"));
            };
            Ok(format!("{head}{}{tail}", part.text))
        }
    }
}

/// `text` if its SHA-256 is `expected`; otherwise an error naming `what` (never other bytes).
pub(crate) fn check_whole(text: String, expected: &[u8], what: &str) -> Result<String, StoreError> {
    if sha256(&text) == expected {
        Ok(text)
    } else {
        Err(StoreError::Corrupt(format!(
            "{what}: the stored credential does not hash to the SHA-256 recorded when it was signed"
        )))
    }
}

/// Parts by id, each checked against its id (or made from text just hashed) before it is
/// kept, with their prepared dictionaries.
#[derive(Clone, Default)]
pub(crate) struct PartCache(Arc<RwLock<HashMap<Vec<u8>, Arc<PartEntry>>>>);

impl PartCache {
    pub(crate) fn get(&self, id: &[u8]) -> Option<Arc<PartEntry>> {
        self.0
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(id)
            .cloned()
    }

    fn keep(&self, id: &[u8], entry: Arc<PartEntry>) -> Arc<PartEntry> {
        let mut map = self
            .0
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() >= CACHE_PARTS {
            map.clear();
        }
        map.entry(id.to_vec()).or_insert(entry).clone()
    }

    /// The id and entry of a kept part whose text is exactly `text` (compared byte for
    /// byte: no hash is trusted to stand for the text here).
    fn known(&self, text: &str) -> Option<(Vec<u8>, Arc<PartEntry>)> {
        self.0
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .find(|(_, entry)| entry.text.len() == text.len() && &*entry.text == text)
            .map(|(id, entry)| (id.clone(), entry.clone()))
    }

    /// The entry of a part whose `id` the caller has just computed from `text`.
    fn trusted(&self, id: &[u8], text: &str) -> Arc<PartEntry> {
        match self.get(id) {
            Some(entry) => entry,
            None => self.keep(id, Arc::new(PartEntry::new(text.to_owned()))),
        }
    }

    /// Keeps `text`, read from the database, as the part `id` if it hashes to `id`; an
    /// error otherwise.
    pub(crate) fn checked_insert(
        &self,
        id: &[u8],
        text: String,
    ) -> Result<Arc<PartEntry>, StoreError> {
        if sha256(&text) != id {
            return Err(StoreError::Corrupt(format!(
                "the credential part {} does not hash to its id",
                hex(id)
            )));
        }
        Ok(self.keep(id, Arc::new(PartEntry::new(text))))
    }
}

/// Lower-case hexadecimal, for messages.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A credential shaped like Credence's, from generated strings: the achievement holds
    /// `name` and `text` (any Unicode, escapes, repeated runs), and so may the rest.
    fn credential(name: &str, text: &str, subject_first: bool, pretty: bool) -> String {
        let achievement = serde_json::json!({
            "id": format!("urn:uuid:{name}"),
            "type": ["Achievement"],
            "name": name,
            "description": text.repeat(1 + MIN_PART_BYTES / text.len().max(1)),
            "criteria": {"narrative": format!("{text}\"\\\u{2028}{name}")},
        });
        let mut doc = serde_json::Map::new();
        let subject = serde_json::json!({"type": ["AchievementSubject"], "achievement": achievement, "name": text});
        if subject_first {
            doc.insert("credentialSubject".into(), subject.clone());
        }
        doc.insert(
            "@context".into(),
            serde_json::json!(["https://www.w3.org/ns/credentials/v2"]),
        );
        doc.insert("name".into(), serde_json::json!(name));
        if !subject_first {
            doc.insert("credentialSubject".into(), subject);
        }
        doc.insert(
            "evidence".into(),
            serde_json::json!([{"narrative": text.repeat(3)}]),
        );
        doc.insert(
            "proof".into(),
            serde_json::json!({"proofValue": format!("z{text}")}),
        );
        let value = serde_json::Value::Object(doc);
        if pretty {
            serde_json::to_string_pretty(&value).unwrap_or_default()
        } else {
            value.to_string()
        }
    }

    /// Splits `text`, reads it back as a fresh process would (the part from "the
    /// database", checked), and checks it is `text`.
    fn round_trip(text: &str) -> Layout {
        let layout = split(text, &PartCache::default());
        let reader = PartCache::default();
        let part = layout.part.as_ref().map(|(part, at)| {
            assert_eq!(part.id, sha256(&part.text));
            let entry = reader
                .checked_insert(&part.id, part.text.to_string())
                .expect("the part checks");
            (entry, *at)
        });
        let back = unpack(
            layout.text.clone(),
            layout.packed.as_deref(),
            part.as_ref().map(|(e, at)| (&**e, *at)),
        )
        .expect("unpacks");
        assert_eq!(back, text);
        assert_eq!(
            check_whole(back, &layout.sha256, "test").ok().as_deref(),
            Some(text)
        );
        layout
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Split and rebuild is the identity on credentials with any strings in them, and
        /// the part is cut out whenever the achievement is large enough.
        #[test]
        fn split_then_rebuild_is_the_identity(
            name in "\\PC{0,40}",
            text in "(\\PC|[\"\\\\/\u{0}-\u{1f}\u{2028}\u{1F600}]){1,80}",
            subject_first: bool,
            pretty: bool,
        ) {
            let layout = round_trip(&credential(&name, &text, subject_first, pretty));
            prop_assert!(layout.part.is_some());
            prop_assert!(layout.text.is_empty());
        }

        /// Any text at all, JSON or not, comes back byte for byte.
        #[test]
        fn any_text_comes_back(text in "\\PC{0,300}|(\\{\"credentialSubject\":\\{\"achievement\":\\PC{0,600}\\}\\})") {
            round_trip(&text);
        }
    }

    #[test]
    fn odd_documents_are_kept_whole_or_come_back_exactly() {
        let big = "x".repeat(MIN_PART_BYTES);
        for text in [
            String::new(),
            "[]".to_owned(),
            "{\"credentialSubject\":[{\"achievement\":1}]}".to_owned(),
            format!("{{\"credentialSubject\":{{\"achievement\":\"{big}\"}}}}"),
            // A duplicate key: whichever span is cut, the text comes back.
            format!("{{\"credentialSubject\":{{\"achievement\":\"{big}a\",\"achievement\":\"{big}b\"}}}}"),
            format!("{{\"credentialSubject\" : {{ \"achievement\" :\n\"{big}\" }} }}  "),
            // An escaped key cannot be borrowed: kept whole (packed alone).
            format!("{{\"credential\\u0053ubject\":{{\"achievement\":\"{big}\"}}}}"),
        ] {
            round_trip(&text);
        }
    }

    #[test]
    fn a_changed_part_rest_or_offset_is_refused() {
        let text = credential("n", "some text", false, false);
        let layout = split(&text, &PartCache::default());
        let (part, at) = layout.part.clone().expect("a part");
        let packed = layout.packed.clone().expect("packed");
        let cache = PartCache::default();
        let tampered = part.text.replacen("some", "s0me", 1);
        assert!(cache.checked_insert(&part.id, tampered).is_err());
        assert!(cache.get(&part.id).is_none());
        let good = cache
            .checked_insert(&part.id, part.text.to_string())
            .expect("checks");
        let read = |packed: &[u8], at: i64| {
            unpack(String::new(), Some(packed), Some((&*good, at)))
                .and_then(|t| check_whole(t, &layout.sha256, "award"))
        };
        assert_eq!(read(&packed, at).ok(), Some(text.clone()));
        assert!(read(&packed, at + 1).is_err());
        assert!(read(&packed, i64::MAX).is_err());
        assert!(read(&packed[..packed.len() - 1], at).is_err());
        // Another award's rest (of another achievement, with other strings).
        let other = credential("an other", "quite different words", false, false);
        let other = split(&other, &PartCache::default());
        assert!(read(other.packed.as_deref().expect("packed"), at).is_err());
    }
}
