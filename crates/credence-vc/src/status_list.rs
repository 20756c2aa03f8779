//! W3C Bitstring Status List v1.0: the bitstring, its `encodedList` form, and the JSON of
//! status list credentials and of the status entries that point into them.
//!
//! A status list is a string of bits, one per credential; bit `i` set means the credential
//! whose entry names index `i` is revoked (or suspended, depending on the list's purpose).
//! Bits are numbered as the specification says: index 0 is the left-most (most significant)
//! bit of the first byte. A list holds at least [`MIN_ENTRIES`] (131,072) entries, 16 KiB,
//! so that a single credential cannot be picked out of it (herd privacy).
//!
//! `encodedList` is the GZIP-compressed bitstring, base64url-encoded without padding and
//! prefixed with the multibase code `u`. Decoding is strict: the `u` prefix is required (the
//! older StatusList2021 form without it is refused, with an error that says so), and a list
//! that decompresses to less than 16 KiB or to more than [`MAX_DECODED_BYTES`] is refused.
//!
//! Issuing writes single-bit lists for the purposes `revocation` and `suspension`
//! ([`StatusPurpose`]). Reading follows the specification's validation algorithm for any
//! entry: a `statusSize` of more than one bit (the list then holds at least 131,072
//! entries of that size), `statusMessage` (the meaning of each value, required when the size
//! is above one bit; read from the entry, or from the list's subject as earlier drafts had
//! it), and any `statusPurpose` ([`Purpose`]: `message`, `refresh` or another an ecosystem
//! defines), which the list must name among its own purposes.

use std::fmt;
use std::io::{Read, Write};
use std::str::FromStr;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, SecondsFormat, Utc};
use flate2::bufread::GzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;
use serde_json::{json, Value};

/// The smallest number of entries a status list may have (16 KiB of bits).
pub const MIN_ENTRIES: usize = 131_072;

/// The smallest decompressed bitstring accepted, in bytes (16 KiB).
pub const MIN_DECODED_BYTES: usize = MIN_ENTRIES / 8;

/// The largest decompressed bitstring accepted, in bytes (16 MiB, about 134 million
/// entries). A compressed list that expands beyond this is refused as a likely zip bomb.
pub const MAX_DECODED_BYTES: usize = 16 * 1024 * 1024;

/// The largest `encodedList` string accepted, in characters, checked before decoding.
/// Generous: a 16 MiB list of random bits compresses to about 16 MiB, 22 MiB in base64.
pub const MAX_ENCODED_CHARS: usize = 24 * 1024 * 1024;

/// The JSON-LD context of Verifiable Credentials 2.0, which defines the status list terms.
pub const VC_V2_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";

/// Why a status list could not be built, decoded or read.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum StatusListError {
    /// The requested size is below the specification's minimum.
    #[error("a status list must have at least {MIN_ENTRIES} entries, but {0} were asked for")]
    TooFewEntries(usize),
    /// The requested size is above what this implementation accepts.
    #[error("a status list may have at most {max} entries, but {0} were asked for", max = MAX_DECODED_BYTES * 8)]
    TooManyEntries(usize),
    /// An index falls outside the list.
    #[error("status list index {index} is outside the list, which has {len} entries")]
    IndexOutOfRange {
        /// The index asked for.
        index: usize,
        /// How many entries the list has.
        len: usize,
    },
    /// The encoded list lacks the multibase `u` prefix.
    #[error("the encodedList does not start with the multibase prefix 'u' (base64url){hint}")]
    MissingMultibasePrefix {
        /// Extra advice when the value looks like the older StatusList2021 form.
        hint: &'static str,
    },
    /// The encoded list is longer than this implementation accepts.
    #[error("the encodedList is {0} characters long, more than the {MAX_ENCODED_CHARS} accepted")]
    EncodedTooLong(usize),
    /// The text after `u` is not base64url without padding.
    #[error("the encodedList is not valid base64url without padding: {0}")]
    Base64(String),
    /// The decoded bytes are not a valid GZIP stream.
    #[error("the encodedList is not valid GZIP data: {0}")]
    Gzip(String),
    /// The GZIP stream is followed by more data.
    #[error("the encodedList has {0} bytes of unexpected data after the GZIP stream")]
    TrailingData(usize),
    /// The list decompresses to more than [`MAX_DECODED_BYTES`].
    #[error("the status list decompresses to more than {MAX_DECODED_BYTES} bytes and was refused (possible zip bomb)")]
    DecodedTooLarge,
    /// The list decompresses to less than 16 KiB.
    #[error("the status list decompresses to {0} bytes, less than the 16 KiB (131,072 entries) the specification requires")]
    DecodedTooSmall(usize),
    /// A status purpose other than `revocation` or `suspension`.
    #[error(
        "unsupported status purpose {0:?}: only \"revocation\" and \"suspension\" are supported"
    )]
    UnsupportedPurpose(String),
    /// The entry and the list have different purposes.
    #[error("the status entry's purpose is {entry} but the status list's purpose is {list}")]
    PurposeMismatch {
        /// The entry's purpose.
        entry: String,
        /// The list's purposes, joined by commas.
        list: String,
    },
    /// The list holds fewer than [`MIN_ENTRIES`] entries of the entry's size.
    #[error("the status list holds {entries} entries of {size} bits, fewer than the {MIN_ENTRIES} the specification requires")]
    TooShortForSize {
        /// How many entries of `size` bits the list holds.
        entries: usize,
        /// The entry's `statusSize`.
        size: u32,
    },
    /// The list credential is not the one the entry names.
    #[error("the status list credential's id {found:?} is not the entry's statusListCredential {expected:?}")]
    WrongList {
        /// The entry's `statusListCredential`.
        expected: String,
        /// The list credential's `id`.
        found: String,
    },
    /// A status list credential or entry lacks a field or has a field of the wrong kind.
    #[error("{0}")]
    Malformed(String),
}

/// What a set bit in a status list means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusPurpose {
    /// The credential is revoked, permanently.
    Revocation,
    /// The credential is suspended, possibly temporarily.
    Suspension,
}

impl StatusPurpose {
    /// The value of `statusPurpose` in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            StatusPurpose::Revocation => "revocation",
            StatusPurpose::Suspension => "suspension",
        }
    }
}

impl fmt::Display for StatusPurpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for StatusPurpose {
    type Err = StatusListError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "revocation" => Ok(StatusPurpose::Revocation),
            "suspension" => Ok(StatusPurpose::Suspension),
            other => Err(StatusListError::UnsupportedPurpose(other.to_owned())),
        }
    }
}

impl serde::Serialize for StatusPurpose {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for StatusPurpose {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// What an entry's status means, as its `statusPurpose` says: the specification's four
/// purposes or another that an ecosystem defines.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Purpose {
    /// A set status means the credential is revoked.
    Revocation,
    /// A set status means the credential is suspended.
    Suspension,
    /// A set status means the holder should fetch a fresh copy of the credential.
    Refresh,
    /// The status is a value whose meaning `statusMessage` gives.
    Message,
    /// A purpose the specification does not define.
    Other(String),
}

impl Purpose {
    /// Reads a `statusPurpose` value.
    pub fn parse(text: &str) -> Self {
        match text {
            "revocation" => Purpose::Revocation,
            "suspension" => Purpose::Suspension,
            "refresh" => Purpose::Refresh,
            "message" => Purpose::Message,
            other => Purpose::Other(other.to_owned()),
        }
    }

    /// The value of `statusPurpose`.
    pub fn as_str(&self) -> &str {
        match self {
            Purpose::Revocation => "revocation",
            Purpose::Suspension => "suspension",
            Purpose::Refresh => "refresh",
            Purpose::Message => "message",
            Purpose::Other(other) => other,
        }
    }

    /// The purpose as one this registry issues lists for, if it is.
    pub fn issued(&self) -> Option<StatusPurpose> {
        match self {
            Purpose::Revocation => Some(StatusPurpose::Revocation),
            Purpose::Suspension => Some(StatusPurpose::Suspension),
            _ => None,
        }
    }
}

impl From<StatusPurpose> for Purpose {
    fn from(purpose: StatusPurpose) -> Self {
        match purpose {
            StatusPurpose::Revocation => Purpose::Revocation,
            StatusPurpose::Suspension => Purpose::Suspension,
        }
    }
}

impl fmt::Display for Purpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The largest `statusSize` read, in bits: a status is read into a `u32`.
pub const MAX_STATUS_SIZE: u32 = 32;

/// One item of `statusMessage`: a status value and what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusMessage {
    /// The value, written in JSON as a hexadecimal string such as `"0x1"`.
    pub status: u32,
    /// What the value means, e.g. `"pending_review"`.
    pub message: String,
}

impl StatusMessage {
    /// Reads a `statusMessage` array.
    fn read_all(value: &Value, whose: &str) -> Result<Vec<Self>, StatusListError> {
        let bad =
            |why: String| StatusListError::Malformed(format!("the {whose} statusMessage {why}"));
        let Value::Array(items) = value else {
            return Err(bad("is not an array".into()));
        };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let status = item.get("status").and_then(Value::as_str);
                let parsed = status
                    .and_then(|s| s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")))
                    .filter(|hex| !hex.is_empty())
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok());
                let Some(parsed) = parsed else {
                    return Err(bad(format!(
                        "item {i} has no status written in hexadecimal (\"0x0\", \"0x1\", ...)"
                    )));
                };
                let Some(message) = item.get("message").and_then(Value::as_str) else {
                    return Err(bad(format!("item {i} has no message")));
                };
                Ok(StatusMessage {
                    status: parsed,
                    message: message.to_owned(),
                })
            })
            .collect()
    }
}

/// A status read from a list: its value and, when the list gives one, its meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusValue {
    /// The entry's `statusPurpose`.
    pub purpose: Purpose,
    /// The bits of the entry as a number (0 or 1 for single-bit entries).
    pub value: u32,
    /// The `statusMessage` text for the value, when the entry or list has one.
    pub message: Option<String>,
}

impl StatusValue {
    /// Whether the status is set (any value but zero).
    pub fn is_set(&self) -> bool {
        self.value != 0
    }
}

/// A bitstring of credential statuses, one bit per entry, index 0 the left-most bit.
#[derive(Clone, PartialEq, Eq)]
pub struct StatusList {
    bytes: Vec<u8>,
}

impl fmt::Debug for StatusList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let set = self
            .bytes
            .iter()
            .map(|b| b.count_ones() as usize)
            .sum::<usize>();
        f.debug_struct("StatusList")
            .field("entries", &self.len())
            .field("set", &set)
            .finish()
    }
}

impl Default for StatusList {
    /// A list of the minimum size, [`MIN_ENTRIES`], with every bit clear.
    fn default() -> Self {
        StatusList {
            bytes: vec![0; MIN_DECODED_BYTES],
        }
    }
}

impl StatusList {
    /// A list of at least `entries` entries, every bit clear. The size is rounded up to a
    /// whole number of bytes; it must be at least [`MIN_ENTRIES`].
    pub fn new(entries: usize) -> Result<Self, StatusListError> {
        if entries < MIN_ENTRIES {
            return Err(StatusListError::TooFewEntries(entries));
        }
        if entries > MAX_DECODED_BYTES * 8 {
            return Err(StatusListError::TooManyEntries(entries));
        }
        Ok(StatusList {
            bytes: vec![0; entries.div_ceil(8)],
        })
    }

    /// A list from its raw bitstring bytes, which must be at least 16 KiB and at most
    /// [`MAX_DECODED_BYTES`].
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, StatusListError> {
        if bytes.len() < MIN_DECODED_BYTES {
            return Err(StatusListError::DecodedTooSmall(bytes.len()));
        }
        if bytes.len() > MAX_DECODED_BYTES {
            return Err(StatusListError::DecodedTooLarge);
        }
        Ok(StatusList { bytes })
    }

    /// The raw bitstring.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// How many entries the list has (eight per byte).
    pub fn len(&self) -> usize {
        self.bytes.len() * 8
    }

    /// Always false: a list has at least [`MIN_ENTRIES`] entries.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    fn locate(&self, index: usize) -> Result<(usize, u8), StatusListError> {
        if index >= self.len() {
            return Err(StatusListError::IndexOutOfRange {
                index,
                len: self.len(),
            });
        }
        Ok((index / 8, 0x80 >> (index % 8)))
    }

    /// Whether the bit at `index` is set.
    pub fn get(&self, index: usize) -> Result<bool, StatusListError> {
        let (byte, mask) = self.locate(index)?;
        Ok(self.bytes[byte] & mask != 0)
    }

    /// Sets or clears the bit at `index`.
    pub fn set(&mut self, index: usize, value: bool) -> Result<(), StatusListError> {
        let (byte, mask) = self.locate(index)?;
        if value {
            self.bytes[byte] |= mask;
        } else {
            self.bytes[byte] &= !mask;
        }
        Ok(())
    }

    /// The `size` bits of entry `index` (bits `index * size` onwards, most significant
    /// first) as a number. `size` is 1 to [`MAX_STATUS_SIZE`].
    pub fn get_value(&self, index: usize, size: u32) -> Result<u32, StatusListError> {
        let start = self.bit_range(index, size)?;
        let mut value = 0u32;
        for bit in start..start + size as usize {
            value = (value << 1) | u32::from(self.get(bit)?);
        }
        Ok(value)
    }

    /// Writes `value` into the `size` bits of entry `index`, most significant bit first.
    pub fn set_value(
        &mut self,
        index: usize,
        size: u32,
        value: u32,
    ) -> Result<(), StatusListError> {
        let start = self.bit_range(index, size)?;
        for (offset, bit) in (start..start + size as usize).enumerate() {
            let shift = size as usize - 1 - offset;
            self.set(bit, (value >> shift) & 1 == 1)?;
        }
        Ok(())
    }

    /// The first bit of entry `index` of `size` bits, when the whole entry is in the list.
    fn bit_range(&self, index: usize, size: u32) -> Result<usize, StatusListError> {
        if size == 0 || size > MAX_STATUS_SIZE {
            return Err(StatusListError::Malformed(format!(
                "a statusSize of {size} bits cannot be read (1 to {MAX_STATUS_SIZE} can)"
            )));
        }
        let out = StatusListError::IndexOutOfRange {
            index,
            len: self.len() / size as usize,
        };
        let start = index.checked_mul(size as usize).ok_or(out.clone())?;
        match start.checked_add(size as usize) {
            Some(end) if end <= self.len() => Ok(start),
            _ => Err(out),
        }
    }

    /// The `encodedList` form: GZIP, then base64url without padding, prefixed with `u`.
    pub fn encode(&self) -> String {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        // Writing to a Vec cannot fail.
        let compressed = encoder
            .write_all(&self.bytes)
            .and_then(|()| encoder.finish())
            .unwrap_or_default();
        let mut out = String::with_capacity(1 + compressed.len().div_ceil(3) * 4);
        out.push('u');
        URL_SAFE_NO_PAD.encode_string(&compressed, &mut out);
        out
    }

    /// Decodes an `encodedList` value. See the module documentation for what is refused.
    pub fn decode(encoded: &str) -> Result<Self, StatusListError> {
        if encoded.len() > MAX_ENCODED_CHARS {
            return Err(StatusListError::EncodedTooLong(encoded.len()));
        }
        let Some(b64) = encoded.strip_prefix('u') else {
            // Every GZIP stream starts 1f 8b 08, which is "H4sI" in base64.
            let hint = if encoded.starts_with("H4sI") {
                ": it looks like the older StatusList2021 encoding, which Bitstring Status List v1.0 does not allow"
            } else {
                ""
            };
            return Err(StatusListError::MissingMultibasePrefix { hint });
        };
        let compressed = URL_SAFE_NO_PAD
            .decode(b64)
            .map_err(|e| StatusListError::Base64(e.to_string()))?;
        let mut decoder = GzDecoder::new(compressed.as_slice());
        let mut bytes = Vec::new();
        (&mut decoder)
            .take(MAX_DECODED_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| StatusListError::Gzip(e.to_string()))?;
        if bytes.len() > MAX_DECODED_BYTES {
            return Err(StatusListError::DecodedTooLarge);
        }
        let rest = decoder.into_inner().len();
        if rest != 0 {
            return Err(StatusListError::TrailingData(rest));
        }
        StatusList::from_bytes(bytes)
    }
}

/// The unsigned `BitstringStatusListCredential` (VC 2.0) publishing `list` at `list_url`.
///
/// The credential's `id` is `list_url`; its subject's `id` is `{list_url}#list`.
/// `valid_from` is written with seconds precision and `Z`.
pub fn status_list_credential(
    list_url: &str,
    issuer: &str,
    purpose: StatusPurpose,
    list: &StatusList,
    valid_from: DateTime<Utc>,
) -> Value {
    json!({
        "@context": [VC_V2_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": valid_from.to_rfc3339_opts(SecondsFormat::Secs, true),
        "credentialSubject": {
            "id": format!("{list_url}#list"),
            "type": "BitstringStatusList",
            "statusPurpose": purpose.as_str(),
            "encodedList": list.encode(),
        }
    })
}

/// A `BitstringStatusListEntry` for a credential's `credentialStatus`, pointing at entry
/// `index` of the list published at `list_url`. Its `id` is `{list_url}#{index}` and
/// `statusListIndex` is the index as a decimal string, as the specification requires.
pub fn status_list_entry(list_url: &str, index: usize, purpose: StatusPurpose) -> Value {
    json!({
        "id": format!("{list_url}#{index}"),
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose.as_str(),
        "statusListIndex": index.to_string(),
        "statusListCredential": list_url,
    })
}

/// A `BitstringStatusListEntry` as read from a credential's `credentialStatus`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusEntry {
    /// The URL of the status list credential.
    pub list_url: String,
    /// The entry's index in the list (counted in entries of `size` bits).
    pub index: usize,
    /// The entry's purpose.
    pub purpose: Purpose,
    /// The entry's `statusSize` in bits (1 when absent).
    pub size: u32,
    /// The entry's `statusMessage`, when it has one.
    pub messages: Option<Vec<StatusMessage>>,
}

fn str_field<'a>(value: &'a Value, field: &str, what: &str) -> Result<&'a str, StatusListError> {
    match value.get(field) {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(StatusListError::Malformed(format!(
            "the {what}'s {field} is not a string"
        ))),
        None => Err(StatusListError::Malformed(format!(
            "the {what} has no {field}"
        ))),
    }
}

fn has_type(value: &Value, wanted: &str) -> bool {
    match value.get("type") {
        Some(Value::String(s)) => s == wanted,
        Some(Value::Array(types)) => types.iter().any(|t| t.as_str() == Some(wanted)),
        _ => false,
    }
}

impl StatusEntry {
    /// A single-bit entry, as this registry issues them.
    pub fn single_bit(list_url: &str, index: usize, purpose: StatusPurpose) -> Self {
        StatusEntry {
            list_url: list_url.to_owned(),
            index,
            purpose: purpose.into(),
            size: 1,
            messages: None,
        }
    }

    /// Reads a `BitstringStatusListEntry` object. `statusListIndex` must be a string of
    /// decimal digits (no sign, no spaces), as the specification requires; `statusSize`,
    /// when present, a whole number of bits from 1 to [`MAX_STATUS_SIZE`].
    pub fn from_json(entry: &Value) -> Result<Self, StatusListError> {
        const WHAT: &str = "status entry";
        if !entry.is_object() {
            return Err(StatusListError::Malformed(
                "the status entry is not a JSON object".into(),
            ));
        }
        if !has_type(entry, "BitstringStatusListEntry") {
            return Err(StatusListError::Malformed(
                "the status entry's type is not BitstringStatusListEntry".into(),
            ));
        }
        let purpose = Purpose::parse(str_field(entry, "statusPurpose", WHAT)?);
        let index_text = str_field(entry, "statusListIndex", WHAT)?;
        if index_text.is_empty() || !index_text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(StatusListError::Malformed(format!(
                "the status entry's statusListIndex {index_text:?} is not a string of decimal digits"
            )));
        }
        let index = index_text.parse::<usize>().map_err(|_| {
            StatusListError::Malformed(format!(
                "the status entry's statusListIndex {index_text:?} is too large"
            ))
        })?;
        let list_url = str_field(entry, "statusListCredential", WHAT)?.to_owned();
        let size = match entry.get("statusSize") {
            None => 1,
            Some(size) => size
                .as_u64()
                .filter(|s| (1..=u64::from(MAX_STATUS_SIZE)).contains(s))
                .and_then(|s| u32::try_from(s).ok())
                .ok_or_else(|| {
                    StatusListError::Malformed(format!(
                        "the status entry's statusSize is {size}, but it must be a whole number of bits from 1 to {MAX_STATUS_SIZE}"
                    ))
                })?,
        };
        let messages = entry
            .get("statusMessage")
            .map(|m| StatusMessage::read_all(m, "status entry's"))
            .transpose()?;
        Ok(StatusEntry {
            list_url,
            index,
            purpose,
            size,
            messages,
        })
    }
}

/// The `credentialSubject` of a `BitstringStatusListCredential`, checked for its types.
fn list_subject(credential: &Value) -> Result<&Value, StatusListError> {
    if !has_type(credential, "BitstringStatusListCredential") {
        return Err(StatusListError::Malformed(
            "the credential's type does not include BitstringStatusListCredential".into(),
        ));
    }
    let subject = match credential.get("credentialSubject") {
        Some(s @ Value::Object(_)) => s,
        Some(_) => {
            return Err(StatusListError::Malformed(
                "the status list credential's credentialSubject is not a single object".into(),
            ))
        }
        None => {
            return Err(StatusListError::Malformed(
                "the status list credential has no credentialSubject".into(),
            ))
        }
    };
    if !has_type(subject, "BitstringStatusList") {
        return Err(StatusListError::Malformed(
            "the status list credential's subject type is not BitstringStatusList".into(),
        ));
    }
    Ok(subject)
}

const SUBJECT: &str = "status list credential's subject";

/// The purposes a list's subject names: one string, or an array of them.
fn list_purposes(subject: &Value) -> Result<Vec<&str>, StatusListError> {
    match subject.get("statusPurpose") {
        Some(Value::Array(items)) if !items.is_empty() => items
            .iter()
            .map(|p| {
                p.as_str().ok_or_else(|| {
                    StatusListError::Malformed(format!(
                        "the {SUBJECT}'s statusPurpose holds something other than strings"
                    ))
                })
            })
            .collect(),
        _ => Ok(vec![str_field(subject, "statusPurpose", SUBJECT)?]),
    }
}

/// Reads the purpose and the decoded list of a `BitstringStatusListCredential` of one of the
/// purposes this registry issues. It does not check the credential's proof or validity
/// period; the caller does.
pub fn read_status_list_credential(
    credential: &Value,
) -> Result<(StatusPurpose, StatusList), StatusListError> {
    let subject = list_subject(credential)?;
    let purpose = str_field(subject, "statusPurpose", SUBJECT)?.parse()?;
    let list = StatusList::decode(str_field(subject, "encodedList", SUBJECT)?)?;
    Ok((purpose, list))
}

/// The status of the credential behind `entry` according to `list_credential`, the status
/// list credential it names, following the specification's validation algorithm: the list
/// must be the one named, name the entry's purpose, and hold at least [`MIN_ENTRIES`]
/// entries of the entry's size, which must reach the index. An entry of more than one bit
/// needs a `statusMessage` (the entry's, else the list subject's) with one message for each
/// of its values. The caller checks the list credential's proof, issuer and validity period
/// first.
pub fn read_status(
    entry: &StatusEntry,
    list_credential: &Value,
) -> Result<StatusValue, StatusListError> {
    let found = list_credential
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if found != entry.list_url {
        return Err(StatusListError::WrongList {
            expected: entry.list_url.clone(),
            found: found.to_owned(),
        });
    }
    let subject = list_subject(list_credential)?;
    let purposes = list_purposes(subject)?;
    if !purposes.contains(&entry.purpose.as_str()) {
        return Err(StatusListError::PurposeMismatch {
            entry: entry.purpose.to_string(),
            list: purposes.join(", "),
        });
    }
    let messages = match (&entry.messages, subject.get("statusMessage")) {
        (Some(messages), _) => Some(messages.clone()),
        (None, Some(m)) => Some(StatusMessage::read_all(m, SUBJECT)?),
        (None, None) => None,
    };
    let values = 1u64 << entry.size.min(MAX_STATUS_SIZE);
    match &messages {
        None if entry.size > 1 => {
            return Err(StatusListError::Malformed(format!(
                "the status entry's statusSize is {} bits, but no statusMessage says what its values mean",
                entry.size
            )))
        }
        Some(m) if m.len() as u64 != values => {
            return Err(StatusListError::Malformed(format!(
                "the statusMessage has {} items, but an entry of {} bits has {values} values, each needing one",
                m.len(),
                entry.size
            )))
        }
        _ => {}
    }
    let list = StatusList::decode(str_field(subject, "encodedList", SUBJECT)?)?;
    let entries = list.len() / entry.size as usize;
    if entries < MIN_ENTRIES {
        return Err(StatusListError::TooShortForSize {
            entries,
            size: entry.size,
        });
    }
    let value = list.get_value(entry.index, entry.size)?;
    let message = messages
        .and_then(|m| m.into_iter().find(|m| m.status == value))
        .map(|m| m.message);
    Ok(StatusValue {
        purpose: entry.purpose.clone(),
        value,
        message,
    })
}

/// Whether the credential behind `entry` is revoked or suspended (per the entry's purpose)
/// according to `list_credential`: [`read_status`], set or not.
pub fn check_status(entry: &StatusEntry, list_credential: &Value) -> Result<bool, StatusListError> {
    read_status(entry, list_credential).map(|status| status.is_set())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `encodedList` of the status list credential example in Bitstring Status List v1.0
    /// (the example `BitstringStatusListCredential`): 16 KiB of zero bits.
    const SPEC_EXAMPLE: &str =
        "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA";

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::fast());
        e.write_all(bytes).expect("write to Vec");
        e.finish().expect("finish to Vec")
    }

    fn encode_raw(compressed: &[u8]) -> String {
        format!("u{}", URL_SAFE_NO_PAD.encode(compressed))
    }

    #[test]
    fn spec_example_decodes_to_an_empty_minimum_list() {
        let list = StatusList::decode(SPEC_EXAMPLE).expect("spec example decodes");
        assert_eq!(list.len(), MIN_ENTRIES);
        assert!(list.as_bytes().iter().all(|&b| b == 0));
        assert_eq!(list, StatusList::default());
    }

    /// An `encodedList` made by another implementation, the Python `openbadgeslib` 4.6.3
    /// (`encode_bitstring([0, 7, 8, 94567, 131071])`). The other way round was checked by
    /// hand: its `decode_encoded_list` reads what [`StatusList::encode`] writes.
    #[test]
    fn list_from_another_implementation() {
        let encoded =
            "uH4sIAA3UCWsC_-3QAREAAAQEMN-c5nJwW4RNFwAAAAAAAAAAAAAAz0QBAAAAwDVZrxDDXQBAAAA";
        let list = StatusList::decode(encoded).expect("decodes");
        assert_eq!(list.len(), MIN_ENTRIES);
        let set: Vec<usize> = (0..list.len())
            .filter(|&i| list.get(i).unwrap_or(false))
            .collect();
        assert_eq!(set, [0, 7, 8, 94567, 131_071]);
    }

    #[test]
    fn bit_order_is_big_endian() {
        // (index set, byte position, expected byte value)
        let cases = [
            (0, 0, 0x80),
            (1, 0, 0x40),
            (7, 0, 0x01),
            (8, 1, 0x80),
            (15, 1, 0x01),
            (MIN_ENTRIES - 1, MIN_DECODED_BYTES - 1, 0x01),
        ];
        for (index, byte, expected) in cases {
            let mut list = StatusList::default();
            list.set(index, true).expect("in range");
            assert_eq!(list.as_bytes()[byte], expected, "index {index}");
            let set = list.as_bytes().iter().filter(|&&b| b != 0).count();
            assert_eq!(set, 1, "index {index} set exactly one byte");
        }
    }

    #[test]
    fn set_get_and_round_trip() {
        let check = |entries: usize, indices: &[usize]| {
            let mut list = StatusList::new(entries).expect("valid size");
            for &i in indices {
                assert!(!list.get(i).expect("in range"));
                list.set(i, true).expect("in range");
                assert!(list.get(i).expect("in range"));
            }
            let encoded = list.encode();
            assert!(encoded.starts_with("uH4sI"), "{encoded}");
            let decoded = StatusList::decode(&encoded).expect("round trip");
            assert_eq!(decoded, list);
            for &i in indices {
                assert!(decoded.get(i).expect("in range"), "index {i} of {entries}");
            }
            let set: u32 = decoded.as_bytes().iter().map(|b| b.count_ones()).sum();
            let mut distinct = indices.to_vec();
            distinct.sort_unstable();
            distinct.dedup();
            assert_eq!(set as usize, distinct.len());
        };
        check(MIN_ENTRIES, &[]);
        check(MIN_ENTRIES, &[0]);
        check(MIN_ENTRIES, &[MIN_ENTRIES - 1]);
        check(MIN_ENTRIES, &[0, 1, 2, 3, 4, 5, 6, 7, 8, 94567, 131_071]);
        check(MIN_ENTRIES + 1, &[MIN_ENTRIES]);
        check(MIN_ENTRIES * 8, &[MIN_ENTRIES * 8 - 1, 500_000]);
    }

    #[test]
    fn clearing_a_bit() {
        let mut list = StatusList::default();
        list.set(42, true).expect("in range");
        list.set(42, false).expect("in range");
        assert_eq!(list, StatusList::default());
    }

    #[test]
    fn sizes() {
        let check = |entries: usize, expected: Result<usize, StatusListError>| {
            assert_eq!(StatusList::new(entries).map(|l| l.len()), expected);
        };
        check(0, Err(StatusListError::TooFewEntries(0)));
        check(
            MIN_ENTRIES - 1,
            Err(StatusListError::TooFewEntries(MIN_ENTRIES - 1)),
        );
        check(MIN_ENTRIES, Ok(MIN_ENTRIES));
        check(MIN_ENTRIES + 1, Ok(MIN_ENTRIES + 8));
        check(MAX_DECODED_BYTES * 8, Ok(MAX_DECODED_BYTES * 8));
        check(
            MAX_DECODED_BYTES * 8 + 1,
            Err(StatusListError::TooManyEntries(MAX_DECODED_BYTES * 8 + 1)),
        );
    }

    #[test]
    fn out_of_range_indices() {
        let mut list = StatusList::default();
        for index in [MIN_ENTRIES, MIN_ENTRIES + 7, usize::MAX] {
            let expected = StatusListError::IndexOutOfRange {
                index,
                len: MIN_ENTRIES,
            };
            assert_eq!(list.get(index), Err(expected.clone()));
            assert_eq!(list.set(index, true), Err(expected));
        }
    }

    #[test]
    fn bad_encodings_are_refused() {
        let plain = URL_SAFE_NO_PAD.encode(gzip(&[0; MIN_DECODED_BYTES]));
        let small = encode_raw(&gzip(&[0; MIN_DECODED_BYTES - 1]));
        let bomb = encode_raw(&gzip(&vec![0; MAX_DECODED_BYTES + 1]));
        let mut trailing = gzip(&[0; MIN_DECODED_BYTES]);
        trailing.extend_from_slice(b"junk");
        let trailing = encode_raw(&trailing);
        let mut corrupt = gzip(&[0; MIN_DECODED_BYTES]);
        let n = corrupt.len();
        corrupt[n - 5] ^= 0xff; // damages the CRC-32 / length trailer
        let corrupt = encode_raw(&corrupt);
        let padded = format!("{SPEC_EXAMPLE}==");

        let check = |input: &str, expected: &str| {
            let err = StatusList::decode(input).expect_err(input.get(..20).unwrap_or(input));
            let text = err.to_string();
            assert!(text.contains(expected), "{text:?} lacks {expected:?}");
        };
        check("", "multibase prefix 'u'");
        check(&plain, "older StatusList2021 encoding");
        check("zH4sI", "multibase prefix 'u'");
        check("u", "not valid GZIP");
        check("u!!!!", "not valid base64url");
        check(&padded, "not valid base64url");
        check("uAAAA", "not valid GZIP");
        check(&small, "16383 bytes, less than the 16 KiB");
        check(&bomb, "possible zip bomb");
        check(&trailing, "4 bytes of unexpected data");
        check(&corrupt, "not valid GZIP");
    }

    #[test]
    fn credential_and_entry_json() {
        let mut list = StatusList::default();
        list.set(94567, true).expect("in range");
        let valid_from = DateTime::parse_from_rfc3339("2026-11-27T10:00:00.123Z")
            .expect("date")
            .with_timezone(&Utc);
        let url = "https://example.com/credentials/status/3";
        let vc = status_list_credential(
            url,
            "did:example:12345",
            StatusPurpose::Suspension,
            &list,
            valid_from,
        );
        assert_eq!(vc["id"], url);
        assert_eq!(vc["validFrom"], "2026-11-27T10:00:00Z");
        assert_eq!(vc["credentialSubject"]["id"], format!("{url}#list"));
        assert_eq!(vc["credentialSubject"]["type"], "BitstringStatusList");
        assert_eq!(vc["credentialSubject"]["statusPurpose"], "suspension");
        let (purpose, read) = read_status_list_credential(&vc).expect("reads back");
        assert_eq!(purpose, StatusPurpose::Suspension);
        assert_eq!(read, list);

        let entry = status_list_entry(url, 94567, StatusPurpose::Revocation);
        assert_eq!(
            entry,
            json!({
                "id": "https://example.com/credentials/status/3#94567",
                "type": "BitstringStatusListEntry",
                "statusPurpose": "revocation",
                "statusListIndex": "94567",
                "statusListCredential": url,
            })
        );
        let parsed = StatusEntry::from_json(&entry).expect("parses");
        assert_eq!(
            parsed,
            StatusEntry {
                list_url: url.into(),
                index: 94567,
                purpose: Purpose::Revocation,
                size: 1,
                messages: None,
            }
        );
    }

    #[test]
    fn bad_entries_are_refused() {
        let check = |entry: Value, expected: &str| {
            let err = StatusEntry::from_json(&entry).expect_err("must fail");
            let text = err.to_string();
            assert!(text.contains(expected), "{text:?} lacks {expected:?}");
        };
        let good = status_list_entry("https://x.example/s", 5, StatusPurpose::Revocation);
        let with = |field: &str, value: Value| {
            let mut e = good.clone();
            e[field] = value;
            e
        };
        check(json!("x"), "not a JSON object");
        check(with("type", json!("StatusList2021Entry")), "type is not");
        check(
            with("statusPurpose", json!(["revocation"])),
            "statusPurpose is not a string",
        );
        check(
            with("statusListIndex", json!(5)),
            "statusListIndex is not a string",
        );
        check(
            with("statusListIndex", json!("-5")),
            "not a string of decimal digits",
        );
        check(
            with("statusListIndex", json!(" 5")),
            "not a string of decimal digits",
        );
        check(
            with("statusListIndex", json!("")),
            "not a string of decimal digits",
        );
        check(
            with("statusListIndex", json!("99999999999999999999999")),
            "too large",
        );
        check(with("statusSize", json!(0)), "from 1 to 32");
        check(with("statusSize", json!(33)), "from 1 to 32");
        check(with("statusSize", json!("2")), "from 1 to 32");
        check(
            with("statusMessage", json!([{"status": "1", "message": "x"}])),
            "item 0 has no status written in hexadecimal",
        );
        check(
            with("statusMessage", json!([{"status": "0x1"}])),
            "item 0 has no message",
        );
        let mut missing = good.clone();
        if let Some(map) = missing.as_object_mut() {
            map.remove("statusListCredential");
        }
        check(missing, "has no statusListCredential");
    }

    #[test]
    fn statuses_are_checked() {
        let url = "https://example.com/status/1";
        let mut list = StatusList::default();
        list.set(7, true).expect("in range");
        let vc = status_list_credential(
            url,
            "did:example:1",
            StatusPurpose::Revocation,
            &list,
            DateTime::UNIX_EPOCH,
        );
        let check = |list_url: &str,
                     index: usize,
                     purpose: StatusPurpose,
                     expected: Result<bool, StatusListError>| {
            let entry = StatusEntry::single_bit(list_url, index, purpose);
            assert_eq!(
                check_status(&entry, &vc),
                expected,
                "{list_url} {index} {purpose}"
            );
        };
        check(url, 7, StatusPurpose::Revocation, Ok(true));
        check(url, 6, StatusPurpose::Revocation, Ok(false));
        check(url, 8, StatusPurpose::Revocation, Ok(false));
        check(
            url,
            7,
            StatusPurpose::Suspension,
            Err(StatusListError::PurposeMismatch {
                entry: "suspension".into(),
                list: "revocation".into(),
            }),
        );
        check(
            url,
            MIN_ENTRIES,
            StatusPurpose::Revocation,
            Err(StatusListError::IndexOutOfRange {
                index: MIN_ENTRIES,
                len: MIN_ENTRIES,
            }),
        );
        check(
            "https://example.com/status/2",
            7,
            StatusPurpose::Revocation,
            Err(StatusListError::WrongList {
                expected: "https://example.com/status/2".into(),
                found: url.into(),
            }),
        );
    }

    /// A list credential (unsigned) of `purpose` holding `values` in entries of `size` bits.
    fn sized_list(url: &str, purpose: &str, size: u32, values: &[(usize, u32)]) -> Value {
        let mut list = StatusList::new(MIN_ENTRIES * size as usize).expect("size");
        for &(index, value) in values {
            list.set_value(index, size, value).expect("in range");
        }
        let mut vc = status_list_credential(
            url,
            "did:example:1",
            StatusPurpose::Revocation,
            &list,
            DateTime::UNIX_EPOCH,
        );
        vc["credentialSubject"]["statusPurpose"] = purpose.into();
        vc
    }

    fn messages(size: u32) -> Value {
        let names = ["pending_review", "accepted", "rejected", "withdrawn"];
        Value::Array(
            (0..1u32 << size)
                .map(|v| json!({"status": format!("0x{v:x}"), "message": names.get(v as usize).copied().unwrap_or("other")}))
                .collect(),
        )
    }

    fn sized_entry(
        url: &str,
        purpose: &str,
        index: usize,
        size: u32,
        with_messages: bool,
    ) -> Value {
        let mut entry = status_list_entry(url, index, StatusPurpose::Revocation);
        entry["statusPurpose"] = purpose.into();
        entry["statusSize"] = size.into();
        if with_messages {
            entry["statusMessage"] = messages(size);
        }
        entry
    }

    #[test]
    fn values_of_several_bits_are_read_most_significant_first() {
        let mut list = StatusList::default();
        list.set_value(0, 2, 0b10).expect("in range");
        list.set_value(1, 2, 0b01).expect("in range");
        list.set_value(3, 3, 0b111).expect("in range");
        assert_eq!(list.as_bytes()[0], 0b1001_0000);
        assert_eq!(list.as_bytes()[1], 0b0111_0000);
        assert_eq!(list.get_value(0, 2), Ok(2));
        assert_eq!(list.get_value(1, 2), Ok(1));
        assert_eq!(list.get_value(2, 2), Ok(0));
        assert_eq!(list.get_value(3, 3), Ok(7));
        assert_eq!(list.get_value(0, 8), Ok(0b1001_0000));
        // The last whole entry of 3 bits, and the one after it, which does not fit.
        let last = MIN_ENTRIES / 3 - 1;
        assert_eq!(list.get_value(last, 3), Ok(0));
        assert!(matches!(
            list.get_value(last + 1, 3),
            Err(StatusListError::IndexOutOfRange { .. })
        ));
        assert!(list.get_value(0, 0).is_err());
        assert!(list.get_value(0, 33).is_err());
        assert!(list.get_value(usize::MAX, 2).is_err());
    }

    #[test]
    fn status_size_and_messages_are_honoured() {
        let url = "https://example.com/status/m";
        let vc = sized_list(url, "message", 2, &[(3, 1), (4, 2), (5, 3)]);
        let read = |entry: Value| {
            let entry = StatusEntry::from_json(&entry).expect("entry parses");
            read_status(&entry, &vc)
        };
        let value = |index: usize| read(sized_entry(url, "message", index, 2, true));
        let expect = |index: usize, v: u32, message: &str| {
            assert_eq!(
                value(index),
                Ok(StatusValue {
                    purpose: Purpose::Message,
                    value: v,
                    message: Some(message.into())
                }),
                "index {index}"
            );
        };
        expect(0, 0, "pending_review");
        expect(3, 1, "accepted");
        expect(4, 2, "rejected");
        expect(5, 3, "withdrawn");
        // Messages from the list's subject, as earlier drafts placed them.
        let mut with_subject_messages = vc.clone();
        with_subject_messages["credentialSubject"]["statusMessage"] = messages(2);
        let entry =
            StatusEntry::from_json(&sized_entry(url, "message", 4, 2, false)).expect("parses");
        assert_eq!(
            read_status(&entry, &with_subject_messages).map(|s| s.message),
            Ok(Some("rejected".into()))
        );
        // Refused: no messages for a two-bit entry, too few, a purpose the list lacks, a
        // list too short for entries of this size.
        let refused = |result: Result<StatusValue, StatusListError>, needle: &str| {
            let text = result.expect_err(needle).to_string();
            assert!(text.contains(needle), "{text:?} lacks {needle:?}");
        };
        refused(
            read(sized_entry(url, "message", 4, 2, false)),
            "no statusMessage says",
        );
        let mut short = sized_entry(url, "message", 4, 2, true);
        short["statusMessage"] = messages(1);
        refused(
            read(short),
            "has 2 items, but an entry of 2 bits has 4 values",
        );
        refused(
            read(sized_entry(url, "revocation", 4, 2, true)),
            "the status list's purpose is message",
        );
        let one_bit_list = sized_list(url, "message", 1, &[]);
        let entry =
            StatusEntry::from_json(&sized_entry(url, "message", 4, 2, true)).expect("parses");
        refused(
            read_status(&entry, &one_bit_list),
            "65536 entries of 2 bits, fewer than",
        );
    }

    #[test]
    fn a_list_may_name_several_purposes() {
        let url = "https://example.com/status/both";
        let vc = sized_list(url, "revocation", 1, &[(9, 1)]);
        let mut both = vc.clone();
        both["credentialSubject"]["statusPurpose"] = json!(["revocation", "suspension"]);
        for purpose in [StatusPurpose::Revocation, StatusPurpose::Suspension] {
            let entry = StatusEntry::single_bit(url, 9, purpose);
            assert_eq!(check_status(&entry, &both), Ok(true), "{purpose}");
        }
        let entry =
            StatusEntry::from_json(&sized_entry(url, "refresh", 9, 1, false)).expect("parses");
        assert_eq!(
            read_status(&entry, &both),
            Err(StatusListError::PurposeMismatch {
                entry: "refresh".into(),
                list: "revocation, suspension".into()
            })
        );
        // A single-bit entry may carry messages too: two of them.
        let entry =
            StatusEntry::from_json(&sized_entry(url, "revocation", 9, 1, true)).expect("parses");
        assert_eq!(
            read_status(&entry, &vc).map(|s| (s.value, s.message)),
            Ok((1, Some("accepted".into())))
        );
    }

    #[test]
    fn purposes() {
        for p in [StatusPurpose::Revocation, StatusPurpose::Suspension] {
            assert_eq!(p.as_str().parse::<StatusPurpose>(), Ok(p));
            let json = serde_json::to_value(p).expect("serialises");
            assert_eq!(serde_json::from_value::<StatusPurpose>(json).ok(), Some(p));
        }
        assert!("Revocation".parse::<StatusPurpose>().is_err());
        for text in [
            "revocation",
            "suspension",
            "refresh",
            "message",
            "https://example.com/other",
        ] {
            assert_eq!(Purpose::parse(text).as_str(), text);
        }
        assert_eq!(Purpose::parse("message").issued(), None);
        assert_eq!(
            Purpose::parse("suspension").issued(),
            Some(StatusPurpose::Suspension)
        );
    }
}
