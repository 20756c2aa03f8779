use std::{cmp::Ordering, fmt::Display, io, ops::Range};

use serde::{ser::Serializer as SerSerializer, Serialize};
use serde_json::{
    error::Result,
    ser::{CharEscape, Formatter, Serializer},
};

// Credence patch (performance; output unchanged): the published 0.3.2 formatter re-parsed
// every object key with `serde_json::from_slice` and collected a `Vec<u16>` sort key, buffered
// every key and every value in a `Vec` of its own (so a nested value was copied once per level
// of depth, each time into a fresh allocation), kept each object in a `BTreeSet` and boxed a
// `dyn Write` for every write call. Now all pending objects share one buffer: an object's
// members are written there one after another as they come (key, then value, no separators),
// each member is recorded as offsets into that buffer, and when the object ends its members
// are sorted once and the object is rewritten in place in canonical form (or, for an
// outermost object, written to the writer). Sort keys are the bytes between a key's quotes,
// compared by UTF-16 code units without allocating (`cmp_utf16`); only a key that contains an
// escape sequence is unescaped, exactly as before, by parsing it with serde_json. Members with
// equal keys keep the first one, as `BTreeSet::insert` did.

/// One member of an object being serialised: offsets into [`JcsFormatter::buffer`].
struct Member {
    /// The quoted, escaped key: `buffer[key_start..key_end]`.
    key_start: usize,
    /// The end of the key and the start of the value.
    key_end: usize,
    /// The end of the value.
    value_end: usize,
    /// When the key contains an escape sequence, the unescaped key is
    /// `JcsFormatter::unescaped[unescaped]`; otherwise (`NOT_ESCAPED`) the sort key is the
    /// bytes between the quotes of the key.
    unescaped: u32,
    /// Whether the sort key has a byte 0xEE or above (a character from U+E000), where byte
    /// order and UTF-16 order can differ.
    high: bool,
    /// The first eight bytes of the sort key, big-endian, padded with zero bytes: when two
    /// of these differ, they order the keys as their bytes do.
    prefix: u64,
}

/// The first eight bytes of `key`, big-endian, padded with zero bytes.
#[inline]
fn prefix_of(key: &[u8]) -> u64 {
    let mut bytes = [0u8; 8];
    let n = key.len().min(8);
    bytes[..n].copy_from_slice(&key[..n]);
    u64::from_be_bytes(bytes)
}

const NOT_ESCAPED: u32 = u32::MAX;

impl Member {
    #[inline]
    fn sort_key<'a>(&self, buffer: &'a [u8], unescaped: &'a [String]) -> &'a [u8] {
        if self.unescaped == NOT_ESCAPED {
            &buffer[self.key_start + 1..self.key_end - 1]
        } else {
            unescaped[self.unescaped as usize].as_bytes()
        }
    }
}

/// Orders members by their sort keys, by UTF-16 code units.
#[inline]
fn cmp_members(a: &Member, b: &Member, buffer: &[u8], unescaped: &[String]) -> Ordering {
    if a.high || b.high {
        cmp_utf16(a.sort_key(buffer, unescaped), b.sort_key(buffer, unescaped))
    } else if a.prefix != b.prefix {
        a.prefix.cmp(&b.prefix)
    } else {
        a.sort_key(buffer, unescaped)
            .cmp(b.sort_key(buffer, unescaped))
    }
}

/// Compares two UTF-8 strings by their UTF-16 code units, as RFC 8785 section 3.2.3 sorts
/// property names, without converting them.
///
/// UTF-8 byte order is code point order, which differs from UTF-16 code unit order only
/// between a character above U+FFFF (a surrogate pair, D800 to DBFF first) and one in
/// U+E000..U+FFFF. At the first differing byte both strings are at a character boundary
/// unless that byte is a continuation byte, in which case both characters have the same
/// leading byte, so the same length, and byte order is right. At a boundary, a leading byte
/// F0..F4 starts a character above U+FFFF and EE or EF one in U+E000..U+FFFF.
pub(crate) fn cmp_utf16(a: &[u8], b: &[u8]) -> Ordering {
    match a.iter().zip(b).position(|(x, y)| x != y) {
        None => a.len().cmp(&b.len()),
        Some(i) => {
            let (x, y) = (a[i], b[i]);
            let supplementary = |byte: u8| byte >= 0xF0;
            let high_bmp = |byte: u8| byte == 0xEE || byte == 0xEF;
            if supplementary(x) && high_bmp(y) {
                Ordering::Less
            } else if high_bmp(x) && supplementary(y) {
                Ordering::Greater
            } else {
                x.cmp(&y)
            }
        }
    }
}

/// An object whose members are being written to [`JcsFormatter::buffer`].
struct OpenObject {
    /// Where the object starts in the buffer.
    start: usize,
    /// Where its members start in [`JcsFormatter::members`].
    first_member: usize,
    /// Where its unescaped keys start in [`JcsFormatter::unescaped`].
    first_unescaped: usize,
    /// The key of the member being written.
    key: Range<usize>,
}

fn invalid(message: &'static str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

/// The formatter that's used by the [JcsSerializer].
///
/// This formatter is not fully RFC 8785 compliant in its own right, because the [JcsSerializer] is
/// instead responsible for handling floating point NaN and infinity.
#[derive(Default)]
pub(crate) struct JcsFormatter {
    /// The objects being written, innermost last. While there is one, everything is written
    /// to `buffer`; otherwise straight to the writer.
    objects: Vec<OpenObject>,
    /// The members of the open objects, in the order they were written.
    members: Vec<Member>,
    /// The unescaped keys of members whose keys contain escape sequences.
    unescaped: Vec<String>,
    /// The text of the open objects.
    buffer: Vec<u8>,
    /// Scratch space for an object in canonical form.
    sorted: Vec<u8>,
}

impl JcsFormatter {
    /// Writes `bytes` to the innermost open object, or to `writer` when there is none.
    #[inline]
    fn write_bytes<W>(&mut self, writer: &mut W, bytes: &[u8]) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        if self.objects.is_empty() {
            writer.write_all(bytes)
        } else {
            self.buffer.extend_from_slice(bytes);
            Ok(())
        }
    }
}

impl Formatter for JcsFormatter {
    /// Writes a `null` value to the specified writer.
    fn write_null<W>(&mut self, writer: &mut W) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        self.write_bytes(writer, b"null")
    }

    /// Writes a `true` or `false` value to the specified writer.
    fn write_bool<W>(&mut self, writer: &mut W, value: bool) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        let s = if value {
            b"true" as &[u8]
        } else {
            b"false" as &[u8]
        };
        self.write_bytes(writer, s)
    }

    /// Javascript (and as a consequence JSON) only supports a single numeric
    /// type which is the double. Format all numbers according to this.
    fn write_i8<W>(&mut self, writer: &mut W, value: i8) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        self.write_f64(writer, value as f64)
    }

    /// Javascript (and as a consequence JSON) only supports a single numeric
    /// type which is the double. Format all numbers according to this.
    fn write_i16<W>(&mut self, writer: &mut W, value: i16) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        self.write_f64(writer, value as f64)
    }

    /// Javascript (and as a consequence JSON) only supports a single numeric
    /// type which is the double. Format all numbers according to this.
    fn write_i32<W>(&mut self, writer: &mut W, value: i32) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        self.write_f64(writer, value as f64)
    }

    /// Javascript (and as a consequence JSON) only supports a single numeric
    /// type which is the double. Format all numbers according to this.
    fn write_i64<W>(&mut self, writer: &mut W, value: i64) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        self.write_f64(writer, value as f64)
    }

    /// Javascript (and as a consequence JSON) only supports a single numeric
    /// type which is the double. Format all numbers according to this.
    fn write_i128<W>(&mut self, writer: &mut W, value: i128) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        self.write_f64(writer, value as f64)
    }

    /// Javascript (and as a consequence JSON) only supports a single numeric
    /// type which is the double. Format all numbers according to this.
    fn write_u8<W>(&mut self, writer: &mut W, value: u8) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        self.write_f64(writer, value as f64)
    }

    /// Javascript (and as a consequence JSON) only supports a single numeric
    /// type which is the double. Format all numbers according to this.
    fn write_u16<W>(&mut self, writer: &mut W, value: u16) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        self.write_f64(writer, value as f64)
    }

    /// Javascript (and as a consequence JSON) only supports a single numeric
    /// type which is the double. Format all numbers according to this.
    fn write_u32<W>(&mut self, writer: &mut W, value: u32) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        self.write_f64(writer, value as f64)
    }

    /// Javascript (and as a consequence JSON) only supports a single numeric
    /// type which is the double. Format all numbers according to this.
    fn write_u64<W>(&mut self, writer: &mut W, value: u64) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        self.write_f64(writer, value as f64)
    }

    /// Javascript (and as a consequence JSON) only supports a single numeric
    /// type which is the double. Format all numbers according to this.
    fn write_u128<W>(&mut self, writer: &mut W, value: u128) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        self.write_f64(writer, value as f64)
    }

    /// Javascript (and as a consequence JSON) only supports a single numeric
    /// type which is the double. Format all numbers according to this.
    fn write_f32<W>(&mut self, writer: &mut W, value: f32) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        self.write_f64(writer, value as f64)
    }

    /// Writes a floating point value like `-31.26e+12` to the specified writer.
    /// JCS (and JSON in general) does not permit NaN or (-)Infinity
    fn write_f64<W>(&mut self, writer: &mut W, value: f64) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        if value.is_finite() {
            let mut buffer = ryu_js::Buffer::new();
            let s = buffer.format_finite(value);
            self.write_bytes(writer, s.as_bytes())
        } else {
            Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "NaN and +/-Infinity are not permitted in JSON",
            ))
        }
    }

    /// Writes a number that has already been rendered to a string.
    /// To be JCS conformant the string is parsed into a double
    /// and reformatted.
    fn write_number_str<W>(&mut self, writer: &mut W, value: &str) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        let number: f64 = value
            .parse()
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "Cannot parse str to f64"))?;
        self.write_f64(writer, number)
    }

    /// Called before each series of `write_string_fragment` and
    /// `write_char_escape`.  Writes a `"` to the specified writer.
    fn begin_string<W>(&mut self, writer: &mut W) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        self.write_bytes(writer, b"\"")
    }

    /// Called after each series of `write_string_fragment` and
    /// `write_char_escape`.  Writes a `"` to the specified writer.
    fn end_string<W>(&mut self, writer: &mut W) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        self.write_bytes(writer, b"\"")
    }

    /// Writes a string fragment that doesn't need any escaping to the
    /// specified writer.
    fn write_string_fragment<W>(&mut self, writer: &mut W, fragment: &str) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        self.write_bytes(writer, fragment.as_bytes())
    }

    /// Writes a character escape code to the specified writer.
    fn write_char_escape<W>(&mut self, writer: &mut W, char_escape: CharEscape) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        use self::CharEscape::*;

        let s = match char_escape {
            Quote => b"\\\"",
            ReverseSolidus => b"\\\\",
            Solidus => {
                // This is according to the javascript reference implementation (https://www.npmjs.com/package/canonicalize) where
                // an escaped solidus is turned into a non escaped one, in javascript "\/" === "/".
                // RFC 8785 in Section 3.2.2.2 does not list a solidus as a special escape character.
                // Because of the return type of the match block we need to return here early
                return self.write_bytes(writer, b"/");
            }
            Backspace => b"\\b",
            FormFeed => b"\\f",
            LineFeed => b"\\n",
            CarriageReturn => b"\\r",
            Tab => b"\\t",
            AsciiControl(byte) => {
                static HEX_DIGITS: [u8; 16] = *b"0123456789abcdef";
                let bytes = &[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX_DIGITS[(byte >> 4) as usize],
                    HEX_DIGITS[(byte & 0xF) as usize],
                ];

                return self.write_bytes(writer, bytes);
            }
        };

        self.write_bytes(writer, s)
    }

    /// Called before every array.  Writes a `[` to the specified
    /// writer.
    #[inline]
    fn begin_array<W>(&mut self, writer: &mut W) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        self.write_bytes(writer, b"[")
    }

    /// Called after every array.  Writes a `]` to the specified
    /// writer.
    #[inline]
    fn end_array<W>(&mut self, writer: &mut W) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        self.write_bytes(writer, b"]")
    }

    /// Called before every array value.  Writes a `,` if needed to
    /// the specified writer.
    #[inline]
    fn begin_array_value<W>(&mut self, writer: &mut W, first: bool) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        if first {
            Ok(())
        } else {
            self.write_bytes(writer, b",")
        }
    }

    /// Called after every array value.
    #[inline]
    fn end_array_value<W>(&mut self, _writer: &mut W) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        Ok(())
    }

    /// Opens a new object at the end of the buffer
    #[inline]
    fn begin_object<W>(&mut self, _writer: &mut W) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        let start = self.buffer.len();
        self.objects.push(OpenObject {
            start,
            first_member: self.members.len(),
            first_unescaped: self.unescaped.len(),
            key: start..start,
        });
        Ok(())
    }

    /// Writes out the whole object with sorted properties
    #[inline]
    fn end_object<W>(&mut self, writer: &mut W) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        let object = self
            .objects
            .pop()
            .ok_or_else(|| invalid("end_object called before start_object"))?;
        let buffer = &self.buffer;
        let unescaped = &self.unescaped;
        let members = &mut self.members[object.first_member..];
        // A stable sort: of members with equal keys, the first written comes first.
        members.sort_by(|a, b| cmp_members(a, b, buffer, unescaped));
        let sorted = &mut self.sorted;
        sorted.clear();
        sorted.push(b'{');
        let mut previous: Option<&Member> = None;
        for member in members.iter() {
            if let Some(previous) = previous {
                if cmp_members(previous, member, buffer, unescaped) == Ordering::Equal {
                    // A duplicate key: the first one is kept.
                    continue;
                }
                sorted.push(b',');
            }
            sorted.extend_from_slice(&buffer[member.key_start..member.key_end]);
            sorted.push(b':');
            sorted.extend_from_slice(&buffer[member.key_end..member.value_end]);
            previous = Some(member);
        }
        sorted.push(b'}');
        self.members.truncate(object.first_member);
        self.unescaped.truncate(object.first_unescaped);
        self.buffer.truncate(object.start);
        let sorted = std::mem::take(&mut self.sorted);
        let written = self.write_bytes(writer, &sorted);
        self.sorted = sorted;
        written
    }

    /// Notes where the key starts
    #[inline]
    fn begin_object_key<W>(&mut self, _writer: &mut W, _first: bool) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        let start = self.buffer.len();
        let object = self
            .objects
            .last_mut()
            .ok_or_else(|| invalid("begin_object_key called before start_object"))?;
        object.key = start..start;
        Ok(())
    }

    /// Notes where the key ends
    #[inline]
    fn end_object_key<W>(&mut self, _writer: &mut W) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        let end = self.buffer.len();
        let object = self
            .objects
            .last_mut()
            .ok_or_else(|| invalid("end_object_key called before begin_object_key"))?;
        object.key.end = end;
        Ok(())
    }

    /// The value follows the key in the buffer
    #[inline]
    fn begin_object_value<W>(&mut self, _writer: &mut W) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        Ok(())
    }

    /// Records the member whose key and value were just written
    #[inline]
    fn end_object_value<W>(&mut self, _writer: &mut W) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        let value_end = self.buffer.len();
        let object = self
            .objects
            .last()
            .ok_or_else(|| invalid("end_object_value called before start_object"))?;
        let (key_start, key_end) = (object.key.start, object.key.end);
        let raw = &self.buffer[key_start..key_end];
        if raw.len() < 2 || raw[0] != b'"' || raw[raw.len() - 1] != b'"' {
            return Err(invalid("end_object_value called before end_object_key"));
        }
        let mut member = Member {
            key_start,
            key_end,
            value_end,
            unescaped: NOT_ESCAPED,
            high: false,
            prefix: prefix_of(&raw[1..raw.len() - 1]),
        };
        if raw.iter().any(|&byte| byte == b'\\' || byte >= 0xEE) {
            member.high = raw.iter().any(|&byte| byte >= 0xEE);
            if raw.contains(&b'\\') {
                // Go through deserialization again to process escape sequences in the key
                // "\\a" should be processed as '\a' for sorting
                let value = serde_json::from_slice::<serde_json::Value>(raw)?;
                match value {
                    serde_json::Value::String(key) => {
                        member.high = key.bytes().any(|byte| byte >= 0xEE);
                        member.prefix = prefix_of(key.as_bytes());
                        member.unescaped = u32::try_from(self.unescaped.len())
                            .map_err(|_| invalid("too many escaped keys"))?;
                        self.unescaped.push(key);
                    }
                    _ => return Err(invalid("Invalid UTF8 sequence")),
                }
            }
        }
        self.members.push(member);
        Ok(())
    }

    /// Raw fragments are not supported because it cannot be verified that they conform to JCS without modifying them
    #[inline]
    fn write_raw_fragment<W>(&mut self, _writer: &mut W, _fragment: &str) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "Raw values are not supported for JCS serialization",
        ))
    }
}

/// An RFC 8785 compatible JSON Canonicalization Scheme (JCS) serializer for [serde_json].
pub(crate) struct JcsSerializer<W: io::Write> {
    serializer: Serializer<W, JcsFormatter>,
}

impl<W: io::Write> JcsSerializer<W> {
    /// Creates a new JSON serializer.
    #[inline]
    pub fn new(writer: W) -> Self {
        Self {
            serializer: Serializer::with_formatter(writer, JcsFormatter::default()),
        }
    }

    /// Consumes this serializer returning the underlying writer.
    #[inline]
    #[allow(dead_code)]
    pub fn into_inner(self) -> W {
        self.serializer.into_inner()
    }
}

impl<'a, W: io::Write> SerSerializer for &'a mut JcsSerializer<W> {
    type Ok = <&'a mut Serializer<W, JcsFormatter> as SerSerializer>::Ok;
    type Error = <&'a mut Serializer<W, JcsFormatter> as SerSerializer>::Error;

    type SerializeSeq = <&'a mut Serializer<W, JcsFormatter> as SerSerializer>::SerializeSeq;
    type SerializeTuple = <&'a mut Serializer<W, JcsFormatter> as SerSerializer>::SerializeTuple;
    type SerializeTupleStruct =
        <&'a mut Serializer<W, JcsFormatter> as SerSerializer>::SerializeTupleStruct;
    type SerializeTupleVariant =
        <&'a mut Serializer<W, JcsFormatter> as SerSerializer>::SerializeTupleVariant;
    type SerializeMap = <&'a mut Serializer<W, JcsFormatter> as SerSerializer>::SerializeMap;
    type SerializeStruct = <&'a mut Serializer<W, JcsFormatter> as SerSerializer>::SerializeStruct;
    type SerializeStructVariant =
        <&'a mut Serializer<W, JcsFormatter> as SerSerializer>::SerializeStructVariant;

    #[inline]
    fn serialize_bool(self, value: bool) -> Result<()> {
        self.serializer.serialize_bool(value)
    }

    #[inline]
    fn serialize_i8(self, value: i8) -> Result<()> {
        self.serializer.serialize_i8(value)
    }

    #[inline]
    fn serialize_i16(self, value: i16) -> Result<()> {
        self.serializer.serialize_i16(value)
    }

    #[inline]
    fn serialize_i32(self, value: i32) -> Result<()> {
        self.serializer.serialize_i32(value)
    }

    #[inline]
    fn serialize_i64(self, value: i64) -> Result<()> {
        self.serializer.serialize_i64(value)
    }

    fn serialize_i128(self, value: i128) -> Result<()> {
        self.serializer.serialize_i128(value)
    }

    #[inline]
    fn serialize_u8(self, value: u8) -> Result<()> {
        self.serializer.serialize_u8(value)
    }

    #[inline]
    fn serialize_u16(self, value: u16) -> Result<()> {
        self.serializer.serialize_u16(value)
    }

    #[inline]
    fn serialize_u32(self, value: u32) -> Result<()> {
        self.serializer.serialize_u32(value)
    }

    #[inline]
    fn serialize_u64(self, value: u64) -> Result<()> {
        self.serializer.serialize_u64(value)
    }

    fn serialize_u128(self, value: u128) -> Result<()> {
        self.serializer.serialize_u128(value)
    }

    #[inline]
    fn serialize_f32(self, value: f32) -> Result<()> {
        if value.is_finite() {
            self.serializer.serialize_f32(value)
        } else {
            Err(Self::Error::io(io::Error::new(
                io::ErrorKind::InvalidInput,
                "NaN and +/-Infinity are not permitted in JSON",
            )))
        }
    }

    #[inline]
    fn serialize_f64(self, value: f64) -> Result<()> {
        if value.is_finite() {
            self.serializer.serialize_f64(value)
        } else {
            Err(Self::Error::io(io::Error::new(
                io::ErrorKind::InvalidInput,
                "NaN and +/-Infinity are not permitted in JSON",
            )))
        }
    }

    #[inline]
    fn serialize_char(self, value: char) -> Result<()> {
        self.serializer.serialize_char(value)
    }

    #[inline]
    fn serialize_str(self, value: &str) -> Result<()> {
        self.serializer.serialize_str(value)
    }

    #[inline]
    fn serialize_bytes(self, value: &[u8]) -> Result<()> {
        self.serializer.serialize_bytes(value)
    }

    #[inline]
    fn serialize_unit(self) -> Result<()> {
        self.serializer.serialize_unit()
    }

    #[inline]
    fn serialize_unit_struct(self, name: &'static str) -> Result<()> {
        self.serializer.serialize_unit_struct(name)
    }

    #[inline]
    fn serialize_unit_variant(
        self,
        name: &'static str,
        variant_index: u32,
        variant: &'static str,
    ) -> Result<()> {
        self.serializer
            .serialize_unit_variant(name, variant_index, variant)
    }

    /// Serialize newtypes without an object wrapper.
    #[inline]
    fn serialize_newtype_struct<T>(self, name: &'static str, value: &T) -> Result<()>
    where
        T: ?Sized + Serialize,
    {
        self.serializer.serialize_newtype_struct(name, value)
    }

    #[inline]
    fn serialize_newtype_variant<T>(
        self,
        name: &'static str,
        variant_index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<()>
    where
        T: ?Sized + Serialize,
    {
        self.serializer
            .serialize_newtype_variant(name, variant_index, variant, value)
    }

    #[inline]
    fn serialize_none(self) -> Result<()> {
        self.serializer.serialize_none()
    }

    #[inline]
    fn serialize_some<T>(self, value: &T) -> Result<()>
    where
        T: ?Sized + Serialize,
    {
        self.serializer.serialize_some(value)
    }

    #[inline]
    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq> {
        self.serializer.serialize_seq(len)
    }

    #[inline]
    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple> {
        self.serializer.serialize_tuple(len)
    }

    #[inline]
    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        self.serializer.serialize_tuple_struct(name, len)
    }

    #[inline]
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        variant_index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        self.serializer
            .serialize_tuple_variant(name, variant_index, variant, len)
    }

    #[inline]
    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap> {
        self.serializer.serialize_map(len)
    }

    #[inline]
    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Self::SerializeStruct> {
        self.serializer.serialize_struct(name, len)
    }

    #[inline]
    fn serialize_struct_variant(
        self,
        name: &'static str,
        variant_index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        self.serializer
            .serialize_struct_variant(name, variant_index, variant, len)
    }

    fn collect_str<T>(self, value: &T) -> Result<()>
    where
        T: ?Sized + Display,
    {
        self.serializer.collect_str(value)
    }
}

// Credence patch: tests of the comparator the patch added.
#[cfg(test)]
mod credence_tests {
    use super::cmp_utf16;

    /// Characters at the edges of every UTF-8 length and of the ranges where UTF-8 and UTF-16
    /// order differ.
    const EDGES: &str = "\u{0}\u{1}\"\\a\u{7f}\u{80}\u{7ff}\u{800}\u{d7ff}\u{e000}\u{e001}\u{edff}\u{ee00}\u{efff}\u{f000}\u{fb33}\u{ffff}\u{10000}\u{1f600}\u{3ffff}\u{40000}\u{10ffff}";

    #[test]
    fn cmp_utf16_agrees_with_utf16_code_units() {
        let mut strings = vec![String::new()];
        for a in EDGES.chars() {
            strings.push(a.to_string());
            for b in EDGES.chars() {
                strings.push(format!("{a}{b}"));
                strings.push(format!("x{a}y{b}"));
            }
        }
        for a in &strings {
            for b in &strings {
                assert_eq!(
                    cmp_utf16(a.as_bytes(), b.as_bytes()),
                    a.encode_utf16().cmp(b.encode_utf16()),
                    "{a:?} vs {b:?}"
                );
            }
        }
    }
}
