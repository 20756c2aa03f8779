"""Check data/frameworks/nhs-ai-confidence-2022.json.

Validates the document against schemas/framework.schema.json (needs the
`jsonschema` package), checks that every cross-reference resolves, asserts the
counts of the report's extraction, and checks that every statement and
question text equals the extraction's text exactly.

Usage (from the repository root):
    python3 data/frameworks/check_nhs.py \
        ../shared/framework/framework-extract.json \
        data/frameworks/nhs-ai-confidence-2022.json \
        schemas/framework.schema.json
"""

import json
import sys
from collections import Counter

from jsonschema import Draft202012Validator


def props_without_description(node, path="$"):
    """Yield paths of schema properties that have no description."""
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            if isinstance(sub, dict) and "description" not in sub:
                yield f"{path}.properties.{name}"
        for key, sub in node.items():
            yield from props_without_description(sub, f"{path}.{key}")
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            yield from props_without_description(sub, f"{path}[{i}]")


def main(extract_path, doc_path, schema_path):
    with open(extract_path, encoding="utf-8") as f:
        extract = json.load(f)
    with open(doc_path, encoding="utf-8") as f:
        raw = f.read()
    doc = json.loads(raw)
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)

    # Schema.
    Draft202012Validator.check_schema(schema)
    missing = list(props_without_description(schema))
    assert not missing, missing
    errors = sorted(Draft202012Validator(schema).iter_errors(doc), key=str)
    for e in errors:
        print("schema error:", list(e.absolute_path), e.message)
    assert not errors
    print("schema: valid")

    # Formatting.
    assert raw == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"

    # Counts.
    st, qs = doc["statements"], doc["questions"]
    per_table = Counter(s["table"] for s in st)
    per_level = Counter(str(s["level"]) for s in st)
    per_qtable = Counter(q["table"] for q in qs)
    assert len(st) == 242, len(st)
    assert dict(per_table) == {
        "Table 1": 30, "Table 2": 20, "Table A1": 33, "Table A2": 35,
        "Table A4": 52, "Table A5": 46, "Table A7": 26,
    }, per_table
    assert dict(per_level) == {
        "awareness": 37, "familiarity": 58, "understanding": 73,
        "capability": 39, "proficiency": 34, "None": 1,
    }, per_level
    assert len(qs) == 65 and dict(per_qtable) == {"Table A3": 40, "Table A6": 25}
    assert len(doc["archetypes"]) == 5
    assert len(doc["anomalies"]) == 22
    print("statements:", len(st), dict(per_table))
    print("levels:", dict(per_level))
    print("taxonomy:", dict(Counter(s["taxonomy"] for s in st)))
    print("questions:", len(qs), dict(per_qtable))
    print("archetypes:", len(doc["archetypes"]), "pathways:", len(doc["pathways"]),
          "anomalies:", len(doc["anomalies"]))

    # Texts equal the extraction exactly, in the same order.
    assert [s["code"] for s in st] == [s["id"] for s in extract["statements"]]
    for ours, theirs in zip(st, extract["statements"]):
        assert ours["text"] == theirs["text"], ours["code"]
        assert ours["source_line"] == theirs["source_line"], ours["code"]
        assert ours["level"] == theirs["level"], ours["code"]
        assert ours["taxonomy"] == theirs["kind"], ours["code"]
        assert ours["factor"] == theirs["factor"], ours["code"]
    assert [q["code"] for q in qs] == [q["id"] for q in extract["questions"]]
    for ours, theirs in zip(qs, extract["questions"]):
        assert ours["text"] == theirs["text"], ours["code"]
        assert ours["source_line"] == theirs["source_line"], ours["code"]
    print("texts: all 242 statements and 65 questions equal the extraction")

    # Cross-references.
    layers = {l["name"]: {f["name"] for f in l["factors"]} for l in doc["layers"]}
    archetypes = {a["code"] for a in doc["archetypes"]}
    pathways = {p["code"]: p for p in doc["pathways"]}
    qsets = {q["code"]: q for q in doc["question_sets"]}
    anomalies = {a["code"]: a for a in doc["anomalies"]}
    by_code = {s["code"]: s for s in st}
    q_codes = {q["code"] for q in qs}
    for p in pathways.values():
        assert p["archetype"] is None or p["archetype"] in archetypes
        assert all(r in pathways for r in p["prerequisites"])
        assert p["question_set"] is None or p["question_set"] in qsets
    for q in doc["question_sets"]:
        assert q["archetype"] is None or q["archetype"] in archetypes
    for item in st + qs:
        assert item["layer"] in layers, item["code"]
        assert item["factor"] is None or item["factor"] in layers[item["layer"]]
    for s in st:
        assert pathways[s["pathway"]]["table"] == s["table"], s["code"]
        assert (s["factor"] is None) == (s["table"] == "Table 2"), s["code"]
        for a in s["anomalies"]:
            assert s["code"] in anomalies[a]["statements"], (s["code"], a)
    for q in qs:
        assert qsets[q["question_set"]]["table"] == q["table"], q["code"]
    for a in anomalies.values():
        for c in a["statements"]:
            assert a["code"] in by_code[c]["anomalies"], (a["code"], c)
        assert all(c in q_codes for c in a["questions"])

    # The anomalies the brief names are on the right statements.
    expected = {
        "ANOM-01": ["A4-17", "A4-18"], "ANOM-02": ["A4-50"],
        "ANOM-03": ["T1-23", "T1-24"], "ANOM-04": ["A4-20", "A5-15"],
        "ANOM-05": ["A7-13"], "ANOM-06": ["A7-01"],
        "ANOM-11": ["A4-29", "A7-08"], "ANOM-18": ["A2-28", "A2-32"],
    }
    for code, stmts in expected.items():
        assert anomalies[code]["statements"] == stmts, code
    assert "DCB 1060" in by_code["A4-20"]["text"] and "DCB 1060" in by_code["A5-15"]["text"]
    assert by_code["A4-17"]["level"] == by_code["A4-18"]["level"] == "capability"
    assert by_code["A4-17"]["taxonomy"] == by_code["A4-18"]["taxonomy"] == "skill"
    assert by_code["A4-50"]["level"] is None
    assert all(s["anomalies"] == ["ANOM-07"] or "ANOM-07" in s["anomalies"]
               for s in st if s["table"] == "Table 2")
    print("cross-references and anomaly links: ok")

    # Topics: declared once, each named by two statements or more, no Table 2
    # statement in one, and every identical text in the same topic.
    topics = {t["code"] for t in doc["topics"]}
    assert len(topics) == len(doc["topics"])
    members = Counter(s["topic"] for s in st if s["topic"] is not None)
    assert set(members) == topics and min(members.values()) >= 2, members
    for ours, theirs in zip(st, extract["statements"]):
        assert ours["table"] != "Table 2" or ours["topic"] is None, ours["code"]
        for other in theirs["identical_text_in"]:
            assert ours["topic"] is not None and ours["topic"] == by_code[other]["topic"]
        # Markers as printed: '+' exactly where the extraction saw one.
        assert (ours["marker"] == "+") == theirs["skill_marker_plus"], ours["code"]
    print("topics:", len(topics), "linking", sum(members.values()), "statements")

    # Figure A1: every cell as the extraction read it.
    fig = {r["factor"]: r for r in doc["figure_a1"]["rows"]}
    names = {a["code"]: a["name"] for a in doc["archetypes"]}
    for row in extract["figure_A1"]["rows"]:
        ticked = {names[a] for a in fig[row["factor"]]["archetypes"]}
        assert ticked == {a for a, v in row["needs_advanced_education"].items() if v}
    assert any(n["source_line"] == 1650 for n in doc["notes"])
    print("figure A1 and notes: ok")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: check_nhs.py EXTRACT_JSON DOC_JSON SCHEMA_JSON")
    main(*sys.argv[1:])
