//! JCS (RFC 8785) output of the vendored, patched `serde_json_canonicalizer` (see
//! vendor/README.md), which `eddsa-jcs-2022` hashes: fixed expectations for tricky inputs and
//! properties on generated documents.

// Tests may unwrap: a panic there is a failed test.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use serde_json::Value;

/// (input JSON, expected JCS). From RFC 8785 (section 3.2.2, the sorting example of section
/// 3.2.3 and numbers from appendix B), the reference implementation's `weird.json`, and keys
/// chosen where sorting goes wrong easily: escaped keys (sorted by their unescaped text), keys
/// above U+FFFF (surrogate pairs, which sort before U+E000..U+FFFF in UTF-16 although they
/// come after it in UTF-8), and nesting.
const CASES: &[(&str, &str)] = &[
    (
        r#"{
          "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
          "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
          "literals": [null, true, false]
        }"#,
        r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#,
    ),
    (
        r#"{
          "\u20ac": "Euro Sign",
          "\r": "Carriage Return",
          "\ufb33": "Hebrew Letter Dalet With Dagesh",
          "1": "One",
          "\ud83d\ude00": "Emoji: Grinning Face",
          "\u0080": "Control",
          "\u00f6": "Latin Small Letter O With Diaeresis"
        }"#,
        "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u{80}\":\"Control\",\"\u{f6}\":\"Latin Small Letter O With Diaeresis\",\"\u{20ac}\":\"Euro Sign\",\"\u{1f600}\":\"Emoji: Grinning Face\",\"\u{fb33}\":\"Hebrew Letter Dalet With Dagesh\"}",
    ),
    (
        r#"{
          "\u20ac": "Euro Sign",
          "\r": "Carriage Return",
          "\u000a": "Newline",
          "1": "One",
          "\u0080": "Control\u007f",
          "\ud83d\ude02": "Smiley",
          "\u00f6": "Latin Small Letter O With Diaeresis",
          "\ufb33": "Hebrew Letter Dalet With Dagesh",
          "</script>": "Browser Challenge"
        }"#,
        "{\"\\n\":\"Newline\",\"\\r\":\"Carriage Return\",\"1\":\"One\",\"</script>\":\"Browser Challenge\",\"\u{80}\":\"Control\u{7f}\",\"\u{f6}\":\"Latin Small Letter O With Diaeresis\",\"\u{20ac}\":\"Euro Sign\",\"\u{1f602}\":\"Smiley\",\"\u{fb33}\":\"Hebrew Letter Dalet With Dagesh\"}",
    ),
    (
        "[0, -0.0, 5e-324, -1.7976931348623157e+308, 9007199254740992, 295147905179352825856, \
         1e21, 999999999999999868928, 1e23, 1e-7, 0.000001, 9.999999999999997e-7, \
         333333333.3333332, 333333333.33333325, -0.0000033333333333333333, 1424953923781206.2, \
         1e-6, 12e1, 100]",
        "[0,0,5e-324,-1.7976931348623157e+308,9007199254740992,295147905179352830000,\
         1e+21,999999999999999900000,1e+23,1e-7,0.000001,9.999999999999997e-7,\
         333333333.3333332,333333333.33333325,-0.0000033333333333333333,1424953923781206.2,\
         0.000001,120,100]",
    ),
    // Keys escaped in the input are plain once parsed.
    (
        r#"{"b": 1, "\u0061": 2, "\u0060": 3}"#,
        r#"{"`":3,"a":2,"b":1}"#,
    ),
    // Keys escaped in the output sort by their unescaped text: '!' < '"' < '#', '[' < '\' < ']',
    // '\n' < ' '.
    (
        r#"{"a#": 1, "a\"": 2, "a!": 3, "]": 4, "\\": 5, "[": 6, " ": 7, "\n": 8, "\u0001": 9}"#,
        r#"{"\u0001":9,"\n":8," ":7,"[":6,"\\":5,"]":4,"a!":3,"a\"":2,"a#":1}"#,
    ),
    // UTF-16 order: U+D7FF < U+10000 < U+1F600 < U+E000 < U+FB33 < U+FFFF.
    (
        r#"{"\uffff": 1, "\ufb33": 2, "\ue000": 3, "\ud83d\ude00": 4, "\ud800\udc00": 5, "\ud7ff": 6, "\u00e9": 7, "z": 8}"#,
        "{\"z\":8,\"\u{e9}\":7,\"\u{d7ff}\":6,\"\u{10000}\":5,\"\u{1f600}\":4,\"\u{e000}\":3,\"\u{fb33}\":2,\"\u{ffff}\":1}",
    ),
    // The same with an escaped character in front, and a key equal to a prefix of another.
    (
        r#"{"\"\ue000": 1, "\"\ud83d\ude00": 2, "\"": 3, "\"\ud83d\ude00\n": 4}"#,
        "{\"\\\"\":3,\"\\\"\u{1f600}\":2,\"\\\"\u{1f600}\\n\":4,\"\\\"\u{e000}\":1}",
    ),
    // Nesting: objects in objects, in arrays, empty objects and an empty key.
    (
        r#"{"b": {"d": [{"f": 1, "e": {"h": [], "g": {}}}, {}], "c": null}, "a": {"": "empty key", " ": true}}"#,
        r#"{"a":{"":"empty key"," ":true},"b":{"c":null,"d":[{"e":{"g":{},"h":[]},"f":1},{}]}}"#,
    ),
    (
        r#"[{"b": 1, "a": 2}, [{"d": {"z": 0, "y": [{"q": 1, "p": 2}]}}], "x", {}]"#,
        r#"[{"a":2,"b":1},[{"d":{"y":[{"p":2,"q":1}],"z":0}}],"x",{}]"#,
    ),
];

fn jcs(value: &Value) -> String {
    serde_json_canonicalizer::to_string(value).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn tricky_inputs_give_the_expected_jcs() {
    for (input, expected) in CASES {
        let value: Value = serde_json::from_str(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(jcs(&value), *expected, "{input}");
        // Canonical text is its own canonical form.
        let again: Value = serde_json::from_str(expected).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(jcs(&again), *expected, "{expected}");
    }
}

/// Every object's keys are in strictly increasing UTF-16 order.
fn keys_sorted(value: &Value) -> bool {
    match value {
        Value::Array(items) => items.iter().all(keys_sorted),
        Value::Object(map) => {
            let keys: Vec<&String> = map.keys().collect();
            keys.windows(2)
                .all(|pair| pair[0].encode_utf16().lt(pair[1].encode_utf16()))
                && map.values().all(keys_sorted)
        }
        _ => true,
    }
}

/// Characters where escaping and ordering go wrong easily.
const ALPHABET: &str = "abz1 !\"#\\/\n\r\u{1}\u{7f}\u{80}\u{e9}\u{800}\u{d7ff}\u{e000}\u{fb33}\u{ffff}\u{10000}\u{1f600}\u{10ffff}";

fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        proptest::sample::select(ALPHABET.chars().collect::<Vec<_>>()),
        0..4,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i32>().prop_map(Value::from),
        text().prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::vec((text(), inner), 0..8)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// JCS keeps the data, sorts every object's keys by UTF-16 code units, and is its own
    /// canonical form.
    #[test]
    fn jcs_keeps_the_data_and_sorts_keys(value in json_value()) {
        let canonical = jcs(&value);
        let parsed: Value = serde_json::from_str(&canonical).unwrap_or_default();
        prop_assert_eq!(&parsed, &value);
        prop_assert!(keys_sorted(&parsed), "{}", canonical);
        prop_assert_eq!(jcs(&parsed), canonical);
    }
}
