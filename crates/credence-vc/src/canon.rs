//! JSON-LD to RDF to RDFC-1.0 canonical N-Quads, offline, with processed contexts cached
//! across documents, safe mode (undefined terms are refused) and a work bound.

use crate::contexts::{ContextSet, UnknownContext};
use oxjsonld::{JsonLdContextCache, JsonLdParser, JsonLdProfile, JsonLdRemoteDocument};
use oxrdf::dataset::{CanonicalizationAlgorithm, CanonicalizationHashAlgorithm};
use oxrdf::{
    BlankNode, BlankNodeRef, Dataset, FirstDegreeHashes, GraphNameRef, NamedOrBlankNodeRef,
    QuadRef, TermRef,
};
use rustc_hash::FxHashMap;
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, OnceLock};

/// The `@vocab` that safe mode puts in front of a document's contexts: any IRI that starts
/// with it comes from a term or type that no context defines.
const SENTINEL_VOCAB: &str = "urn:credence:undefined-term:";

/// The base IRI that safe mode parses with: any IRI that starts with it came from a relative
/// IRI reference, which JSON-LD would otherwise drop (with every statement about it).
const SENTINEL_BASE: &str = "https://relative-reference.credence.invalid/";

/// RDFC-1.0 with SHA-256, as `eddsa-rdfc-2022` specifies.
const RDFC_10: CanonicalizationAlgorithm = CanonicalizationAlgorithm::Rdfc10 {
    hash_algorithm: CanonicalizationHashAlgorithm::Sha256,
};

/// The most Hash N-Degree Quads steps (calls plus permutations) canonicalisation may take.
/// Real credentials need few: 1EdTech's fullOpenBadge, with four identical endorsement
/// proofs, needs 41; the ob3-interop credential none. A step costs about 5 µs in a release
/// build, so the bound refuses a poisoned graph in about 20 ms.
pub const DEFAULT_MAX_WORK: u64 = 4_000;

/// The JSON-LD 1.1 keywords that may appear as keys in a document.
const KEYWORDS: &[&str] = &[
    "@base",
    "@container",
    "@context",
    "@direction",
    "@graph",
    "@id",
    "@import",
    "@included",
    "@index",
    "@json",
    "@language",
    "@list",
    "@nest",
    "@none",
    "@prefix",
    "@propagate",
    "@protected",
    "@reverse",
    "@set",
    "@type",
    "@value",
    "@version",
    "@vocab",
];

/// How deeply JSON values may nest.
pub const MAX_DEPTH: usize = 64;

/// Why a document could not be canonicalised.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CanonError {
    /// The document is not a JSON object.
    #[error("The document must be a JSON object.")]
    NotAnObject,
    /// The document nests deeper than [`MAX_DEPTH`].
    #[error("The document nests JSON values more than {0} levels deep, which Credence refuses.")]
    TooDeep(usize),
    /// A context is not bundled.
    #[error(transparent)]
    UnknownContext(#[from] UnknownContext),
    /// An `@context` entry is neither a URL nor an object.
    #[error("An @context entry must be a URL or an object, but one is {0}.")]
    BadContext(String),
    /// The JSON-LD processor refused the document.
    #[error("The document is not valid JSON-LD: {0}")]
    JsonLd(String),
    /// Safe mode: some terms or types are defined by no context, so they would not be signed.
    #[error(
        "The document uses terms or types that none of its contexts defines, so they would be silently left out of the signature: {}.",
        .0.join(", ")
    )]
    UndefinedTerms(Vec<String>),
    /// Safe mode: relative IRI references would be dropped with every statement using them.
    #[error(
        "The document uses relative IRI references, which have no base here, so they and every statement about them would be silently left out of the signature: {}.",
        .0.join(", ")
    )]
    RelativeReferences(Vec<String>),
    /// Safe mode: values that cannot become RDF terms would be dropped.
    #[error(
        "The document has values that are not valid IRIs or literals, so they and every statement using them would be silently left out of the signature: {}.",
        .0.join(", ")
    )]
    Dropped(Vec<String>),
    /// Safe mode: a key looks like a JSON-LD keyword but is not one, so it would be ignored.
    #[error(
        "The document has the key {0:?}, which looks like a JSON-LD keyword but is not one, so it would be silently left out of the signature."
    )]
    UnknownKeyword(String),
    /// Safe mode: a context erases definitions (`null`), which would hide terms from safe mode.
    #[error(
        "The document's @context {0}, which would let properties drop out of the signature unnoticed; Credence refuses such documents."
    )]
    ErasingContext(String),
    /// The RDF graph needs too much work to canonicalise.
    #[error(
        "The document's blank nodes are too symmetric to canonicalise within {0} steps; it may have been crafted to exhaust the verifier."
    )]
    TooComplex(u64),
}

/// Turns JSON-LD documents into canonical N-Quads with one fixed set of contexts.
///
/// Cloning is cheap and clones share the processed-context cache, which makes every document
/// after the first much faster.
#[derive(Clone)]
pub struct Canonicalizer {
    contexts: Arc<ContextSet>,
    cache: JsonLdContextCache,
    streaming_cache: JsonLdContextCache,
    max_work: u64,
    /// An achievement read once, used where a document embeds exactly it.
    achievement: Option<Arc<PreparedAchievement>>,
    /// The canonical forms of the last few small documents given to
    /// [`canonicalize_small`](Self::canonicalize_small), by their JSON text: a bulk award
    /// signs hundreds of credentials with one proof configuration.
    recent: Arc<Mutex<Recent>>,
}

/// Small documents' JSON texts with their canonical forms, oldest first.
type Recent = Vec<(Vec<u8>, Arc<str>)>;

/// How many small documents [`Canonicalizer::canonicalize_small`] remembers.
const RECENT: usize = 8;

/// The largest JSON text, in bytes, that [`Canonicalizer::canonicalize_small`] remembers.
const RECENT_MAX_BYTES: usize = 2048;

/// An achievement that many credentials embed as `credentialSubject.achievement` (every
/// award of it), read into RDF once: see [`Canonicalizer::prepare_achievement`].
///
/// A document uses it only when it has exactly this `@context`, these credential and
/// subject types and this achievement (equal JSON): then the achievement is a node with
/// its own `id` whose active context is the document's own (the credential's and the
/// subject's type-scoped contexts do not propagate, and neither `credentialSubject` nor
/// `achievement` carries a scoped context), so reading it on its own gives the statements
/// reading it embedded does, and the document is read with the achievement replaced by a
/// reference to its `id`, its statements added from here. Preparation checks that claim
/// on a probe credential and refuses an achievement for which it does not hold.
#[derive(Debug)]
pub struct PreparedAchievement {
    context: Value,
    credential_types: Value,
    subject_types: Value,
    achievement: Value,
    id: String,
    dataset: Dataset,
    /// The first-degree hashes of the achievement's blank nodes, which RDFC-1.0 would
    /// compute again for every credential (oxrdf reuses one only where the blank node has
    /// exactly the quads it has here).
    hints: FirstDegreeHashes,
}

impl PreparedAchievement {
    /// The achievement's `id`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The achievement, as prepared.
    pub fn achievement(&self) -> &Value {
        &self.achievement
    }

    /// Whether `document` embeds this achievement in the form it was prepared for.
    fn embedded_in(&self, document: &serde_json::Map<String, Value>) -> bool {
        let Some(Value::Object(subject)) = document.get("credentialSubject") else {
            return false;
        };
        document.get("@context") == Some(&self.context)
            && document.get("type") == Some(&self.credential_types)
            && subject.get("type") == Some(&self.subject_types)
            && subject.get("achievement") == Some(&self.achievement)
    }
}

impl Default for Canonicalizer {
    fn default() -> Self {
        Self::standard().clone()
    }
}

impl std::fmt::Debug for Canonicalizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Canonicalizer")
            .field("contexts", &self.contexts.urls().collect::<Vec<_>>())
            .field(
                "cached_contexts",
                &(self.cache.len() + self.streaming_cache.len()),
            )
            .field("max_work", &self.max_work)
            .finish()
    }
}

impl Canonicalizer {
    /// A canonicaliser that accepts exactly the contexts in `contexts`.
    pub fn new(contexts: ContextSet) -> Self {
        Self {
            contexts: Arc::new(contexts),
            cache: JsonLdContextCache::new(),
            streaming_cache: JsonLdContextCache::new(),
            max_work: DEFAULT_MAX_WORK,
            achievement: None,
            recent: Arc::default(),
        }
    }

    /// The process-wide canonicaliser over the standard contexts.
    pub fn standard() -> &'static Self {
        static STANDARD: OnceLock<Canonicalizer> = OnceLock::new();
        STANDARD.get_or_init(|| Self::new(ContextSet::standard()))
    }

    /// The same canonicaliser with another work bound.
    #[must_use]
    pub fn with_max_work(mut self, max_work: u64) -> Self {
        self.max_work = max_work;
        self
    }

    /// The same canonicaliser, reading documents that embed `achievement` with its
    /// statements prepared once (see [`PreparedAchievement`]); other documents are read as
    /// before.
    #[must_use]
    pub fn with_achievement(mut self, achievement: Arc<PreparedAchievement>) -> Self {
        self.achievement = Some(achievement);
        self
    }

    /// Whether `document` embeds this canonicaliser's prepared achievement, so that it is
    /// read with it.
    pub fn reads_prepared(&self, document: &Value) -> bool {
        match (&self.achievement, document) {
            (Some(prepared), Value::Object(map)) => prepared.embedded_in(map),
            _ => false,
        }
    }

    /// Reads `achievement` (a JSON object with an `id`, and no `@context` of its own) into
    /// RDF once, for credentials with this `@context`, these types (the credential's
    /// `type`, the subject's `type`) that embed it as `credentialSubject.achievement`.
    ///
    /// Checks on a probe credential that the document read with the prepared achievement
    /// canonicalises exactly as the document read whole, and refuses the achievement
    /// otherwise; the achievement must also pass safe mode on its own.
    pub fn prepare_achievement(
        &self,
        context: &Value,
        credential_types: &Value,
        subject_types: &Value,
        achievement: &Value,
    ) -> Result<Arc<PreparedAchievement>, CanonError> {
        let Value::Object(node) = achievement else {
            return Err(CanonError::NotAnObject);
        };
        let id = node
            .get("id")
            .and_then(Value::as_str)
            .filter(|id| !id.starts_with("_:"))
            .ok_or_else(|| {
                CanonError::JsonLd("an achievement read on its own needs an IRI as its id".into())
            })?;
        if node.contains_key("@context") {
            return Err(CanonError::JsonLd(
                "an achievement read on its own may not have an @context of its own".into(),
            ));
        }
        let mut plain = self.clone();
        plain.achievement = None;
        let mut standalone = serde_json::Map::with_capacity(node.len() + 1);
        standalone.insert("@context".into(), context.clone());
        standalone.extend(node.iter().map(|(k, v)| (k.clone(), v.clone())));
        let dataset = plain.read(&standalone, true)?;
        let prepared = Arc::new(PreparedAchievement {
            context: context.clone(),
            credential_types: credential_types.clone(),
            subject_types: subject_types.clone(),
            achievement: achievement.clone(),
            id: id.to_owned(),
            hints: dataset.first_degree_hashes(RDFC_10),
            dataset,
        });
        let probe = serde_json::json!({
            "@context": context,
            "type": credential_types,
            "credentialSubject": {"type": subject_types, "achievement": achievement},
        });
        let Value::Object(probe_map) = &probe else {
            return Err(CanonError::NotAnObject);
        };
        let whole = plain.canonicalize(&probe)?;
        let composed = plain.clone().with_achievement(Arc::clone(&prepared));
        let Some((dataset, _)) = composed.read_prepared(probe_map, None) else {
            return Err(CanonError::JsonLd(
                "a credential embedding the achievement cannot be read with it prepared".into(),
            ));
        };
        if composed.canonicalize_hinted(dataset, Some(&prepared.hints))? != whole {
            return Err(CanonError::JsonLd(
                "the achievement read on its own gives other statements than read embedded".into(),
            ));
        }
        Ok(prepared)
    }

    /// Reads a document that embeds the prepared achievement: the document without it (a
    /// reference to its id in its place), added to the achievement's statements. `None` when
    /// there is no prepared achievement, the document does not embed it, or the streaming
    /// reading refuses the rest.
    fn read_prepared(
        &self,
        map: &serde_json::Map<String, Value>,
        without: Option<&str>,
    ) -> Option<(Dataset, Vec<String>)> {
        let prepared = self.achievement.as_deref()?;
        if !prepared.embedded_in(map) {
            return None;
        }
        let bytes = guarded_bytes(map, KeyOrder::Streaming, Some(&prepared.id), without).ok()?;
        self.expand(&bytes, true, prepared.dataset.clone()).ok()
    }

    /// Processes the contexts of a typical OB 3.0 credential and its Data Integrity proof
    /// configuration (VC 2.0 + OB 3.0.3), so that the first real document is as fast as
    /// the next ones. Call it once at start-up; it takes a few milliseconds.
    pub fn warm_up(&self) -> Result<(), CanonError> {
        let credential: Value =
            serde_json::from_str(include_str!("../contexts/warm-up-ob3-credential.json"))
                .map_err(|e| CanonError::JsonLd(e.to_string()))?;
        let config = serde_json::json!({
            "@context": credential.get("@context"),
            "type": "DataIntegrityProof",
            "cryptosuite": "eddsa-rdfc-2022",
            "created": "2025-01-01T00:00:00Z",
            "verificationMethod": "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
            "proofPurpose": "assertionMethod",
        });
        for document in [&credential, &config] {
            let Value::Object(map) = document else {
                return Err(CanonError::NotAnObject);
            };
            // Both readings: the streaming one and the buffering one it falls back to.
            self.read(map, true)?;
            self.read(map, false)?;
        }
        Ok(())
    }

    /// The contexts this canonicaliser accepts.
    pub fn contexts(&self) -> &ContextSet {
        &self.contexts
    }

    /// Canonicalises `document` into RDFC-1.0 N-Quads (SHA-256), refusing unknown contexts,
    /// undefined terms (safe mode) and graphs that need too much work.
    pub fn canonicalize(&self, document: &Value) -> Result<String, CanonError> {
        let Value::Object(map) = document else {
            return Err(CanonError::NotAnObject);
        };
        self.canonicalize_object(map)
    }

    /// [`canonicalize`](Self::canonicalize) for a document given as its JSON object.
    pub fn canonicalize_object(
        &self,
        document: &serde_json::Map<String, Value>,
    ) -> Result<String, CanonError> {
        self.canonicalize_object_without(document, None)
    }

    /// [`canonicalize_object`](Self::canonicalize_object) of `document` read as if its
    /// member `without` were absent (a secured document read without its `proof`, with
    /// no copy made of it).
    pub fn canonicalize_object_without(
        &self,
        document: &serde_json::Map<String, Value>,
        without: Option<&str>,
    ) -> Result<String, CanonError> {
        let (dataset, hints) = self.read_with_hints(document, true, without)?;
        self.canonicalize_hinted(dataset, hints)
    }

    /// [`canonicalize_object`](Self::canonicalize_object) for small documents that recur,
    /// such as a proof configuration: the canonical form of each of the last few (by their
    /// JSON text, up to 2 KB) is remembered. A canonical form depends only on the document
    /// and the contexts, which clones share; errors are not remembered.
    pub fn canonicalize_small(
        &self,
        document: &serde_json::Map<String, Value>,
    ) -> Result<Arc<str>, CanonError> {
        let key = serde_json::to_vec(document).map_err(|e| CanonError::JsonLd(e.to_string()))?;
        if key.len() > RECENT_MAX_BYTES {
            return self.canonicalize_object(document).map(Arc::from);
        }
        if let Ok(recent) = self.recent.lock() {
            if let Some((_, canonical)) = recent.iter().find(|(k, _)| *k == key) {
                return Ok(Arc::clone(canonical));
            }
        }
        let canonical: Arc<str> = Arc::from(self.canonicalize_object(document)?);
        if let Ok(mut recent) = self.recent.lock() {
            if recent.len() >= RECENT {
                recent.remove(0);
            }
            recent.push((key, Arc::clone(&canonical)));
        }
        Ok(canonical)
    }

    /// Expands `document` into an RDF dataset, in safe mode.
    pub fn to_dataset(&self, document: &Value) -> Result<Dataset, CanonError> {
        let Value::Object(map) = document else {
            return Err(CanonError::NotAnObject);
        };
        self.object_to_dataset(map)
    }

    fn object_to_dataset(
        &self,
        map: &serde_json::Map<String, Value>,
    ) -> Result<Dataset, CanonError> {
        self.read(map, true)
    }

    /// Expands a document into an RDF dataset in safe mode, trying the streaming reading
    /// first when `fast`.
    fn read(
        &self,
        map: &serde_json::Map<String, Value>,
        fast: bool,
    ) -> Result<Dataset, CanonError> {
        self.read_with_hints(map, fast, None)
            .map(|(dataset, _)| dataset)
    }

    /// [`read`](Self::read), with the prepared achievement's first-degree hashes when the
    /// document was read with it; the member `without`, if any, is left out.
    fn read_with_hints(
        &self,
        map: &serde_json::Map<String, Value>,
        fast: bool,
        without: Option<&str>,
    ) -> Result<(Dataset, Option<&FirstDegreeHashes>), CanonError> {
        check_contexts(map, &self.contexts, without)?;
        // Safe mode: put a sentinel @vocab in front of the document's contexts. Terms the
        // contexts define are unaffected; undefined ones expand to sentinel IRIs instead of
        // being dropped, and are reported.
        //
        // Fast path first: the document written with its keys in the order a buffering
        // JSON-LD processor replays them anyway (@context, the types, the id, the rest, @graph
        // last) and read with the streaming profile, which then buffers nothing. A document
        // the streaming profile refuses (an alias of @type or @id that is not `type` or `id`,
        // say) is read again as written, with full buffering, and that reading decides.
        // Faster still when the document embeds a prepared achievement.
        let (streamed, hints) = if fast {
            match self.read_prepared(map, without) {
                Some(read) => (Some(read), self.achievement.as_deref().map(|a| &a.hints)),
                None => {
                    let ordered = guarded_bytes(map, KeyOrder::Streaming, None, without)
                        .map_err(|e| CanonError::JsonLd(e.to_string()))?;
                    (self.expand(&ordered, true, Dataset::new()).ok(), None)
                }
            }
        } else {
            (None, None)
        };
        let (dataset, mut dropped) = match streamed {
            Some(read) => read,
            None => {
                let bytes = guarded_bytes(map, KeyOrder::AsWritten, None, without)
                    .map_err(|e| CanonError::JsonLd(e.to_string()))?;
                self.expand(&bytes, false, Dataset::new())?
            }
        };
        dropped.sort_unstable();
        dropped.dedup();
        let (undefined, relative) = sentinel_iris(&dataset);
        if !undefined.is_empty() {
            return Err(CanonError::UndefinedTerms(undefined));
        }
        if !relative.is_empty() {
            return Err(CanonError::RelativeReferences(relative));
        }
        if !dropped.is_empty() {
            return Err(CanonError::Dropped(dropped));
        }
        Ok((dataset, hints))
    }

    /// Reads JSON-LD bytes into `dataset`, with the values the processor dropped.
    fn expand(
        &self,
        bytes: &[u8],
        streaming: bool,
        mut dataset: Dataset,
    ) -> Result<(Dataset, Vec<String>), CanonError> {
        let contexts = Arc::clone(&self.contexts);
        let mut parser = JsonLdParser::new();
        if streaming {
            parser = parser.with_profile(JsonLdProfile::Streaming);
        }
        let mut parser = parser
            .with_base_iri(SENTINEL_BASE)
            .map_err(|e| CanonError::JsonLd(e.to_string()))?
            .for_slice(bytes)
            .with_load_document_callback(move |url, _| {
                let content = contexts.load(url)?;
                Ok(JsonLdRemoteDocument {
                    document: content.as_bytes().to_vec(),
                    document_url: url.to_owned(),
                })
            })
            // The two readings keep separate caches: a cache is only for one set of options.
            .with_context_cache(if streaming {
                self.streaming_cache.clone()
            } else {
                self.cache.clone()
            });
        for quad in parser.by_ref() {
            let quad = quad.map_err(|e| CanonError::JsonLd(e.to_string()))?;
            dataset.insert(&quad);
        }
        Ok((dataset, parser.dropped_values()))
    }

    /// Canonicalises an RDF dataset into sorted N-Quads lines, each ending in a newline.
    pub fn canonicalize_dataset(&self, dataset: Dataset) -> Result<String, CanonError> {
        self.canonicalize_hinted(dataset, None)
    }

    /// [`canonicalize_dataset`](Self::canonicalize_dataset), reusing first-degree hashes of
    /// blank nodes computed on a dataset all of whose quads `dataset` holds.
    fn canonicalize_hinted(
        &self,
        dataset: Dataset,
        hints: Option<&FirstDegreeHashes>,
    ) -> Result<String, CanonError> {
        let labels = match hints {
            Some(hints) => {
                dataset.canonicalize_blank_nodes_with_hints(RDFC_10, self.max_work, hints)
            }
            None => dataset.canonicalize_blank_nodes_with_work_limit(RDFC_10, self.max_work),
        }
        .map_err(|e| CanonError::TooComplex(e.max_work))?;
        let labels: FxHashMap<BlankNodeRef<'_>, BlankNode> = labels.into_iter().collect();
        fn label<'a>(
            labels: &'a FxHashMap<BlankNodeRef<'a>, BlankNode>,
            b: BlankNodeRef<'a>,
        ) -> BlankNodeRef<'a> {
            labels.get(&b).map_or(b, BlankNode::as_ref)
        }
        let relabel = |b| label(&labels, b);
        // Every line written into one buffer, then the lines sorted as slices of it.
        let mut buffer = String::with_capacity(64 * 1024);
        let mut lines: Vec<(usize, usize)> = Vec::with_capacity(dataset.len());
        for q in dataset.iter() {
            let start = buffer.len();
            let subject = match q.subject {
                NamedOrBlankNodeRef::BlankNode(b) => relabel(b).into(),
                other => other,
            };
            let object = match q.object {
                TermRef::BlankNode(b) => relabel(b).into(),
                other => other,
            };
            let graph_name = match q.graph_name {
                GraphNameRef::BlankNode(b) => relabel(b).into(),
                other => other,
            };
            QuadRef::new(subject, q.predicate, object, graph_name).write_nquads_line(&mut buffer);
            lines.push((start, buffer.len()));
        }
        lines.sort_unstable_by(|a, b| buffer[a.0..a.1].cmp(&buffer[b.0..b.1]));
        let mut out = String::with_capacity(buffer.len());
        for (start, end) in lines {
            out.push_str(&buffer[start..end]);
        }
        Ok(out)
    }
}

/// Canonicalises `document` with the standard contexts: see [`Canonicalizer::canonicalize`].
pub fn canonicalize(document: &Value) -> Result<String, CanonError> {
    Canonicalizer::standard().canonicalize(document)
}

/// The order [`guarded_bytes`] writes an object's keys in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyOrder {
    /// As the document has them.
    AsWritten,
    /// In every node, `@context` first, then `@type` and `type`, then `@id` and `id`, then
    /// the other keys as the document has them, and `@graph` last: the order in which a
    /// buffering JSON-LD processor replays them, and the one the streaming profile needs.
    /// Contexts themselves are written as they are.
    Streaming,
}

/// The document as JSON bytes, with the sentinel `@vocab` context first, less its member
/// `without` if any.
///
/// With `achievement` (streaming order only), `credentialSubject.achievement` is written as
/// a reference to that id: see [`PreparedAchievement`].
fn guarded_bytes(
    map: &serde_json::Map<String, Value>,
    order: KeyOrder,
    achievement: Option<&str>,
    without: Option<&str>,
) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(32 * 1024);
    out.extend_from_slice(br#"{"@context":[{"@vocab":""#);
    out.extend_from_slice(SENTINEL_VOCAB.as_bytes());
    out.extend_from_slice(br#""}"#);
    match map.get("@context") {
        Some(Value::Array(items)) => {
            for item in items {
                out.push(b',');
                serde_json::to_writer(&mut out, item)?;
            }
        }
        Some(other) => {
            out.push(b',');
            serde_json::to_writer(&mut out, other)?;
        }
        None => {}
    }
    out.push(b']');
    let members = map
        .iter()
        .filter(|(k, _)| *k != "@context" && Some(k.as_str()) != without);
    match order {
        KeyOrder::AsWritten => {
            for (k, v) in members {
                out.push(b',');
                serde_json::to_writer(&mut out, k)?;
                out.push(b':');
                serde_json::to_writer(&mut out, v)?;
            }
        }
        KeyOrder::Streaming => {
            for (k, v) in streaming_order(members) {
                out.push(b',');
                serde_json::to_writer(&mut out, k)?;
                out.push(b':');
                match (v, achievement) {
                    (Value::Object(subject), Some(id)) if k == "credentialSubject" => {
                        write_subject(&mut out, subject, id)?;
                    }
                    _ => write_streaming(&mut out, v)?,
                }
            }
        }
    }
    out.push(b'}');
    Ok(out)
}

/// An object's members in [`KeyOrder::Streaming`] order.
fn streaming_order<'a>(
    members: impl Iterator<Item = (&'a String, &'a Value)>,
) -> impl Iterator<Item = (&'a String, &'a Value)> {
    let rank = |key: &str| match key {
        "@context" => 0,
        "@type" => 1,
        "type" => 2,
        "@id" => 3,
        "id" => 4,
        "@graph" => 6,
        _ => 5,
    };
    let mut members: Vec<_> = members.collect();
    // Stable: the other keys keep the document's order.
    members.sort_by_key(|(k, _)| rank(k));
    members.into_iter()
}

/// Writes a credential subject in [`KeyOrder::Streaming`] order, its `achievement` as a
/// reference to `id`.
fn write_subject(
    out: &mut Vec<u8>,
    subject: &serde_json::Map<String, Value>,
    id: &str,
) -> serde_json::Result<()> {
    out.push(b'{');
    for (i, (k, v)) in streaming_order(subject.iter()).enumerate() {
        if i > 0 {
            out.push(b',');
        }
        serde_json::to_writer(&mut *out, k)?;
        out.push(b':');
        if k == "achievement" {
            out.extend_from_slice(br#"{"id":"#);
            serde_json::to_writer(&mut *out, id)?;
            out.push(b'}');
        } else {
            write_streaming(out, v)?;
        }
    }
    out.push(b'}');
    Ok(())
}

/// Writes a JSON value with every object's keys in [`KeyOrder::Streaming`] order.
fn write_streaming(out: &mut Vec<u8>, value: &Value) -> serde_json::Result<()> {
    match value {
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_streaming(out, item)?;
            }
            out.push(b']');
        }
        Value::Object(map) => {
            out.push(b'{');
            for (i, (k, v)) in streaming_order(map.iter()).enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                serde_json::to_writer(&mut *out, k)?;
                out.push(b':');
                if k == "@context" {
                    serde_json::to_writer(&mut *out, v)?;
                } else {
                    write_streaming(out, v)?;
                }
            }
            out.push(b'}');
        }
        scalar => serde_json::to_writer(&mut *out, scalar)?,
    }
    Ok(())
}

/// Checks nesting depth and that every context URL the document names is known.
fn check_contexts(
    document: &serde_json::Map<String, Value>,
    contexts: &ContextSet,
    without: Option<&str>,
) -> Result<(), CanonError> {
    let members = || {
        document
            .iter()
            .filter(move |(k, _)| Some(k.as_str()) != without)
    };
    let mut stack: Vec<(&Value, usize)> = members().map(|(_, v)| (v, 1)).collect();
    if let Some(context) = document.get("@context") {
        check_context_value(context, contexts)?;
    }
    for (key, _) in members() {
        if key.starts_with('@') && !KEYWORDS.contains(&key.as_str()) {
            return Err(CanonError::UnknownKeyword(key.clone()));
        }
    }
    while let Some((value, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            return Err(CanonError::TooDeep(MAX_DEPTH));
        }
        match value {
            Value::Array(items) => stack.extend(items.iter().map(|v| (v, depth + 1))),
            Value::Object(map) => {
                for (k, v) in map {
                    if k == "@context" {
                        check_context_value(v, contexts)?;
                    } else if k.starts_with('@') && !KEYWORDS.contains(&k.as_str()) {
                        return Err(CanonError::UnknownKeyword(k.clone()));
                    }
                    stack.push((v, depth + 1));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn check_context_value(value: &Value, contexts: &ContextSet) -> Result<(), CanonError> {
    let items = match value {
        Value::Array(items) => items.as_slice(),
        other => std::slice::from_ref(other),
    };
    for item in items {
        match item {
            Value::String(url) => {
                contexts.load(url)?;
            }
            Value::Object(map) => {
                if let Some(Value::String(url)) = map.get("@import") {
                    contexts.load(url)?;
                }
                for (key, definition) in map {
                    let erased =
                        definition.is_null() || definition.get("@id").is_some_and(Value::is_null);
                    if erased && key == "@vocab" {
                        return Err(CanonError::ErasingContext("sets @vocab to null".into()));
                    }
                    if erased && !key.starts_with('@') {
                        return Err(CanonError::ErasingContext(format!(
                            "maps the term {key:?} to null"
                        )));
                    }
                }
            }
            Value::Null => {
                return Err(CanonError::ErasingContext(
                    "is null, which resets every definition".into(),
                ));
            }
            other => {
                let kind = match other {
                    Value::Bool(_) => "a boolean",
                    Value::Number(_) => "a number",
                    _ => "an array",
                };
                return Err(CanonError::BadContext(kind.to_owned()));
            }
        }
    }
    Ok(())
}

/// The names of undefined terms and types, and the relative references, from sentinel IRIs
/// in the dataset.
fn sentinel_iris(dataset: &Dataset) -> (Vec<String>, Vec<String>) {
    let mut found = BTreeSet::new();
    let mut relative = BTreeSet::new();
    let mut note = |iri: &str| {
        if let Some(term) = iri.strip_prefix(SENTINEL_VOCAB) {
            found.insert(term.to_owned());
        } else if let Some(reference) = iri.strip_prefix(SENTINEL_BASE) {
            relative.insert(reference.to_owned());
        }
    };
    for quad in dataset {
        if let NamedOrBlankNodeRef::NamedNode(n) = quad.subject {
            note(n.as_str());
        }
        note(quad.predicate.as_str());
        match quad.object {
            TermRef::NamedNode(n) => note(n.as_str()),
            TermRef::Literal(l) => note(l.datatype().as_str()),
            _ => {}
        }
        if let GraphNameRef::NamedNode(n) = quad.graph_name {
            note(n.as_str());
        }
    }
    (found.into_iter().collect(), relative.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors");

    fn read(path: &str) -> String {
        std::fs::read_to_string(format!("{VECTORS}/{path}"))
            .unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
    }

    fn json(path: &str) -> Value {
        serde_json::from_str(&read(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn vectors() -> Canonicalizer {
        Canonicalizer::new(ContextSet::standard())
    }

    /// Literals are written in canonical N-Quads form: `"`, `\` and the ECHAR controls
    /// escaped by name, other controls, U+007F, U+FFFE and U+FFFF as `\uXXXX`, everything
    /// else as itself (the vendored oxrdf writes unescaped runs whole: `vendor/README.md`).
    #[test]
    fn a_member_left_out_is_read_as_if_absent() {
        let canon = vectors();
        let signed = json("ob3-interop/ob3-signed-by-js.json");
        let Value::Object(mut signed) = signed else {
            panic!("an object")
        };
        let mut unsigned = signed.clone();
        unsigned.shift_remove("proof");
        let expected = canon.canonicalize_object(&unsigned).expect("canonical");
        assert_eq!(read("ob3-interop/ob3-canonical.nq"), expected);
        let without = |doc: &serde_json::Map<String, Value>| {
            canon.canonicalize_object_without(doc, Some("proof"))
        };
        assert_eq!(without(&signed).expect("canonical"), expected);
        // Nothing of the member left out is read, not even a context no one knows.
        signed["proof"]["@context"] = "https://unknown.example/context".into();
        assert_eq!(without(&signed).expect("canonical"), expected);
        assert!(canon.canonicalize_object(&signed).is_err());
    }

    #[test]
    fn literals_are_escaped_as_canonical_n_quads() {
        let document = serde_json::json!({
            "@context": {"@vocab": "https://example.org/"},
            "@id": "https://example.org/s",
            "p": "plain",
            "q": "a\"b\\c\nd\te\u{8}f\u{c}g\rh\u{1}i\u{1f}j\u{7f}k\u{fffe}l\u{ffff}m é ☃ 𝄞 \u{e000}",
            "r": "\"start and end\\"
        });
        let got = Canonicalizer::standard()
            .canonicalize(&document)
            .expect("canonical form");
        let expected = concat!(
            "<https://example.org/s> <https://example.org/p> \"plain\" .\n",
            "<https://example.org/s> <https://example.org/q> \"a\\\"b\\\\c\\nd\\te\\bf\\fg\\rh\\u0001i\\u001Fj\\u007Fk\\uFFFEl\\uFFFFm é ☃ 𝄞 \u{e000}\" .\n",
            "<https://example.org/s> <https://example.org/r> \"\\\"start and end\\\\\" .\n",
        );
        assert_eq!(got, expected);
    }

    #[test]
    fn lines_are_written_as_oxrdf_displays_them() {
        // The terms' `write_nquads` is what their `Display` calls (vendored oxrdf patch);
        // this checks the line around them (separators, the graph name, the end) against
        // `QuadRef`'s own `Display`, on every statement of documents with IRIs, blank
        // nodes, typed, language-tagged and escaped literals, and named graphs (the proof
        // set of a signed credential, an explicit `@graph`).
        let mut documents = vec![
            json("credence/award-foundational.json"),
            json("ob3-interop/ob3-signed-by-js.json"),
            serde_json::json!({
                "@context": {"@vocab": "https://example.org/", "@language": "en"},
                "@id": "https://example.org/s",
                "p": "a\"b\\c\nd\u{1}é ☃ 𝄞",
                "q": {"@value": "7", "@type": "http://www.w3.org/2001/XMLSchema#integer"},
                "r": {"@id": "_:b0"},
                "g": {"@graph": {"@id": "https://example.org/t", "p": "in a graph"}},
            }),
        ];
        documents.push(json("1edtech-ob3/ob-signed.json"));
        let mut checked = 0;
        for document in &documents {
            let dataset = vectors().to_dataset(document).expect("a dataset");
            for quad in dataset.iter() {
                let mut line = String::new();
                quad.write_nquads_line(&mut line);
                assert_eq!(line, format!("{quad} .\n"));
                checked += 1;
            }
        }
        assert!(checked > 300, "only {checked} statements checked");
    }

    /// Canonicalises `input` and compares with `expected` byte for byte.
    fn check(input: &str, expected: &str) {
        let canon = vectors();
        let got = canon
            .canonicalize(&json(input))
            .unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(got, read(expected), "{input}");
        // Again, from the cache: same bytes.
        assert_eq!(
            canon.canonicalize(&json(input)).ok(),
            Some(got),
            "{input} (cached)"
        );
    }

    #[test]
    fn canonical_forms_match_javascript() {
        for (input, expected) in [
            (
                "vc-di-eddsa/unsigned.json",
                "vc-di-eddsa/eddsa-rdfc-2022/canonDocDataInt.txt",
            ),
            (
                "vc-di-eddsa/employmentAuth.json",
                "vc-di-eddsa/eddsa-rdfc-2022/employ/canonDocDataInt.txt",
            ),
            (
                "vc-di-eddsa/eddsa-rdfc-2022/proofConfigDataInt.json",
                "vc-di-eddsa/eddsa-rdfc-2022/proofCanonDataInt.txt",
            ),
            (
                "vc-di-eddsa/eddsa-rdfc-2022/employ/proofConfigDataInt.json",
                "vc-di-eddsa/eddsa-rdfc-2022/employ/proofCanonDataInt.txt",
            ),
            (
                "ob3-interop/ob3-unsigned.json",
                "ob3-interop/ob3-canonical.nq",
            ),
            (
                "ob3-interop/jsonld-two-type-scoped-contexts.json",
                "ob3-interop/jsonld-two-type-scoped-contexts.nq",
            ),
            (
                "1edtech-examples/fullOpenBadge.json",
                "ob3-interop/1edtech-fullOpenBadge.canonical.nq",
            ),
        ] {
            check(input, expected);
        }
    }

    /// Processed contexts held, by both readings.
    fn cached(canon: &Canonicalizer) -> usize {
        canon.cache.len() + canon.streaming_cache.len()
    }

    #[test]
    fn warm_up_fills_the_context_cache() {
        let canon = Canonicalizer::new(ContextSet::standard());
        assert_eq!(cached(&canon), 0);
        assert_eq!(canon.warm_up(), Ok(()));
        for (reading, held) in [
            ("streaming", canon.streaming_cache.len()),
            ("buffering", canon.cache.len()),
        ] {
            assert!(held > 5, "{reading}: only {held} contexts cached");
        }
        let warmed = cached(&canon);
        assert!(canon
            .canonicalize(&json("ob3-interop/ob3-unsigned.json"))
            .is_ok());
        assert_eq!(
            cached(&canon),
            warmed,
            "the credential needed no new context"
        );
    }

    /// Every document of the vectors (credentials, proof configurations, signed documents
    /// with their proofs) is read by the streaming fast path, and its canonical form is the
    /// one the buffering reading gives.
    #[test]
    fn streaming_reading_agrees_with_buffering() {
        let canon = vectors();
        for path in [
            "vc-di-eddsa/unsigned.json",
            "vc-di-eddsa/employmentAuth.json",
            "vc-di-eddsa/eddsa-rdfc-2022/proofConfigDataInt.json",
            "vc-di-eddsa/eddsa-rdfc-2022/employ/proofConfigDataInt.json",
            "ob3-interop/ob3-unsigned.json",
            "ob3-interop/ob3-signed-by-js.json",
            "ob3-interop/jsonld-two-type-scoped-contexts.json",
            "1edtech-ob3/ob-unsigned.json",
            "1edtech-ob3/ob-signed.json",
            "1edtech-examples/achievementAlignmentCase.json",
            "1edtech-examples/achievementAlignmentCe.json",
            "1edtech-examples/basicOpenBadgeCredential.json",
            "1edtech-examples/endorsement.json",
            "1edtech-examples/fullOpenBadge.json",
            "1edtech-examples/skillAssertionCase.json",
            "1edtech-examples/skillAssertionCtdl.json",
        ] {
            let Value::Object(map) = json(path) else {
                panic!("{path}: not an object");
            };
            let ordered = guarded_bytes(&map, KeyOrder::Streaming, None, None).expect("bytes");
            assert!(
                canon.expand(&ordered, true, Dataset::new()).is_ok(),
                "{path}: the streaming reading refused it"
            );
            let fast = canon
                .read(&map, true)
                .map(|d| canon.canonicalize_dataset(d));
            let buffered = canon
                .read(&map, false)
                .map(|d| canon.canonicalize_dataset(d));
            assert!(fast.as_ref().is_ok_and(Result::is_ok), "{path}: {fast:?}");
            assert_eq!(fast, buffered, "{path}");
        }
    }

    /// Where the key order Credence writes is not the one a buffering processor replays
    /// (keywords under other names, `type` and `id` as plain terms, an alias of @id that
    /// only a type-scoped context defines, @graph in the middle), both readings still give
    /// the same canonical form, or the same refusal.
    #[test]
    fn both_readings_agree_where_aliases_are_unusual() {
        let canon = Canonicalizer::standard();
        let documents = [
            // An alias of @id after other keys: the node's id arrives late.
            serde_json::json!({
                "@context": {"@vocab": "https://example.org/", "ident": "@id"},
                "name": "Rex",
                "friend": {"name": "Fido", "ident": "https://example.org/fido"},
                "ident": "https://example.org/rex",
            }),
            // `type` and `id` as plain terms, written first by the streaming order.
            serde_json::json!({
                "@context": {
                    "@vocab": "https://example.org/",
                    "type": "https://example.org/kind",
                    "id": "https://example.org/number",
                },
                "name": "Rex",
                "id": "42",
                "type": "dog",
                "@id": "https://example.org/rex",
            }),
            // An alias of @id defined only inside a type-scoped context.
            serde_json::json!({
                "@context": {
                    "@vocab": "https://example.org/",
                    "Dog": {"@id": "https://example.org/Dog", "@context": {"ident": "@id"}},
                },
                "name": "Rex",
                "ident": "https://example.org/rex",
                "@type": "Dog",
            }),
            // @graph between other keys.
            serde_json::json!({
                "@context": {"@vocab": "https://example.org/", "members": "@graph"},
                "@id": "https://example.org/g",
                "members": [{"@id": "https://example.org/a", "name": "A"}],
                "name": "G",
            }),
            // Two ids under different names: refused either way.
            serde_json::json!({
                "@context": {"@vocab": "https://example.org/", "ident": "@id"},
                "@id": "https://example.org/a",
                "ident": "https://example.org/b",
                "name": "A",
            }),
        ];
        for (i, doc) in documents.iter().enumerate() {
            let Value::Object(map) = doc else {
                panic!("not an object")
            };
            let fast = canon.read(map, true).map(|d| canon.canonicalize_dataset(d));
            let buffered = canon
                .read(map, false)
                .map(|d| canon.canonicalize_dataset(d));
            assert_eq!(fast, buffered, "{doc}");
            // All but the last are valid and say something.
            let said = fast.ok().and_then(Result::ok).unwrap_or_default();
            assert_eq!(
                said.contains("https://example.org/name"),
                i < 4,
                "{doc}: {said}"
            );
        }
    }

    fn prepared_from(canon: &Canonicalizer, doc: &Value) -> Arc<PreparedAchievement> {
        canon
            .prepare_achievement(
                &doc["@context"],
                &doc["type"],
                &doc["credentialSubject"]["type"],
                &doc["credentialSubject"]["achievement"],
            )
            .expect("prepared")
    }

    /// A credential embedding a prepared achievement is read with it (the fast path is
    /// taken) and canonicalises exactly as when read whole; one that embeds a changed
    /// achievement, or has other types, is read whole.
    #[test]
    fn prepared_achievements_give_the_whole_reading() {
        let plain = vectors();
        let doc = json("ob3-interop/ob3-unsigned.json");
        let expected = read("ob3-interop/ob3-canonical.nq");
        let canon = plain.clone().with_achievement(prepared_from(&plain, &doc));
        let Value::Object(map) = &doc else {
            panic!("not an object")
        };
        assert!(
            canon.read_prepared(map, None).is_some(),
            "the fast path was not taken"
        );
        assert_eq!(canon.canonicalize(&doc).as_deref(), Ok(expected.as_str()));

        let mut changed = doc.clone();
        changed["credentialSubject"]["achievement"]["name"] = "Rust 102".into();
        let mut other_types = doc.clone();
        other_types["credentialSubject"]["type"] =
            serde_json::json!(["AchievementSubject", "Extra"]);
        for variant in [changed, other_types] {
            let Value::Object(map) = &variant else {
                panic!("not an object")
            };
            assert!(canon.read_prepared(map, None).is_none());
            assert_eq!(canon.canonicalize(&variant), plain.canonicalize(&variant));
        }
        // Safe mode still applies to the rest of the document.
        let mut undefined = doc.clone();
        undefined["credentialSubject"]["favouriteColour"] = "teal".into();
        assert!(matches!(
            canon.canonicalize(&undefined),
            Err(CanonError::UndefinedTerms(_))
        ));
    }

    #[test]
    fn a_credence_award_reads_alike_with_its_achievement_prepared() {
        // 30 alignments and the criteria, image and creator: 33 blank nodes whose
        // first-degree hashes are reused, beside the subject's own, hashed every time.
        let plain = Canonicalizer::standard().clone();
        let doc = json("credence/award-foundational.json");
        let prepared = prepared_from(&plain, &doc);
        assert!(prepared.hints.len() >= 30, "{} hints", prepared.hints.len());
        let canon = plain.clone().with_achievement(prepared);
        assert!(canon.reads_prepared(&doc));
        let whole = plain.canonicalize(&doc);
        assert!(whole.is_ok(), "{whole:?}");
        assert_eq!(canon.canonicalize(&doc), whole);
        // Another holder, other status indices: still alike.
        let mut other = doc.clone();
        other["credentialSubject"]["identifier"][0]["salt"] =
            "00112233445566778899aabbccddeeff".into();
        other["credentialStatus"][0]["statusListIndex"] = "7".into();
        assert!(canon.reads_prepared(&other));
        assert_eq!(canon.canonicalize(&other), plain.canonicalize(&other));
    }

    #[test]
    fn small_documents_are_remembered_and_large_ones_are_not() {
        let canon = Canonicalizer::new(ContextSet::standard());
        let config = serde_json::json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": "DataIntegrityProof",
            "cryptosuite": "eddsa-rdfc-2022",
            "created": "2025-01-01T00:00:00Z",
            "verificationMethod": "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
            "proofPurpose": "assertionMethod",
        });
        let Value::Object(map) = &config else {
            panic!("not an object")
        };
        let expected = canon.canonicalize_object(map);
        assert!(expected.is_ok(), "{expected:?}");
        for _ in 0..2 {
            let small = canon.canonicalize_small(map).map(|c| c.to_string());
            assert_eq!(small, expected);
        }
        let remembered = || canon.recent.lock().map(|r| r.len()).unwrap_or(usize::MAX);
        assert_eq!(remembered(), 1);
        // Another document, and one too large to remember; errors are not remembered.
        let mut other = map.clone();
        other.insert("created".into(), "2025-01-02T00:00:00Z".into());
        assert_eq!(
            canon.canonicalize_small(&other).map(|c| c.to_string()),
            canon.canonicalize_object(&other)
        );
        let doc = json("credence/award-foundational.json");
        let Value::Object(large) = &doc else {
            panic!("not an object")
        };
        assert!(canon.canonicalize_small(large).is_ok());
        let mut bad = map.clone();
        bad.insert("favouriteColour".into(), "teal".into());
        assert!(canon.canonicalize_small(&bad).is_err());
        assert_eq!(remembered(), 2);
    }

    #[test]
    fn first_degree_hints_are_used_only_where_they_still_hold() {
        use oxrdf::{Literal, NamedNode};
        let ex = |s: &str| NamedNode::new_unchecked(format!("https://example.com/{s}"));
        let lit = |s: &str| Literal::new_simple_literal(s);
        let (a, b, c) = (
            BlankNode::default(),
            BlankNode::default(),
            BlankNode::default(),
        );
        let g = GraphNameRef::DefaultGraph;
        let mut base = Dataset::new();
        base.insert(QuadRef::new(&ex("s"), &ex("p"), &a, g));
        base.insert(QuadRef::new(&a, &ex("q"), &lit("one"), g));
        base.insert(QuadRef::new(&ex("s"), &ex("p"), &b, g));
        base.insert(QuadRef::new(&b, &ex("q"), &lit("two"), g));
        let hints = base.first_degree_hashes(RDFC_10);
        assert_eq!(hints.len(), 2);
        let canon = Canonicalizer::standard();
        // The same dataset, and ones grown with quads about `b` (its hint no longer holds)
        // and about a new blank node: with and without hints, the same canonical form.
        // (Twenty variants, so that `b`'s stale hash, if it were used, would order the
        // blank nodes otherwise in some of them.)
        let mut datasets = vec![base.clone()];
        for i in 0..20 {
            let mut grown = base.clone();
            grown.insert(QuadRef::new(&b, &ex("r"), &lit(&format!("three {i}")), g));
            grown.insert(QuadRef::new(&b, &ex("link"), &c, g));
            grown.insert(QuadRef::new(&c, &ex("q"), &lit("zero"), g));
            datasets.push(grown);
        }
        for dataset in datasets {
            let hinted = canon.canonicalize_hinted(dataset.clone(), Some(&hints));
            assert!(hinted.is_ok(), "{hinted:?}");
            assert_eq!(hinted, canon.canonicalize_dataset(dataset));
        }
    }

    /// The vendored oxrdf builds a dataset's indices by graph, predicate and object on
    /// first need (vendor/README.md): queries answer the same whether the indices were
    /// built before or after insertions and removals, and in clones.
    #[test]
    fn lazily_built_indices_answer_like_a_scan() {
        use oxrdf::{Literal, NamedNode, QuadRef, TermRef};
        let ex = |s: &str| NamedNode::new_unchecked(format!("https://example.com/{s}"));
        let (a, b) = (BlankNode::default(), BlankNode::default());
        let g = ex("g");
        let mut dataset = Dataset::new();
        for (i, (s, o)) in [(&a, &b), (&b, &a), (&a, &a)].into_iter().enumerate() {
            let p = ex(&format!("p{}", i % 2));
            dataset.insert(QuadRef::new(s, &p, o, GraphNameRef::DefaultGraph));
            dataset.insert(QuadRef::new(s, &p, &Literal::from(i as i64), &g));
        }
        let check = |d: &Dataset| {
            for p in [ex("p0"), ex("p1")] {
                let scan = d.iter().filter(|q| q.predicate == p.as_ref()).count();
                assert_eq!(d.quads_for_predicate(&p).count(), scan);
            }
            for o in [TermRef::from(&a), TermRef::from(&b)] {
                let scan = d.iter().filter(|q| q.object == o).count();
                assert_eq!(d.quads_for_object(o).count(), scan);
            }
            let scan = d
                .iter()
                .filter(|q| q.graph_name == g.as_ref().into())
                .count();
            assert_eq!(d.quads_for_graph_name(&g).count(), scan);
            assert_eq!(d.graph(&g).len(), scan);
        };
        let before = dataset.clone();
        check(&dataset); // builds the indices
        let p0 = ex("p0");
        assert!(dataset.remove(QuadRef::new(&a, &p0, &b, GraphNameRef::DefaultGraph)));
        dataset.insert(QuadRef::new(&b, &ex("p1"), &b, &g));
        check(&dataset); // kept up to date since
        let mut clone = before.clone();
        clone.insert(QuadRef::new(&b, &ex("p1"), &b, &g));
        check(&clone); // built after the insertion
        assert_eq!(before.len() + 1, clone.len());
        dataset.clear();
        assert!(dataset.is_empty());
        check(&dataset);
    }

    #[test]
    fn achievements_that_cannot_be_read_alone_are_refused() {
        let plain = vectors();
        let doc = json("ob3-interop/ob3-unsigned.json");
        let (context, types, subject_types) = (
            &doc["@context"],
            &doc["type"],
            &doc["credentialSubject"]["type"],
        );
        let mut without_id = doc["credentialSubject"]["achievement"].clone();
        without_id.as_object_mut().map(|m| m.remove("id"));
        let mut with_context = doc["credentialSubject"]["achievement"].clone();
        with_context["@context"] = serde_json::json!({"x": "https://example.org/x"});
        let mut undefined = doc["credentialSubject"]["achievement"].clone();
        undefined["favouriteColour"] = "teal".into();
        for achievement in [without_id, with_context, undefined, Value::from("nope")] {
            assert!(
                plain
                    .prepare_achievement(context, types, subject_types, &achievement)
                    .is_err(),
                "{achievement}"
            );
        }
    }

    /// A document the streaming profile refuses (here an alias of @type that comes after
    /// other keys) is read again with buffering, which gives its true meaning.
    #[test]
    fn documents_the_streaming_profile_refuses_are_read_buffered() {
        let doc = serde_json::json!({
            "@context": {"@vocab": "https://example.org/", "species": "@type"},
            "@id": "https://example.org/rex",
            "name": "Rex",
            "species": "Dog",
        });
        let canon = Canonicalizer::standard();
        let Value::Object(map) = &doc else {
            panic!("not an object")
        };
        let ordered = guarded_bytes(map, KeyOrder::Streaming, None, None).expect("bytes");
        assert!(canon.expand(&ordered, true, Dataset::new()).is_err());
        let expected = concat!(
            "<https://example.org/rex> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://example.org/Dog> .\n",
            "<https://example.org/rex> <https://example.org/name> \"Rex\" .\n",
        );
        assert_eq!(canon.canonicalize(&doc).as_deref(), Ok(expected));
    }

    #[test]
    fn large_inline_contexts_are_not_cached() {
        let canon = Canonicalizer::new(ContextSet::standard());
        assert_eq!(canon.warm_up(), Ok(()));
        let before = cached(&canon);
        let terms: serde_json::Map<String, Value> = (0..100)
            .map(|i| {
                (
                    format!("term{i}"),
                    Value::from(format!("https://example.org/t{i}")),
                )
            })
            .collect();
        let doc = serde_json::json!({
            "@context": ["https://www.w3.org/ns/credentials/v2", terms],
            "type": "VerifiableCredential",
            "term1": "x",
        });
        assert!(canon.canonicalize(&doc).is_ok());
        assert_eq!(cached(&canon), before);
    }

    #[test]
    fn every_1edtech_example_canonicalises() {
        for name in [
            "achievementAlignmentCase",
            "achievementAlignmentCe",
            "basicOpenBadgeCredential",
            "endorsement",
            "fullOpenBadge",
            "skillAssertionCase",
            "skillAssertionCtdl",
        ] {
            let doc = json(&format!("1edtech-examples/{name}.json"));
            if let Err(e) = canonicalize(&doc) {
                panic!("{name}: {e}");
            }
        }
    }

    fn refused(doc: &Value) -> CanonError {
        match canonicalize(doc) {
            Ok(_) => panic!("should be refused: {doc}"),
            Err(e) => e,
        }
    }

    #[test]
    fn safe_mode_refuses_undefined_terms_and_names_them() {
        for (input, names) in [
            (
                "ob3-interop/safe-mode-undefined-terms.json",
                &["favoriteColor", "shoeSize"][..],
            ),
            (
                "ob3-interop/safe-mode-1EdTechJsonSchemaValidator2019.json",
                &["1EdTechJsonSchemaValidator2019"][..],
            ),
        ] {
            let err = refused(&json(input));
            let CanonError::UndefinedTerms(found) = &err else {
                panic!("{input}: wrong error {err}");
            };
            assert_eq!(found, names, "{input}");
            for name in names {
                assert!(err.to_string().contains(name), "{err}");
            }
        }
    }

    #[test]
    fn bad_documents_are_refused_with_a_clear_error() {
        let mut deep = serde_json::json!("x");
        for _ in 0..200 {
            deep = serde_json::json!({ "a": [deep] });
        }
        for (doc, needle) in [
            (serde_json::json!([1, 2]), "JSON object"),
            (serde_json::json!("text"), "JSON object"),
            (
                serde_json::json!({"@context": "https://example.com/ctx", "a": 1}),
                "https://example.com/ctx",
            ),
            (
                serde_json::json!({"@context": ["https://www.w3.org/ns/credentials/v2", {"@import": "https://evil.example/x"}]}),
                "https://evil.example/x",
            ),
            (serde_json::json!({"@context": 42}), "a number"),
            (serde_json::json!({"name": "no context"}), "name"),
            (deep, "levels deep"),
            (
                serde_json::json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "foo", "type": "VerifiableCredential", "credentialSubject": {"id": "bar"}}),
                "relative IRI references, which have no base here, so they and every statement about them would be silently left out of the signature: bar, foo.",
            ),
            (
                serde_json::json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "http://exa mple.com/", "type": "VerifiableCredential"}),
                "not valid IRIs or literals, so they and every statement using them would be silently left out of the signature: http://exa mple.com/.",
            ),
            (
                serde_json::json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "urn:x", "name": {"@value": "x", "@language": "not a tag!"}}),
                "invalid language tag",
            ),
            (
                serde_json::json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "urn:x", "credentialSubject": {"id": "urn:y", "@foo": 1}}),
                "\"@foo\", which looks like a JSON-LD keyword",
            ),
            (
                serde_json::json!({"@context": ["https://www.w3.org/ns/credentials/v2", {"secret": null}], "type": "VerifiableCredential", "secret": 5}),
                "maps the term \"secret\" to null",
            ),
            (
                serde_json::json!({"@context": ["https://www.w3.org/ns/credentials/v2", {"secret": {"@id": null}}], "secret": 5}),
                "maps the term \"secret\" to null",
            ),
            (
                serde_json::json!({"@context": ["https://www.w3.org/ns/credentials/v2", {"@vocab": null}], "secret": 5}),
                "sets @vocab to null",
            ),
            (
                serde_json::json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "credentialSubject": {"@context": null, "secret": 5}}),
                "resets every definition",
            ),
        ] {
            let err = refused(&doc);
            assert!(
                err.to_string().contains(needle),
                "{err} should mention {needle}"
            );
        }
    }

    /// An OB3-shaped credential whose subject holds a clique of `n` blank nodes that all
    /// look alike: the worst case for RDFC-1.0.
    fn poisoned(n: usize) -> Value {
        let nodes: Vec<Value> = (0..n)
            .map(|i| {
                let others: Vec<Value> = (0..n)
                    .filter(|j| *j != i)
                    .map(|j| Value::String(format!("_:n{j}")))
                    .collect();
                serde_json::json!({"id": format!("_:n{i}"), "type": "Evidence", "narrative": "x", "knows": others})
            })
            .collect();
        serde_json::json!({
            "@context": [
                "https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
                {"knows": {"@id": "https://example.com/knows", "@type": "@id"}}
            ],
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": "did:example:issuer", "type": "Profile"},
            "validFrom": "2024-01-01T00:00:00Z",
            "credentialSubject": {"type": "AchievementSubject"},
            "evidence": nodes,
        })
    }

    #[test]
    fn poisoned_graphs_are_refused_fast() {
        for n in [6, 9, 12] {
            let doc = poisoned(n);
            let start = Instant::now();
            let result = canonicalize(&doc);
            let elapsed = start.elapsed();
            assert!(
                matches!(result, Err(CanonError::TooComplex(_))),
                "n = {n}: {result:?}"
            );
            assert!(
                elapsed < Duration::from_millis(100),
                "n = {n}: took {elapsed:?}"
            );
        }
    }
}
