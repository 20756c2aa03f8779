//! Open Badges 3.0 baking (section 5.3): putting a credential into a badge image, PNG or SVG,
//! and taking it out again.
//!
//! - **PNG**: an `iTXt` chunk with keyword `openbadgecredential`, uncompressed, whose text is
//!   the credential's compact JSON (embedded proof) or its JWT compact form. It is inserted
//!   just before `IEND`. Every chunk's CRC is checked when reading.
//! - **SVG**: an `<openbadges:credential>` element, placed directly after the root `<svg>`
//!   start tag, which gets `xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"`. The JSON
//!   goes in a CDATA section; a JWT goes in the element's `verify` attribute.
//!
//! Baking an image that already carries a credential replaces it: the result holds exactly
//! one. Extraction reads the first credential found, as the specification says. Compressed
//! `iTXt` text, which the specification forbids, is still read (within a size bound) so that
//! images from careless tools can be opened; it is never written.
//!
//! SVGs are read with roxmltree, a real XML parser that gives every node's byte range:
//! baking edits the text at those ranges rather than re-serialising the document, so
//! everything but the credential element and the namespace declaration stays byte for byte
//! as it was. The credential element is `credential` in the OB 3.0 namespace; a badge that
//! uses the `openbadges` prefix without declaring it is still read.

use std::borrow::Cow;
use std::io::Read;

use flate2::read::ZlibDecoder;
use serde_json::Value;

/// The `iTXt` keyword under which a PNG carries an OB 3.0 credential.
pub const PNG_KEYWORD: &str = "openbadgecredential";

/// The XML namespace bound to the `openbadges` prefix in a baked SVG.
pub const OB3_SVG_NAMESPACE: &str = "https://purl.imsglobal.org/ob/v3p0";

/// The largest credential text accepted when reading (16 MiB), also after decompression.
pub const MAX_CREDENTIAL_BYTES: usize = 16 * 1024 * 1024;

const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
const SVG_PREFIX: &str = "openbadges";
const SVG_ELEMENT: &str = "openbadges:credential";
const SVG_NS_ATTRIBUTE: &str = "xmlns:openbadges";

/// Why an image could not be baked or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BakingError {
    /// The bytes are neither a PNG nor an SVG.
    #[error("the image is neither a PNG (no PNG signature) nor an SVG (no <svg> root element)")]
    UnknownFormat,
    /// A PNG chunk runs past the end of the file.
    #[error("the PNG is truncated: the chunk at byte {0} runs past the end of the file")]
    Truncated(usize),
    /// The PNG ends without an `IEND` chunk.
    #[error("the PNG is truncated: it ends without an IEND chunk")]
    MissingIend,
    /// A PNG chunk's CRC does not match its contents.
    #[error("the PNG's {kind} chunk at byte {offset} has a bad CRC: the file is damaged")]
    BadCrc {
        /// The chunk type.
        kind: String,
        /// Where the chunk starts.
        offset: usize,
    },
    /// A PNG chunk has an impossible length or type.
    #[error("the PNG's chunk at byte {0} is malformed (bad length or type)")]
    BadChunk(usize),
    /// The PNG does not start with `IHDR`.
    #[error("the PNG does not start with an IHDR chunk")]
    MissingIhdr,
    /// Bytes follow the `IEND` chunk.
    #[error("the PNG has {0} bytes of unexpected data after its IEND chunk")]
    DataAfterIend(usize),
    /// The `openbadgecredential` `iTXt` chunk is malformed.
    #[error("the PNG's openbadgecredential iTXt chunk is malformed: {0}")]
    BadItxt(&'static str),
    /// The credential text is larger than [`MAX_CREDENTIAL_BYTES`] (or than a PNG chunk).
    #[error("the baked credential is larger than the {MAX_CREDENTIAL_BYTES} bytes accepted")]
    TooLarge,
    /// The SVG is not UTF-8 text.
    #[error("the SVG is not valid UTF-8 text")]
    SvgNotUtf8,
    /// The SVG's first element is not `<svg>`.
    #[error("the SVG has no <svg> root element{0}")]
    SvgNoRoot(String),
    /// The SVG's markup could not be read.
    #[error("the SVG is malformed: {0}")]
    SvgMalformed(String),
    /// The SVG binds the `openbadges` prefix to another namespace.
    #[error("the SVG already binds the prefix openbadges to {0:?}, not to {OB3_SVG_NAMESPACE:?}; it cannot carry an OB 3.0 credential")]
    SvgPrefixTaken(String),
    /// The baked text is neither JSON nor a compact JWT.
    #[error("the baked credential is neither a JSON object nor a JWT in compact form")]
    NotACredential,
    /// The baked text looks like JSON but does not parse.
    #[error("the baked credential is not valid JSON: {0}")]
    InvalidJson(String),
    /// The baked JSON is not an object.
    #[error("the baked credential's JSON is not an object")]
    JsonNotObject,
    /// A string given as a JWT is not in compact form.
    #[error("the JWT is not in compact form (three base64url parts separated by dots)")]
    InvalidJwt,
}

/// A credential as it is carried in a badge image.
#[derive(Debug, Clone, PartialEq)]
pub enum BakedCredential {
    /// A credential with an embedded proof (or none), as JSON.
    Json(Value),
    /// A credential in JWT compact form (`header.payload.signature`), or a signed Open
    /// Badges 2.0 assertion (a compact JWS).
    Jwt(String),
    /// The http(s) address of an Open Badges 2.0 hosted assertion, as badges baked with
    /// OB 2.0 often carry instead of the assertion itself. Read, never baked.
    Url(String),
}

/// The image formats that can carry a credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// Portable Network Graphics.
    Png,
    /// Scalable Vector Graphics.
    Svg,
}

impl BakedCredential {
    /// The text to bake: compact JSON, or the JWT itself. Refuses JSON that is not an
    /// object and a JWT that is not in compact form.
    pub fn to_text(&self) -> Result<String, BakingError> {
        match self {
            BakedCredential::Json(value) => {
                if !value.is_object() {
                    return Err(BakingError::JsonNotObject);
                }
                serde_json::to_string(value).map_err(|e| BakingError::InvalidJson(e.to_string()))
            }
            BakedCredential::Jwt(jwt) => {
                if is_compact_jwt(jwt) {
                    Ok(jwt.clone())
                } else {
                    Err(BakingError::InvalidJwt)
                }
            }
            BakedCredential::Url(_) => Err(BakingError::NotACredential),
        }
    }

    /// Reads a credential from text, as baked or as kept in a file: a JSON object
    /// (surrounding white space allowed), or else a JWT in compact form.
    pub fn from_text(text: &str) -> Result<Self, BakingError> {
        let text = text.trim();
        if text.starts_with('{') {
            let value: Value =
                serde_json::from_str(text).map_err(|e| BakingError::InvalidJson(e.to_string()))?;
            Ok(BakedCredential::Json(value))
        } else if is_compact_jwt(text) {
            Ok(BakedCredential::Jwt(text.to_owned()))
        } else if is_web_address(text) {
            Ok(BakedCredential::Url(text.to_owned()))
        } else {
            Err(BakingError::NotACredential)
        }
    }
}

/// Whether `s` is one http(s) address with no white space (an OB 2.0 hosted assertion's).
fn is_web_address(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://"))
        && s.len() <= 2048
        && !s.chars().any(char::is_whitespace)
}

/// Whether `s` has the shape of a compact JWS: three base64url parts joined by dots, the
/// first two non-empty.
fn is_compact_jwt(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 3
        && !parts[0].is_empty()
        && !parts[1].is_empty()
        && parts.iter().all(|p| {
            p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// Tells a PNG from an SVG by its first bytes.
pub fn detect_format(image: &[u8]) -> Result<ImageFormat, BakingError> {
    if image.starts_with(&PNG_SIGNATURE) {
        return Ok(ImageFormat::Png);
    }
    let Ok(text) = std::str::from_utf8(image) else {
        return Err(BakingError::UnknownFormat);
    };
    match with_svg(text, |text, doc| svg_root(text, doc).map(|_| ())) {
        Ok(()) => Ok(ImageFormat::Svg),
        Err(BakingError::SvgMalformed(_)) if looks_like_svg(text) => Ok(ImageFormat::Svg),
        Err(_) => Err(BakingError::UnknownFormat),
    }
}

/// Bakes `credential` into a PNG or SVG image, replacing any credential already there.
pub fn bake(image: &[u8], credential: &BakedCredential) -> Result<Vec<u8>, BakingError> {
    match detect_format(image)? {
        ImageFormat::Png => bake_png(image, credential),
        ImageFormat::Svg => {
            let text = std::str::from_utf8(image).map_err(|_| BakingError::SvgNotUtf8)?;
            bake_svg(text, credential).map(String::into_bytes)
        }
    }
}

/// Extracts the credential baked into a PNG or SVG image; `None` when there is none.
pub fn unbake(image: &[u8]) -> Result<Option<BakedCredential>, BakingError> {
    match detect_format(image)? {
        ImageFormat::Png => unbake_png(image),
        ImageFormat::Svg => {
            let text = std::str::from_utf8(image).map_err(|_| BakingError::SvgNotUtf8)?;
            unbake_svg(text)
        }
    }
}

// ---------------------------------------------------------------------------------------
// PNG
// ---------------------------------------------------------------------------------------

/// One chunk of a PNG: where it lies in the file, its type and its data.
struct Chunk<'a> {
    start: usize,
    end: usize,
    kind: [u8; 4],
    data: &'a [u8],
}

/// Splits a PNG into chunks, checking the signature, every length and CRC, that the first
/// chunk is `IHDR`, and that the file ends with `IEND`.
fn png_chunks(png: &[u8]) -> Result<Vec<Chunk<'_>>, BakingError> {
    if !png.starts_with(&PNG_SIGNATURE) {
        return Err(BakingError::UnknownFormat);
    }
    let mut chunks = Vec::new();
    let mut pos = PNG_SIGNATURE.len();
    loop {
        if pos == png.len() {
            return Err(BakingError::MissingIend);
        }
        let header = png.get(pos..pos + 8).ok_or(BakingError::Truncated(pos))?;
        let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]);
        let kind = [header[4], header[5], header[6], header[7]];
        if len > i32::MAX as u32 || !kind.iter().all(u8::is_ascii_alphabetic) {
            return Err(BakingError::BadChunk(pos));
        }
        let data_end = (pos + 8)
            .checked_add(len as usize)
            .ok_or(BakingError::Truncated(pos))?;
        let crc_end = data_end.checked_add(4).ok_or(BakingError::Truncated(pos))?;
        let stored = png
            .get(data_end..crc_end)
            .ok_or(BakingError::Truncated(pos))?;
        let stored = u32::from_be_bytes([stored[0], stored[1], stored[2], stored[3]]);
        if crc32fast::hash(&png[pos + 4..data_end]) != stored {
            return Err(BakingError::BadCrc {
                kind: String::from_utf8_lossy(&kind).into_owned(),
                offset: pos,
            });
        }
        if chunks.is_empty() && &kind != b"IHDR" {
            return Err(BakingError::MissingIhdr);
        }
        chunks.push(Chunk {
            start: pos,
            end: crc_end,
            kind,
            data: &png[pos + 8..data_end],
        });
        pos = crc_end;
        if &kind == b"IEND" {
            if pos != png.len() {
                return Err(BakingError::DataAfterIend(png.len() - pos));
            }
            return Ok(chunks);
        }
    }
}

/// If `chunk` is an `iTXt` chunk with our keyword, its text (decompressed if need be).
fn credential_text(chunk: &Chunk<'_>) -> Result<Option<String>, BakingError> {
    if &chunk.kind != b"iTXt" {
        return Ok(None);
    }
    let data = chunk.data;
    let Some(nul) = data.iter().position(|&b| b == 0) else {
        return Err(BakingError::BadItxt("its keyword is not terminated"));
    };
    let keyword = &data[..nul];
    if keyword != PNG_KEYWORD.as_bytes() && keyword != crate::ob2::PNG_KEYWORD.as_bytes() {
        return Ok(None);
    }
    let rest = &data[nul + 1..];
    let [flag, method, rest @ ..] = rest else {
        return Err(BakingError::BadItxt("it ends after the keyword"));
    };
    let lang_end = rest
        .iter()
        .position(|&b| b == 0)
        .ok_or(BakingError::BadItxt("its language tag is not terminated"))?;
    let rest = &rest[lang_end + 1..];
    let translated_end = rest
        .iter()
        .position(|&b| b == 0)
        .ok_or(BakingError::BadItxt(
            "its translated keyword is not terminated",
        ))?;
    let text = &rest[translated_end + 1..];
    let bytes = match (flag, method) {
        (0, _) => text.to_vec(),
        (1, 0) => {
            let mut out = Vec::new();
            ZlibDecoder::new(text)
                .take(MAX_CREDENTIAL_BYTES as u64 + 1)
                .read_to_end(&mut out)
                .map_err(|_| BakingError::BadItxt("its compressed text does not decompress"))?;
            out
        }
        (1, _) => {
            return Err(BakingError::BadItxt(
                "it names an unknown compression method",
            ))
        }
        _ => {
            return Err(BakingError::BadItxt(
                "its compression flag is neither 0 nor 1",
            ))
        }
    };
    if bytes.len() > MAX_CREDENTIAL_BYTES {
        return Err(BakingError::TooLarge);
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| BakingError::BadItxt("its text is not UTF-8"))
}

fn push_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) -> Result<(), BakingError> {
    let len = u32::try_from(data.len())
        .ok()
        .filter(|&l| l <= i32::MAX as u32)
        .ok_or(BakingError::TooLarge)?;
    out.extend_from_slice(&len.to_be_bytes());
    let crc_start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32fast::hash(&out[crc_start..]);
    out.extend_from_slice(&crc.to_be_bytes());
    Ok(())
}

/// Bakes `credential` into a PNG: any existing `openbadgecredential` chunk is removed and a
/// new uncompressed `iTXt` chunk is inserted before `IEND`. Other chunks are kept as they are.
pub fn bake_png(png: &[u8], credential: &BakedCredential) -> Result<Vec<u8>, BakingError> {
    let text = credential.to_text()?;
    let chunks = png_chunks(png)?;
    let mut itxt = Vec::with_capacity(PNG_KEYWORD.len() + 5 + text.len());
    itxt.extend_from_slice(PNG_KEYWORD.as_bytes());
    // NUL, compression flag 0, compression method 0, empty language tag and translated
    // keyword, each NUL-terminated.
    itxt.extend_from_slice(&[0, 0, 0, 0, 0]);
    itxt.extend_from_slice(text.as_bytes());

    let mut out = Vec::with_capacity(png.len() + itxt.len() + 12);
    out.extend_from_slice(&PNG_SIGNATURE);
    for chunk in &chunks {
        if &chunk.kind == b"IEND" {
            push_chunk(&mut out, b"iTXt", &itxt)?;
        } else if is_our_itxt(chunk) {
            continue;
        }
        out.extend_from_slice(&png[chunk.start..chunk.end]);
    }
    Ok(out)
}

/// Whether a chunk is an `iTXt` with our keyword, however malformed the rest of it is.
fn is_our_itxt(chunk: &Chunk<'_>) -> bool {
    &chunk.kind == b"iTXt"
        && chunk.data.starts_with(PNG_KEYWORD.as_bytes())
        && chunk.data.get(PNG_KEYWORD.len()) == Some(&0)
}

/// Extracts the credential from the first `openbadgecredential` `iTXt` chunk of a PNG, or
/// the first `openbadges` one (Open Badges 2.0: an assertion, its JWS or its address).
pub fn unbake_png(png: &[u8]) -> Result<Option<BakedCredential>, BakingError> {
    for chunk in png_chunks(png)? {
        if let Some(text) = credential_text(&chunk)? {
            return BakedCredential::from_text(&text).map(Some);
        }
    }
    Ok(None)
}

// ---------------------------------------------------------------------------------------
// SVG
// ---------------------------------------------------------------------------------------

/// How many elements may use the `openbadges` prefix without declaring it.
const MAX_UNDECLARED: usize = 8;

fn malformed(what: impl Into<String>) -> BakingError {
    BakingError::SvgMalformed(what.into())
}

/// How SVGs are parsed: a DOCTYPE with an internal subset is allowed (badge tools write
/// them); roxmltree bounds entity expansion, and external entities are never fetched.
fn parse_options<'input>() -> roxmltree::ParsingOptions<'input> {
    roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    }
}

/// Parses `svg` with a real XML parser and gives `read` the text parsed and its tree. An
/// SVG that uses the `openbadges` prefix without declaring it (as some hand-made badges
/// do) is read as if each element using it declared the OB 3.0 namespace: the declaration
/// is written into the text that is parsed, and so into a badge baked from it.
fn with_svg<T>(
    svg: &str,
    read: impl FnOnce(&str, &roxmltree::Document<'_>) -> Result<T, BakingError>,
) -> Result<T, BakingError> {
    let mut text = Cow::Borrowed(svg);
    for _ in 0..=MAX_UNDECLARED {
        let declared = match roxmltree::Document::parse_with_options(&text, parse_options()) {
            Ok(doc) => return read(&text, &doc),
            Err(roxmltree::Error::UnknownNamespace(prefix, pos)) if prefix == SVG_PREFIX => {
                declare_prefix(&text, pos)
            }
            Err(e) => return Err(svg_error(&text, &e)),
        };
        text = Cow::Owned(declared.ok_or_else(|| {
            malformed(format!(
                "it uses the prefix {SVG_PREFIX} without declaring its namespace"
            ))
        })?);
    }
    Err(malformed(format!(
        "more than {MAX_UNDECLARED} elements use the prefix {SVG_PREFIX} without declaring its namespace"
    )))
}

/// `text` with the OB 3.0 namespace declared for the element or attribute whose
/// `openbadges:` prefix the parser found undeclared at `pos`; `None` when `pos` does not
/// point at such a prefix in the text itself.
fn declare_prefix(text: &str, pos: roxmltree::TextPos) -> Option<String> {
    let offset = byte_offset(text, pos)?;
    let rest = text.get(offset..)?;
    if !rest.starts_with(&format!("{SVG_PREFIX}:")) {
        return None;
    }
    let declaration = format!("{SVG_NS_ATTRIBUTE}=\"{OB3_SVG_NAMESPACE}\"");
    if text[..offset].ends_with('<') {
        // An element's name: the declaration follows it.
        let end = offset + rest.find(|c: char| c.is_whitespace() || c == '/' || c == '>')?;
        Some(format!("{} {declaration}{}", &text[..end], &text[end..]))
    } else {
        // An attribute's name: the declaration goes before it.
        Some(format!("{}{declaration} {rest}", &text[..offset]))
    }
}

/// The byte offset of a parser's position (1-based row, and column in characters).
fn byte_offset(text: &str, pos: roxmltree::TextPos) -> Option<usize> {
    let line_start = match pos.row {
        0 | 1 => 0,
        row => text.match_indices('\n').nth(row as usize - 2)?.0 + 1,
    };
    let column = (pos.col as usize).checked_sub(1)?;
    text[line_start..]
        .char_indices()
        .nth(column)
        .map(|(i, _)| line_start + i)
}

/// The name of the tag whose `<` is at `at`.
fn tag_name_at(text: &str, at: usize) -> &str {
    let name = text.get(at + 1..).unwrap_or("");
    let end = name
        .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
        .unwrap_or(name.len());
    &name[..end]
}

/// The parser's refusal in words, naming the construct left open where it can.
fn svg_error(text: &str, e: &roxmltree::Error) -> BakingError {
    use roxmltree::Error as E;
    let at = |pos: &roxmltree::TextPos| format!("line {}, column {}", pos.row, pos.col);
    match e {
        E::NoRootNode => BakingError::SvgNoRoot(String::new()),
        E::InvalidString("-->", pos) => malformed(format!("a comment is not closed ({})", at(pos))),
        E::InvalidString("]]>", pos) => {
            malformed(format!("a CDATA section is not closed ({})", at(pos)))
        }
        E::InvalidString("?>", pos) => malformed(format!(
            "a processing instruction is not closed ({})",
            at(pos)
        )),
        E::UnexpectedCloseTag(expected, actual, pos) => malformed(format!(
            "the <{expected}> element is not closed: </{actual}> comes first ({})",
            at(pos)
        )),
        E::UnclosedRootNode => malformed("the root element is not closed"),
        E::UnknownEntityReference(name, pos) => {
            malformed(format!("unknown entity &{name}; ({})", at(pos)))
        }
        E::UnexpectedEndOfStream => match text.rfind('<') {
            Some(lt) => malformed(format!(
                "the <{}> tag at byte {lt} is not closed",
                tag_name_at(text, lt)
            )),
            None => malformed("it ends before its markup is closed"),
        },
        other => malformed(other.to_string()),
    }
}

/// The root `<svg>` element (no prefix), or why there is none.
fn svg_root<'a, 'input>(
    text: &str,
    doc: &'a roxmltree::Document<'input>,
) -> Result<roxmltree::Node<'a, 'input>, BakingError> {
    let root = doc.root_element();
    let name = tag_name_at(text, root.range().start);
    if name != "svg" {
        return Err(BakingError::SvgNoRoot(format!(
            ": the root element is <{name}>"
        )));
    }
    Ok(root)
}

/// Where the start tag of the element whose `<` is at `start` ends (just after its `>`),
/// and whether it is an empty-element tag (`/>`). The parser has read the markup, so the
/// first `>` outside a quoted attribute value ends the tag.
fn start_tag_end(text: &str, start: usize) -> (usize, bool) {
    let bytes = text.as_bytes();
    let mut quote = None;
    for (i, &b) in bytes.iter().enumerate().skip(start) {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), b) if b == q => quote = None,
            (None, b'>') => return (i + 1, i > 0 && bytes[i - 1] == b'/'),
            _ => {}
        }
    }
    (text.len(), false)
}

/// Whether `node` is a credential element: `credential` in the OB 3.0 namespace.
fn is_credential(node: &roxmltree::Node<'_, '_>) -> bool {
    node.is_element()
        && node.tag_name().name() == "credential"
        && node.tag_name().namespace() == Some(OB3_SVG_NAMESPACE)
}

/// The byte ranges of the outermost credential elements, in document order.
fn credential_ranges(root: roxmltree::Node<'_, '_>) -> Vec<std::ops::Range<usize>> {
    let mut found: Vec<std::ops::Range<usize>> = Vec::new();
    for node in root.descendants().filter(is_credential) {
        let range = node.range();
        if found.last().is_none_or(|last| range.start >= last.end) {
            found.push(range);
        }
    }
    found
}

/// The text content of a credential element: text and CDATA sections (as the parser gives
/// them, references replaced), comments dropped.
fn text_content(element: roxmltree::Node<'_, '_>) -> Result<String, BakingError> {
    let mut out = String::new();
    for child in element.children() {
        match child.node_type() {
            roxmltree::NodeType::Text => out.push_str(child.text().unwrap_or("")),
            roxmltree::NodeType::Comment => {}
            _ => {
                return Err(malformed(format!(
                    "the <{SVG_ELEMENT}> element contains markup other than text and CDATA"
                )))
            }
        }
        if out.len() > MAX_CREDENTIAL_BYTES {
            return Err(BakingError::TooLarge);
        }
    }
    Ok(out)
}

fn escape_attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;")
}

/// Bakes `credential` into SVG text. Any `<openbadges:credential>` element already present
/// is removed; the new one is placed directly after the root start tag. Everything else is
/// kept byte for byte: the parser gives the positions, and the text is edited, not
/// re-serialised.
pub fn bake_svg(svg: &str, credential: &BakedCredential) -> Result<String, BakingError> {
    let text = credential.to_text()?;
    let element = match credential {
        BakedCredential::Json(_) => format!(
            "<{SVG_ELEMENT}><![CDATA[{}]]></{SVG_ELEMENT}>",
            text.replace("]]>", "]]]]><![CDATA[>")
        ),
        BakedCredential::Jwt(_) => {
            format!("<{SVG_ELEMENT} verify=\"{}\"/>", escape_attribute(&text))
        }
        // `to_text` refuses an address: only credentials are baked.
        BakedCredential::Url(_) => return Err(BakingError::NotACredential),
    };
    with_svg(svg, |svg, doc| {
        let root = svg_root(svg, doc)?;
        let declared = match root.lookup_namespace_uri(Some(SVG_PREFIX)) {
            Some(uri) if uri != OB3_SVG_NAMESPACE => {
                return Err(BakingError::SvgPrefixTaken(uri.to_owned()))
            }
            Some(_) => true,
            None => false,
        };
        let start = root.range().start;
        let (end, self_closing) = start_tag_end(svg, start);
        let attributes = &svg[start + "<svg".len()..end - if self_closing { 2 } else { 1 }];

        let mut out = String::with_capacity(svg.len() + element.len() + 64);
        out.push_str(&svg[..start]);
        out.push_str("<svg");
        if !declared {
            out.push_str(&format!(" {SVG_NS_ATTRIBUTE}=\"{OB3_SVG_NAMESPACE}\""));
        }
        out.push_str(attributes);
        out.push('>');
        out.push_str(&element);
        if self_closing {
            out.push_str("</svg>");
        }
        let mut pos = end;
        for old in credential_ranges(root) {
            out.push_str(&svg[pos..old.start]);
            pos = old.end;
        }
        out.push_str(&svg[pos..]);
        Ok(out)
    })
}

/// Whether `node` is an Open Badges 2.0 `<openbadges:assertion>` element.
fn is_ob2_assertion(node: &roxmltree::Node<'_, '_>) -> bool {
    node.is_element()
        && node.tag_name().name() == "assertion"
        // An undeclared `openbadges:` prefix is read as the OB 3.0 namespace (`with_svg`).
        && matches!(
            node.tag_name().namespace(),
            Some(crate::ob2::SVG_NAMESPACE | OB3_SVG_NAMESPACE)
        )
}

/// An Open Badges 2.0 `<openbadges:assertion>`: its JSON content when it has one, else its
/// `verify` attribute (the hosted assertion's address, or the signed assertion's JWS).
fn ob2_from_svg(element: roxmltree::Node<'_, '_>) -> Result<BakedCredential, BakingError> {
    let content = text_content(element)?;
    if !content.trim().is_empty() {
        return BakedCredential::from_text(&content);
    }
    match element.attribute("verify").map(str::trim) {
        Some(verify) => BakedCredential::from_text(verify),
        None => Err(BakingError::NotACredential),
    }
}

/// Extracts the credential from the first `<openbadges:credential>` element of an SVG:
/// its `verify` attribute (a JWT) or else its text content (JSON); failing that, the first
/// Open Badges 2.0 `<openbadges:assertion>`.
pub fn unbake_svg(svg: &str) -> Result<Option<BakedCredential>, BakingError> {
    with_svg(svg, |svg, doc| {
        let root = svg_root(svg, doc)?;
        let Some(element) = root.descendants().find(is_credential) else {
            return match root.descendants().find(is_ob2_assertion) {
                Some(assertion) => ob2_from_svg(assertion).map(Some),
                None => Ok(None),
            };
        };
        if let Some(jwt) = element.attribute("verify") {
            let jwt = jwt.trim();
            return if is_compact_jwt(jwt) {
                Ok(Some(BakedCredential::Jwt(jwt.to_owned())))
            } else {
                Err(BakingError::InvalidJwt)
            };
        }
        let content = text_content(element)?;
        BakedCredential::from_text(&content).map(Some)
    })
}

/// Whether text that does not parse is still meant as an SVG, so that what is wrong with
/// it is said: markup (it starts with `<`, after a byte order mark and white space) with
/// an `<svg` tag in it.
fn looks_like_svg(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('<')
        && text.contains("<svg")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A 1x1 RGBA PNG: signature, IHDR, IDAT, IEND (made with Python's zlib and struct).
    const PLAIN_PNG: &str = "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0f01f00050001ff89993d1d0000000049454e44ae426082";

    /// The same PNG baked by another tool (Python, by hand): the iTXt chunk sits between IHDR
    /// and IDAT, with language tag "en" and a translated keyword; the credential's name
    /// holds non-ASCII text and "]]>".
    const FOREIGN_PNG: &str = "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489000000b3695458746f70656e626164676563726564656e7469616c000000656e004f70656e2042616467652063726564656e7469616c007b2240636f6e74657874223a5b2268747470733a2f2f7777772e77332e6f72672f6e732f63726564656e7469616c732f7632225d2c2274797065223a5b2256657269666961626c6543726564656e7469616c222c224f70656e426164676543726564656e7469616c225d2c226e616d65223a22436166c3a9205d5d3e206261646765227d6217f71f0000000d49444154789c63f8cfc0f01f00050001ff89993d1d0000000049454e44ae426082";

    /// The same credential in a zlib-compressed iTXt chunk, which the specification forbids
    /// but which is still read.
    const COMPRESSED_PNG: &str = "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000008d695458746f70656e626164676563726564656e7469616c0001000000789cab567248cecf2b49ad2851b28a56ca28292928b6d2d72f2f2fd72b37d6cb2f4ad7cf2bd64f2e4a4d49cd2bc94ccc29d62f33528ad5512aa92c4805a90f4b2dca4ccb4c4cca497586ab51d251f22f48cd734a4c49471605eaca4bcc05ea52724e4c3bbc522136d64e2109a446a916000b5a2e36ab634d220000000d49444154789c63f8cfc0f01f00050001ff89993d1d0000000049454e44ae426082";

    const SVG: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- a badge -->
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [ <!ENTITY x "y"> ]>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" data-x="a>b"><circle r="4"/></svg>
"#;

    const JWT: &str = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";

    fn hex(s: &str) -> Vec<u8> {
        hex::decode(s).expect("test hex")
    }

    fn credential(name: &str) -> BakedCredential {
        BakedCredential::Json(json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": name,
        }))
    }

    fn count(haystack: &[u8], needle: &[u8]) -> usize {
        haystack
            .windows(needle.len())
            .filter(|w| *w == needle)
            .count()
    }

    #[test]
    fn round_trips_and_rebakes() {
        // (image, credential to bake first, credential to bake second)
        let png = hex(PLAIN_PNG);
        let svg = SVG.as_bytes().to_vec();
        let self_closing = br#"<svg xmlns="http://www.w3.org/2000/svg"/>"#.to_vec();
        let jwt = BakedCredential::Jwt(JWT.into());
        let tricky = credential("Café ]]> <b>&amp;</b> \"q\"\ttab");
        let cases = [
            (&png, credential("one"), credential("two")),
            (&png, credential("one"), jwt.clone()),
            (&png, jwt.clone(), tricky.clone()),
            (&svg, credential("one"), credential("two")),
            (&svg, credential("one"), jwt.clone()),
            (&svg, jwt.clone(), tricky.clone()),
            (&self_closing, tricky.clone(), credential("x")),
        ];
        for (image, first, second) in cases {
            let once = bake(image, &first).expect("bakes");
            assert_eq!(unbake(&once).expect("reads"), Some(first.clone()));
            let twice = bake(&once, &second).expect("re-bakes");
            assert_eq!(unbake(&twice).expect("reads"), Some(second.clone()));
            // Exactly one credential, and baking again gives the same bytes.
            let marker: &[u8] = if image.starts_with(&PNG_SIGNATURE) {
                b"openbadgecredential"
            } else {
                b"<openbadges:credential"
            };
            assert_eq!(count(&twice, marker), 1);
            assert_eq!(bake(&twice, &second).expect("bakes"), twice);
            assert_eq!(bake(image, &second).expect("bakes"), twice);
        }
    }

    #[test]
    fn png_layout() {
        let baked = bake_png(&hex(PLAIN_PNG), &credential("x")).expect("bakes");
        let chunks = png_chunks(&baked).expect("valid PNG");
        let kinds: Vec<&[u8]> = chunks.iter().map(|c| &c.kind[..]).collect();
        assert_eq!(kinds, [b"IHDR", b"IDAT", b"iTXt", b"IEND"]);
        let itxt = chunks[2].data;
        let expected_text = br#"{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential","OpenBadgeCredential"],"name":"x"}"#;
        assert_eq!(
            itxt,
            [&b"openbadgecredential\0\0\0\0\0"[..], &expected_text[..]].concat()
        );
    }

    #[test]
    fn svg_layout() {
        let baked = bake_svg(SVG, &credential("x")).expect("bakes");
        assert!(baked.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- a badge -->"));
        assert!(baked.contains(
            "<svg xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\" xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\" data-x=\"a>b\"><openbadges:credential><![CDATA[{\"@context\""
        ));
        assert!(baked.ends_with("</openbadges:credential><circle r=\"4\"/></svg>\n"));
        let jwt = bake_svg(&baked, &BakedCredential::Jwt(JWT.into())).expect("bakes");
        assert_eq!(
            jwt.matches("xmlns:openbadges").count(),
            1,
            "the namespace is declared once"
        );
        assert!(jwt.contains(&format!("<openbadges:credential verify=\"{JWT}\"/><circle")));
    }

    /// Images baked by the Python `openbadgeslib` 4.6.3 (PyPI), with its OB 3.0 settings:
    /// a JWT in a PNG, and a JWT and a JSON credential in an SVG, where it puts the
    /// namespace on the element itself, appends the element at the end of the root, and
    /// escapes the JSON as text instead of using CDATA. (The other way round was checked by
    /// hand: its `extract_png` and `extract_svg` read what `bake` writes, "]]>" included.)
    const OPENBADGESLIB_PNG_JWT: &str = "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0f01f00050001ff89993d1d00000049695458746f70656e626164676563726564656e7469616c000000000065794a68624763694f694a465a45525451534a392e65794a7a645749694f694a34496e302e63326c6e626d463064584a6c833cc6020000000049454e44ae426082";
    const OPENBADGESLIB_SVG_JWT: &str = r#"<?xml version="1.0" ?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle r="4"/><openbadges:credential xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0" verify="eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"/></svg>"#;
    const OPENBADGESLIB_SVG_JSON: &str = r#"<?xml version="1.0" ?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle r="4"/><openbadges:credential xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">{&quot;@context&quot;:[&quot;https://www.w3.org/ns/credentials/v2&quot;],&quot;type&quot;:[&quot;VerifiableCredential&quot;,&quot;OpenBadgeCredential&quot;],&quot;name&quot;:&quot;Café &lt;&amp;&gt; badge&quot;}</openbadges:credential></svg>"#;

    #[test]
    fn images_from_openbadgeslib_are_read_and_rebaked() {
        let jwt = Some(BakedCredential::Jwt(JWT.into()));
        let json = Some(credential("Café <&> badge"));
        let cases = [
            (hex(OPENBADGESLIB_PNG_JWT), &jwt),
            (OPENBADGESLIB_SVG_JWT.as_bytes().to_vec(), &jwt),
            (OPENBADGESLIB_SVG_JSON.as_bytes().to_vec(), &json),
        ];
        for (image, expected) in cases {
            assert_eq!(&unbake(&image).expect("reads"), expected);
            let rebaked = bake(&image, &credential("new")).expect("re-bakes");
            assert_eq!(unbake(&rebaked).expect("reads"), Some(credential("new")));
            let marker: &[u8] = if image.starts_with(&PNG_SIGNATURE) {
                b"openbadgecredential"
            } else {
                b"<openbadges:credential"
            };
            assert_eq!(count(&rebaked, marker), 1);
        }
    }

    #[test]
    fn foreign_images_are_read() {
        let expected = Some(credential("Café ]]> badge"));
        let check = |image: Vec<u8>, expected: &Option<BakedCredential>| {
            assert_eq!(&unbake(&image).expect("reads"), expected);
        };
        check(hex(FOREIGN_PNG), &expected);
        check(hex(COMPRESSED_PNG), &expected);
        check(hex(PLAIN_PNG), &None);
        check(SVG.as_bytes().to_vec(), &None);
        // Escaped text instead of CDATA, another attribute order, whitespace and a comment.
        let svg = r#"<svg xmlns:openbadges='https://purl.imsglobal.org/ob/v3p0'>
  <openbadges:credential >
    <!-- baked by hand -->
    {"name": "Caf&#xe9; ]]&gt; badge", "@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential", "OpenBadgeCredential"]}
  </openbadges:credential ></svg>"#;
        let got = unbake(svg.as_bytes()).expect("reads");
        assert_eq!(got, expected);
        let svg =
            format!("<svg><openbadges:credential verify=' {JWT} '></openbadges:credential></svg>");
        check(svg.into_bytes(), &Some(BakedCredential::Jwt(JWT.into())));
        // The foreign chunk is replaced, not duplicated, and stays readable.
        let rebaked = bake(&hex(FOREIGN_PNG), &credential("new")).expect("bakes");
        assert_eq!(count(&rebaked, b"openbadgecredential"), 1);
        check(rebaked, &Some(credential("new")));
    }

    #[test]
    fn bad_input_gives_clear_errors() {
        let png = hex(PLAIN_PNG);
        let baked = bake_png(&png, &credential("x")).expect("bakes");
        let mut bad_crc = png.clone();
        bad_crc[29] ^= 1; // first CRC byte of IHDR
        let mut bad_data = baked.clone();
        let name_at = baked.len() - 20;
        bad_data[name_at] ^= 1; // inside the iTXt text
        let mut bad_itxt = png[..33].to_vec();
        push_chunk(&mut bad_itxt, b"iTXt", b"openbadgecredential\0\0").expect("chunk");
        bad_itxt.extend_from_slice(&png[33..]);
        let mut not_json = png[..33].to_vec();
        push_chunk(
            &mut not_json,
            b"iTXt",
            b"openbadgecredential\0\0\0\0\0hello",
        )
        .expect("chunk");
        not_json.extend_from_slice(&png[33..]);
        let mut huge_len = png.clone();
        huge_len[33..37].copy_from_slice(&[0xff, 0xff, 0xff, 0xf0]);
        let mut trailing = png.clone();
        trailing.extend_from_slice(b"xx");

        let check = |image: &[u8], expected: &str| {
            let err = unbake(image).expect_err(expected);
            let text = err.to_string();
            assert!(text.contains(expected), "{text:?} lacks {expected:?}");
        };
        check(b"", "neither a PNG");
        check(b"GIF89a", "neither a PNG");
        check(&[0xff, 0xfe, 0x00], "neither a PNG");
        check(&PNG_SIGNATURE, "ends without an IEND");
        check(&png[..png.len() - 1], "chunk at byte 58 runs past the end");
        check(&png[..20], "chunk at byte 8 runs past the end");
        check(&png[..45], "runs past the end");
        check(&bad_crc, "IHDR chunk at byte 8 has a bad CRC");
        check(&bad_data, "iTXt chunk at byte 58 has a bad CRC");
        check(
            &bad_itxt,
            "iTXt chunk is malformed: it ends after the keyword",
        );
        check(&not_json, "neither a JSON object nor a JWT");
        check(&huge_len, "chunk at byte 33 is malformed");
        check(&trailing, "2 bytes of unexpected data after its IEND");
        check(&png[8..], "neither a PNG");
        check(b"<html><svg/></html>", "neither a PNG");
        check(b"just text", "neither a PNG");

        let check_svg = |svg: &str, expected: &str| {
            let err = unbake_svg(svg).expect_err(expected);
            let text = err.to_string();
            assert!(text.contains(expected), "{text:?} lacks {expected:?}");
            // Baking refuses the same SVG unless only the old credential's content is bad,
            // since that content is replaced without being read.
            if !svg.contains("<openbadges:credential") {
                let err = bake_svg(svg, &credential("x")).expect_err(expected);
                assert_eq!(err.to_string(), text);
            }
        };
        check_svg("", "no <svg> root element");
        check_svg("<!-- only a comment -->", "no <svg> root element");
        check_svg("<html></html>", "the root element is <html>");
        check_svg("<!-- open", "comment is not closed");
        check_svg("<svg width=\"1", "<svg> tag at byte 0 is not closed");
        check_svg(
            "<svg><openbadges:credential><![CDATA[{}",
            "CDATA section is not closed",
        );
        check_svg(
            "<svg><openbadges:credential>{}</svg>",
            "element is not closed",
        );
        check_svg(
            "<svg><openbadges:credential>&bogus;</openbadges:credential></svg>",
            "unknown entity &bogus;",
        );
        check_svg(
            "<svg><openbadges:credential>{\"a\":</openbadges:credential></svg>",
            "not valid JSON",
        );
        check_svg(
            "<svg><openbadges:credential verify=\"not a jwt\"/></svg>",
            "not in compact form",
        );
        let taken = bake_svg(
            "<svg xmlns:openbadges=\"http://openbadges.org\"></svg>",
            &credential("x"),
        );
        assert!(matches!(taken, Err(BakingError::SvgPrefixTaken(_))));
        let bad_jwt = bake(&png, &BakedCredential::Jwt("a.b".into()));
        assert_eq!(bad_jwt, Err(BakingError::InvalidJwt));
        let not_object = bake(&png, &BakedCredential::Json(json!([1])));
        assert_eq!(not_object, Err(BakingError::JsonNotObject));
        assert_eq!(
            bake(&[0xff, 0xfe], &credential("x")),
            Err(BakingError::UnknownFormat)
        );
    }

    /// SVGs are read as XML: namespaces are resolved, so the element is found under any
    /// prefix bound to the OB 3.0 namespace, an undeclared `openbadges` prefix is still
    /// read (on an element or an attribute), and a badge baked before Credence read SVGs
    /// with an XML parser is re-baked to the same bytes.
    #[test]
    fn svgs_are_read_as_xml() {
        let json = credential("x");
        let text = json.to_text().expect("text");
        let check = |svg: &str, expected: Option<BakedCredential>| {
            assert_eq!(unbake_svg(svg).expect(svg), expected, "{svg}");
        };
        check(
            &format!("<svg xmlns:ob=\"{OB3_SVG_NAMESPACE}\"><ob:credential><![CDATA[{text}]]></ob:credential></svg>"),
            Some(json.clone()),
        );
        check(
            &format!("<svg xmlns:openbadges=\"urn:other\"><openbadges:credential><![CDATA[{text}]]></openbadges:credential></svg>"),
            None,
        );
        check(
            &format!("<svg><g openbadges:x=\"1\"/><openbadges:credential verify=\"{JWT}\"/><openbadges:credential/></svg>"),
            Some(BakedCredential::Jwt(JWT.into())),
        );
        let many = format!(
            "<svg>{}</svg>",
            "<openbadges:x/>".repeat(MAX_UNDECLARED + 1)
        );
        let err = unbake_svg(&many).expect_err("too many undeclared prefixes");
        assert!(err.to_string().contains("without declaring"), "{err}");
        let prefixed_root = "<s:svg xmlns:s=\"http://www.w3.org/2000/svg\"/>";
        assert_eq!(
            unbake_svg(prefixed_root)
                .expect_err("not <svg>")
                .to_string(),
            "the SVG has no <svg> root element: the root element is <s:svg>"
        );
        // As the scanner before the parser baked it: read, and re-baked to the same bytes.
        let earlier = format!(
            "<?xml version=\"1.0\"?>\n<svg xmlns:openbadges=\"{OB3_SVG_NAMESPACE}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"10\"><openbadges:credential><![CDATA[{text}]]></openbadges:credential><title>A &amp; B</title><!-- c --></svg>\n"
        );
        check(&earlier, Some(json.clone()));
        assert_eq!(bake_svg(&earlier, &json).expect("bakes"), earlier);
        let jwt_earlier = format!(
            "<svg xmlns:openbadges=\"{OB3_SVG_NAMESPACE}\" xmlns=\"http://www.w3.org/2000/svg\"><openbadges:credential verify=\"{JWT}\"/></svg>"
        );
        assert_eq!(
            bake_svg(&jwt_earlier, &BakedCredential::Jwt(JWT.into())).expect("bakes"),
            jwt_earlier
        );
    }

    /// Every truncation and many single-byte changes of baked images give a result or an
    /// error, never a panic.
    #[test]
    fn damaged_images_never_panic() {
        let tricky = credential("Café ]]> <b>&amp;</b>");
        let images = [
            bake(&hex(PLAIN_PNG), &tricky).expect("bakes"),
            bake(SVG.as_bytes(), &tricky).expect("bakes"),
            bake(SVG.as_bytes(), &BakedCredential::Jwt(JWT.into())).expect("bakes"),
        ];
        for image in &images {
            for len in 0..image.len() {
                let _ = unbake(&image[..len]);
                let _ = bake(&image[..len], &tricky);
            }
            for at in 0..image.len() {
                for change in [0x01, 0x80, 0xff] {
                    let mut damaged = image.clone();
                    damaged[at] ^= change;
                    let _ = unbake(&damaged);
                    let _ = bake(&damaged, &tricky);
                }
            }
        }
    }

    #[test]
    fn open_badges_2_svgs_are_read() {
        let hosted = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:openbadges=\"{}\"><openbadges:assertion verify=\"https://b.example/a/1\"/></svg>",
            crate::ob2::SVG_NAMESPACE
        );
        assert_eq!(
            unbake_svg(&hosted).unwrap(),
            Some(BakedCredential::Url("https://b.example/a/1".into()))
        );
        let signed = format!(
            "<svg xmlns:openbadges=\"{}\"><openbadges:assertion verify=\"{JWT}\"/></svg>",
            crate::ob2::SVG_NAMESPACE
        );
        assert_eq!(
            unbake_svg(&signed).unwrap(),
            Some(BakedCredential::Jwt(JWT.into()))
        );
        let embedded = format!(
            "<svg xmlns:openbadges=\"{}\"><openbadges:assertion verify=\"https://b.example/a/1\"><![CDATA[{{\"type\":\"Assertion\"}}]]></openbadges:assertion></svg>",
            crate::ob2::SVG_NAMESPACE
        );
        assert_eq!(
            unbake_svg(&embedded).unwrap(),
            Some(BakedCredential::Json(json!({"type": "Assertion"})))
        );
        // An address is never baked.
        assert!(bake_svg(SVG, &BakedCredential::Url("https://b.example/a".into())).is_err());
    }

    #[test]
    fn credential_text_is_recognised() {
        let check = |text: &str, expected: Result<BakedCredential, BakingError>| {
            assert_eq!(BakedCredential::from_text(text), expected, "{text}");
        };
        check(" {\"a\":1}\n", Ok(BakedCredential::Json(json!({"a": 1}))));
        check(JWT, Ok(BakedCredential::Jwt(JWT.into())));
        check(&format!("\n{JWT}\n"), Ok(BakedCredential::Jwt(JWT.into())));
        check("a.b.", Ok(BakedCredential::Jwt("a.b.".into())));
        // An Open Badges 2.0 hosted assertion's address.
        check(
            " https://badges.example/a/1.json\n",
            Ok(BakedCredential::Url(
                "https://badges.example/a/1.json".into(),
            )),
        );
        check(
            "https://badges.example/a b",
            Err(BakingError::NotACredential),
        );
        check("ftp://badges.example/a", Err(BakingError::NotACredential));
        check("a..c", Err(BakingError::NotACredential));
        check("a.b.c.d", Err(BakingError::NotACredential));
        check("a.b+.c", Err(BakingError::NotACredential));
        check("", Err(BakingError::NotACredential));
        check("[1]", Err(BakingError::NotACredential));
        assert!(matches!(
            BakedCredential::from_text("{\"a\":"),
            Err(BakingError::InvalidJson(_))
        ));
    }

    #[test]
    fn formats_are_detected() {
        let check = |image: &[u8], expected: Option<ImageFormat>| {
            assert_eq!(detect_format(image).ok(), expected);
        };
        check(&hex(PLAIN_PNG), Some(ImageFormat::Png));
        check(SVG.as_bytes(), Some(ImageFormat::Svg));
        check("\u{feff}<svg/>".as_bytes(), Some(ImageFormat::Svg));
        check(b"  \n<svg></svg>", Some(ImageFormat::Svg));
        check(b"<svgx/>", None);
        check(b"\x89PN", None);
    }
}
