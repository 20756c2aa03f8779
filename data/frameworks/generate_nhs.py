"""Generate Credence's framework document for the NHS AI Lab / HEE report
"Developing healthcare workers' confidence in AI" (Report 2 of 2, September 2022).

It reads the checked structured extraction of the report
(/work/shared/framework/framework-extract.json) and writes the framework data
document in Credence's own format ("credence-framework/1", described by
schemas/framework.schema.json): taxonomies, layers and factors, archetypes,
pathways, the 242 competency statements, the 65 procurement/deployment
questions and the 22 anomalies with Credence's decision on each.

Every text is copied from the extraction unchanged, and every record keeps the
source line of the report's text extraction, so a reader can check it.

It is run once by hand; the generated JSON is what ships. The output is
deterministic: running it again gives a byte-identical file.

Usage:
    python3 data/frameworks/generate_nhs.py \
        ../shared/framework/framework-extract.json \
        ../shared/seeds/000_30aa3a1557c79fba.txt \
        data/frameworks/nhs-ai-confidence-2022.json
"""

import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nhs_topics import TOPICS, TOPICS_DECISION  # noqa: E402

FORMAT = "credence-framework/1"
SLUG = "nhs-ai-confidence-2022"

ARCHETYPE_ORDER = ["Shaper", "Driver", "Creator", "Embedder", "User"]

# Appendix A section headings (1-based lines in the report's text extraction).
# The A.4 heading (line 2111) is merged with the 'Embedder' box label (ANOM-21).
ADVANCED_SECTION_LINE = {
    "Shaper": 1652,
    "Driver": 1761,
    "Creator": 1961,
    "Embedder": 2111,
    "User": 2296,
}

# Taxonomy headings inside Figure 4.
TAXONOMY_HEADING_LINE = {"knowledge": 778, "skill": 788}

# The markers the tables print beside a statement (legend at lines 821-822):
# '•' for knowledge, '+' for skill.
TAXONOMY_MARKER = {"knowledge": ("•", 821), "skill": ("+", 822)}

# Line 797: "If an individual is 'proficient' in a skill, they can be assumed to
# be capable and to have appropriate understanding of the subject." Capability
# follows from the skill taxonomy's ranks; understanding is the cross-taxonomy
# implication, and understanding brings familiarity and awareness (line 795).
LEVEL_IMPLIES = {"proficiency": [{"level": "understanding", "source_line": 797}]}

# The note under Figure A1 (line 1650).
COLLECTIVE_NOTE_LINE = 1650

QUESTION_SETS = {
    "Table A3": {
        "code": "driver-procurement",
        "name": "Questions for Drivers before procuring an AI technology",
        "archetype": "Driver",
    },
    "Table A6": {
        "code": "embedder-deployment",
        "name": "Questions for Embedders before deploying an AI technology",
        "archetype": "Embedder",
    },
}

DESCRIPTION = (
    "The knowledge and skills healthcare workers need to be confident in "
    "using artificial intelligence (AI), from the NHS AI Lab and Health "
    "Education England. Each requirement is a statement at a level of "
    "knowledge (awareness, familiarity, understanding) or skill (capability, "
    "proficiency), grouped by the factors that affect confidence in AI. "
    "Everyone needs the foundational education, five workforce archetypes "
    "(Shapers, Drivers, Creators, Embedders and Users) need advanced "
    "education of their own, and each AI product needs its own training."
)

SOURCE_TITLE = "Developing healthcare workers' confidence in AI: Report 2 of 2"

CLINICAL_USE_NOTE = (
    "Only relevant to AI used in clinical decision making (Figure A1 footnote)"
)

# Credence's decision on each anomaly of the extraction.
DECISIONS = {
    "ANOM-01": (
        "A4-17 and A4-18 are skill statements at level capability, taken from "
        "the leading words 'Capable of'; the missing '+' marker is treated as "
        "a rendering slip, and the marker printed (the knowledge bullet) is "
        "kept as data on both."
    ),
    "ANOM-02": (
        "A4-50 is kept verbatim as its own statement, flagged, with level null "
        "(taxonomy knowledge only because it has no '+' marker); it cannot be "
        "assessed or required until the report's publisher supplies the "
        "missing head, so progress calculations skip it and say so."
    ),
    "ANOM-03": (
        "T1-23 and T1-24 are both kept as separate statements, faithful to the "
        "source; they share the topic 'deskilling', so evidence for either "
        "meets both."
    ),
    "ANOM-04": (
        "A4-20 and A5-15 keep the text verbatim ('DCB 1060'); both are flagged "
        "as a probable typo for DCB 0160 and shown with a note to readers."
    ),
    "ANOM-05": (
        "A7-13 is kept verbatim ('Familiarity with of'), at level familiarity."
    ),
    "ANOM-06": (
        "A7-01 is kept under Evaluation and validation, where the report files "
        "it; it is not moved to Regulation and standards."
    ),
    "ANOM-07": (
        "Table 2 statements have a layer (Governance, Implementation or "
        "Clinical use, from the table's headings) and no factor (factor null)."
    ),
    "ANOM-08": (
        "No effect on the data: the '» ' glyph is dropped when the bullet is "
        "read, and A2-01 to A2-07 are ordinary knowledge statements under "
        "Regulation and standards."
    ),
    "ANOM-09": (
        "No effect on the data: the indented bullets are read as ordinary "
        "statements of the factor above them, not as sub-items."
    ),
    "ANOM-10": (
        "No effect on the data: the blank lines are page-break artefacts and "
        "no statement or question is split across them."
    ),
    "ANOM-11": (
        "Text kept verbatim, including 'E.g. negligence, product liability'; "
        "it is not aligned with the wording of the parallel statements."
    ),
    "ANOM-12": (
        "Text kept verbatim, with the trailing full stop where the report has "
        "one."
    ),
    "ANOM-13": (
        "No effect on the levels: the level is taken from the first word "
        "(Awareness, Familiarity, Understanding, Capable, Proficient), so the "
        "variant wordings map to the right level; text kept verbatim."
    ),
    "ANOM-14": (
        "Normalised: the layer is written 'Clinical use' everywhere, including "
        "the Table A3 questions under the 'Clinical Use' heading."
    ),
    "ANOM-15": (
        "Superscript endnote numbers are kept verbatim in the text; a plain "
        "version, if one is needed, strips the superscript digits (U+00B9, "
        "U+00B2, U+00B3, U+2070-U+2079)."
    ),
    "ANOM-16": (
        "Figure A1 is in this document as data (figure_a1), read cell by cell "
        "from the tab positions; the advanced pathways are still defined by "
        "their tables (A1, A2, A4, A5, A7), and a test checks that their "
        "factor headings agree with every cell of the figure."
    ),
    "ANOM-17": (
        "Not an error, kept as found: each question stays in the table, layer "
        "and factor where the report lists it, including the maintenance "
        "question under Technical implementation in Table A3 and under Local "
        "validation in Table A6."
    ),
    "ANOM-18": (
        "A2-28 (familiarity) and A2-32 (understanding) are both kept as "
        "separate statements at their own levels, faithful to the source; "
        "they share the topic 'workflow-design-usability', so evidence at "
        "Understanding for A2-32 also meets A2-28."
    ),
    "ANOM-19": (
        "Out of scope: personas are not part of the framework document, so "
        "nothing here is affected."
    ),
    "ANOM-20": (
        "Out of scope: personas are not part of the framework document, so "
        "nothing here is affected."
    ),
    "ANOM-21": (
        "No effect on the data: none of these artefacts falls in a statement "
        "or question; the Embedder pathway's source line (2111) points at the "
        "merged A.4 heading as it stands."
    ),
    "ANOM-22": (
        "Archetypes are taken from the full Figure 2 (lines 500-627), not the "
        "abridged executive-summary Figure A."
    ),
}

# Anomalies whose source lines are exactly the statements they concern (the
# extraction's per-statement anomaly_ids omit these). ANOM-02 and ANOM-06 are
# not here on purpose: some of their source lines are context only.
LINKED_BY_SOURCE_LINE = {"ANOM-09", "ANOM-12", "ANOM-13", "ANOM-15"}

# ANOM-13's description also names the 'Awareness that' and 'Proficient at'
# statements, which are not in its source_lines.
ANOM_13_EXTRA_LEADING_WORDS = {"Awareness that", "Proficient at"}

# ANOM-17: the question about ongoing technical maintenance (A3 line 1935,
# A6 line 2285) and the A3 sections outside Drivers' advanced factors.
ANOM_17_QUESTION_LINES = {1935, 2285}
ANOM_17_A3_FACTORS = {"Technical implementation", "AI model and product design"}

TABLE_RE = re.compile(r"^Table A?[0-9]+$")


def slug(name):
    """'AI model and product design' -> 'ai-model-and-product-design'."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def pathway_code(extract_pathway):
    """Extract pathway ('foundational', 'advanced:Shaper', ...) -> our code."""
    if extract_pathway.startswith("advanced:"):
        return "advanced-" + slug(extract_pathway.split(":", 1)[1])
    return extract_pathway


def strip_markdown(text):
    """Drop the report's '**bold**' markers."""
    return text.replace("**", "")


def build_taxonomies(tax):
    out = []
    for code, name, key in (
        ("knowledge", "Knowledge", "knowledge"),
        ("skill", "Skills and capabilities", "skills_and_capabilities"),
    ):
        out.append({
            "code": code,
            "name": name,
            "source_line": TAXONOMY_HEADING_LINE[code],
            "marker": {
                "symbol": TAXONOMY_MARKER[code][0],
                "source_line": TAXONOMY_MARKER[code][1],
            },
            "levels": [
                {
                    "code": lvl["level"],
                    "name": lvl["label"],
                    "rank": lvl["rank"],
                    "learner_statement": lvl["learner_statement"],
                    "source_line": lvl["source_line"],
                    "implies": LEVEL_IMPLIES.get(lvl["level"], []),
                }
                for lvl in sorted(tax[key], key=lambda x: x["rank"])
            ],
        })
    return out


def build_subsumption(tax):
    rules = [r for r in tax["subsumption_rules"] if r["source_line"] in (795, 797)]
    assert [r["source_line"] for r in rules] == [795, 797], rules
    return [{"text": r["text"], "source_line": r["source_line"]} for r in rules]


def build_layers(factors):
    out = []
    for layer in factors["layers"]:
        entry = {"code": slug(layer["layer"]), "name": layer["layer"]}
        if layer["layer"] == "Clinical use":
            entry["note"] = CLINICAL_USE_NOTE
        entry["factors"] = [{"code": slug(f), "name": f} for f in layer["factors"]]
        out.append(entry)
    return out


def build_archetypes(archetypes):
    by_name = {a["name"]: a for a in archetypes}
    assert [a["name"] for a in archetypes] == ARCHETYPE_ORDER
    out = []
    for name in ARCHETYPE_ORDER:
        a = by_name[name]
        out.append({
            "code": slug(name),
            "name": name,
            "plural": a["plural"],
            "summary": a["summary"],
            "source_line": a["summary_source_line"],
            "example_responsibilities": [
                {"text": r["text"], "source_line": r["source_line"]}
                for r in a["example_responsibilities"]
            ],
            "example_roles": [
                {"text": r["text"], "source_line": r["source_line"]}
                for r in a["example_roles"]
            ],
        })
    return out


def build_pathways(extract):
    kinds = {k["id"]: k for k in extract["pathways"]["kinds"]}
    tables = {t["id"]: t for t in extract["tables"]}
    q_by_archetype = {v["archetype"]: v["code"] for v in QUESTION_SETS.values()}

    foundational_quote = kinds["foundational"]["quotes"][0]
    assert foundational_quote["source_line"] == 762
    product_quote = kinds["product-specific"]["quotes"][0]
    assert product_quote["source_line"] == 764

    def figure3_item(text):
        # '- a) **foundational** AI education ...' -> 'Foundational AI education ...'
        body = re.sub(r"^- [0-9a-z]\) ", "", strip_markdown(text))
        return body[0].upper() + body[1:]

    out = [{
        "code": "foundational",
        "kind": "foundational",
        "name": "Foundational AI education",
        "description": (
            figure3_item(foundational_quote["text"]) + ". It aims at awareness "
            "and familiarity, and is needed before any advanced education."
        ),
        "table": kinds["foundational"]["requirements_table"],
        "archetype": None,
        "prerequisites": [],
        "question_set": None,
        "source_line": foundational_quote["source_line"],
    }]
    per_archetype = kinds["advanced"]["per_archetype"]
    for name in ARCHETYPE_ORDER:
        table_id = per_archetype[name]["requirements_table"]
        plural = tables[table_id]["caption"].split(":")[1].strip()
        out.append({
            "code": "advanced-" + slug(name),
            "kind": "advanced",
            "name": "Advanced AI education for " + plural,
            "description": (
                "AI education specific to " + plural + ", including "
                "development of skills and capabilities, in addition to the "
                "foundational and product-specific requirements."
            ),
            "table": table_id,
            "archetype": slug(name),
            "prerequisites": ["foundational"],
            "question_set": q_by_archetype.get(name),
            "source_line": ADVANCED_SECTION_LINE[name],
        })
    out.append({
        "code": "product-specific",
        "kind": "product-template",
        "name": "Product-specific AI training",
        "description": (
            "Training for users of each AI technology during its deployment: "
            "a template instantiated per AI product and version; to be "
            "refreshed when the product changes."
        ),
        "table": kinds["product-specific"]["requirements_table"],
        "archetype": None,
        "prerequisites": ["foundational"],
        "question_set": None,
        "source_line": product_quote["source_line"],
    })
    return out


def statement_anomalies(extract):
    """Map statement id -> sorted ANOM codes that concern it."""
    by_line = {s["source_line"]: s["id"] for s in extract["statements"]}
    links = {s["id"]: set(s["anomaly_ids"]) for s in extract["statements"]}
    for anom in extract["anomalies"]:
        if anom["id"] in LINKED_BY_SOURCE_LINE:
            for line in anom["source_lines"]:
                links[by_line[line]].add(anom["id"])
    for s in extract["statements"]:
        if s["leading_words"] in ANOM_13_EXTRA_LEADING_WORDS:
            links[s["id"]].add("ANOM-13")
    return {k: sorted(v) for k, v in links.items()}


def question_anomalies(extract):
    """Map question id -> sorted ANOM codes that concern it."""
    links = {q["id"]: set() for q in extract["questions"]}
    for q in extract["questions"]:
        if q["table"] == "Table A3" and q["layer"] == "Clinical use":
            links[q["id"]].add("ANOM-14")
        if q["source_line"] in ANOM_17_QUESTION_LINES or (
            q["table"] == "Table A3" and q["factor"] in ANOM_17_A3_FACTORS
        ):
            links[q["id"]].add("ANOM-17")
    return {k: sorted(v) for k, v in links.items()}


def statement_topics(extract):
    """Map statement id -> topic code; every identical text shares a topic."""
    ids = {s["id"] for s in extract["statements"]}
    topic_of = {}
    for code, _name, members, _decision in TOPICS:
        for m in members:
            assert m in ids and m not in topic_of, m
            topic_of[m] = code
    for s in extract["statements"]:
        for other in s["identical_text_in"]:
            assert topic_of.get(s["id"]) == topic_of.get(other) is not None, s["id"]
        if s["table"] == "Table 2":
            assert s["id"] not in topic_of, s["id"]
    return topic_of


def build_topics():
    return [
        {"code": code, "name": name, "decision": decision}
        for code, name, _members, decision in TOPICS
    ]


def build_statements(extract, links):
    topic_of = statement_topics(extract)
    out = []
    for s in extract["statements"]:
        out.append({
            "code": s["id"],
            "table": s["table"],
            "pathway": pathway_code(s["pathway"]),
            "layer": s["layer"],
            "factor": s["factor"],
            "taxonomy": s["kind"],
            "level": s["level"],
            "text": s["text"],
            "source_line": s["source_line"],
            "anomalies": links[s["id"]],
            "topic": topic_of.get(s["id"]),
            "marker": TAXONOMY_MARKER[s["kind_from_marker"]][0],
        })
    return out


def build_question_sets(extract):
    tables = {t["id"]: t for t in extract["tables"]}
    out = []
    for table_id, qs in QUESTION_SETS.items():
        out.append({
            "code": qs["code"],
            "name": qs["name"],
            "table": table_id,
            "archetype": slug(qs["archetype"]),
            "source_line": tables[table_id]["source_lines"][0],
        })
    return out


def build_questions(extract):
    out = []
    for q in extract["questions"]:
        out.append({
            "code": q["id"],
            "table": q["table"],
            "question_set": QUESTION_SETS[q["table"]]["code"],
            "layer": q["layer"],
            "factor": q["factor"],
            "text": q["text"],
            "source_line": q["source_line"],
        })
    return out


def build_anomalies(extract, s_links, q_links):
    out = []
    for a in extract["anomalies"]:
        code = a["id"]
        out.append({
            "code": code,
            "category": a["category"],
            "table": a["table"] if TABLE_RE.match(a["table"]) else None,
            "source_lines": list(a["source_lines"]),
            "description": a["description"],
            "decision": DECISIONS[code],
            "statements": [k for k, v in s_links.items() if code in v],
            "questions": [k for k, v in q_links.items() if code in v],
        })
    assert set(DECISIONS) == {a["code"] for a in out}
    return out


def build_figure_a1(extract):
    """Figure A1 as data: per factor, the archetypes that need advanced education."""
    fig = extract["figure_A1"]
    assert fig["cross_check"].startswith("all 60 cells agree")
    rows = []
    for row in fig["rows"]:
        rows.append({
            "layer": row["layer"],
            "factor": row["factor"],
            "archetypes": [
                slug(a) for a in ARCHETYPE_ORDER if row["needs_advanced_education"][a]
            ],
            "source_line": row["source_line"],
        })
    first, last = fig["source_lines"]
    foot_user, foot_clinical = fig["footnotes"]
    assert foot_user.startswith("*Not all users") and foot_clinical.startswith("**")
    return {
        "title": fig["title"],
        "source_line": first,
        "rows": rows,
        "footnotes": [
            {
                "marker": "*",
                "archetype": "user",
                "layer": None,
                "text": foot_user[1:].replace(" [section A.5](#)", " section A.5"),
                "source_line": last - 2,
            },
            {
                "marker": "**",
                "archetype": None,
                "layer": "Clinical use",
                "text": foot_clinical[2:],
                "source_line": last,
            },
        ],
    }


def build_notes(seed_lines):
    text = seed_lines[COLLECTIVE_NOTE_LINE - 1].replace("**", "")
    assert text.startswith("The requirements are collective rather than individual.")
    return [{
        "code": "collective-requirements",
        "title": "The advanced requirements are collective",
        "text": text,
        "source_line": COLLECTIVE_NOTE_LINE,
    }, {
        "code": "unlinked-statements",
        "title": "Statements deliberately not linked by topic",
        "text": TOPICS_DECISION,
        "source_line": None,
    }]


def build(extract, seed_lines):
    s_links = statement_anomalies(extract)
    q_links = question_anomalies(extract)
    src = extract["source"]
    return {
        "format": FORMAT,
        "slug": SLUG,
        "version": "1.1.0",
        "title": "Developing healthcare workers' confidence in AI",
        "publisher": "NHS AI Lab and Health Education England",
        "published": "2022-09",
        "description": DESCRIPTION,
        "source": {
            "title": SOURCE_TITLE,
            "sha256": src["sha256"],
            "lines": src["lines"],
            "note": (
                "source_line values are 1-based line numbers in the report's "
                "text extraction"
            ),
        },
        "taxonomies": build_taxonomies(extract["taxonomy"]),
        "subsumption": build_subsumption(extract["taxonomy"]),
        "topics": build_topics(),
        "layers": build_layers(extract["influencing_factors"]),
        "archetypes": build_archetypes(extract["archetypes"]),
        "pathways": build_pathways(extract),
        "statements": build_statements(extract, s_links),
        "question_sets": build_question_sets(extract),
        "questions": build_questions(extract),
        "anomalies": build_anomalies(extract, s_links, q_links),
        "figure_a1": build_figure_a1(extract),
        "notes": build_notes(seed_lines),
    }


def main(argv):
    if len(argv) != 4:
        sys.exit("usage: generate_nhs.py EXTRACT_JSON SEED_TXT OUTPUT_JSON")
    with open(argv[1], encoding="utf-8") as f:
        extract = json.load(f)
    with open(argv[2], encoding="utf-8") as f:
        seed_lines = f.read().split("\n")
    doc = build(extract, seed_lines)
    with open(argv[3], "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(doc, indent=2, ensure_ascii=False))
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv)
