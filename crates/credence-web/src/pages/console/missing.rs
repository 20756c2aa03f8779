//! What the award form says is missing when a pathway is not complete, counted in
//! statements (not in the groups the lines are written in).

/// How much the completion check found missing, counting statements (each line of a gap
/// begins with its number of statements, "3 statements at …") and prerequisite pathways:
/// "18 statements", "1 statement and 1 prerequisite pathway".
pub fn missing_count(lines: &[String]) -> String {
    let mut statements = 0usize;
    let mut pathways = 0usize;
    for line in lines {
        match line
            .split_once(' ')
            .and_then(|(n, rest)| Some((n.parse::<usize>().ok()?, rest)))
        {
            Some((n, rest)) if rest.starts_with("statement") => statements += n,
            _ => pathways += 1,
        }
    }
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    match (statements, pathways) {
        (s, 0) => plural(s, "statement", "statements"),
        (0, p) => plural(p, "prerequisite pathway", "prerequisite pathways"),
        (s, p) => format!(
            "{} and {}",
            plural(s, "statement", "statements"),
            plural(p, "prerequisite pathway", "prerequisite pathways")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::missing_count;

    #[test]
    fn what_is_missing_counts_statements_not_groups() {
        let lines = |l: &[&str]| l.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        for (given, expected) in [
            (
                lines(&[
                    "3 statements at Familiarity in Data: T1-01, T1-02, T1-03",
                    "1 statement at Awareness in Ethics: T2-01",
                    "14 statements at Familiarity in Governance: T3-01, T3-02",
                ]),
                "18 statements",
            ),
            (
                lines(&["1 statement at Awareness in Ethics: T2-01"]),
                "1 statement",
            ),
            (
                lines(&[
                    "The prerequisite pathway Foundational is not complete.",
                    "2 statements at Awareness in Ethics: T2-01, T2-02",
                ]),
                "2 statements and 1 prerequisite pathway",
            ),
            (
                lines(&["The prerequisite pathway Foundational is not complete."]),
                "1 prerequisite pathway",
            ),
        ] {
            assert_eq!(missing_count(&given), expected);
        }
    }
}
