//! The workforce view as CSV: one line per published figure, with a header row.

use credence_domain::disclosure::Shown;

use super::WorkforceView;

impl WorkforceView {
    /// The view as CSV, with a header row: one line per published figure (section, row,
    /// column, value), every value as published (suppressed ones in words).
    pub fn csv(&self) -> String {
        fn field(s: &str) -> String {
            if s.contains([',', '"', '\n']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s.to_owned()
            }
        }
        let mut lines = vec!["section,population,row,column,value".to_owned()];
        let mut line = |a: &str, b: &str, c: &str, d: &str, v: Shown| {
            lines.push(
                [a, b, c, d, &v.words()]
                    .iter()
                    .map(|s| field(s))
                    .collect::<Vec<_>>()
                    .join(","),
            );
        };
        line("people", "Everyone", "", "", self.people);
        for a in &self.archetypes {
            line("people", &a.name, "", "", a.people);
            line("advanced complete", &a.name, "", "", a.advanced_complete);
        }
        for m in &self.heatmaps {
            line(
                "pathway complete",
                &m.population_name,
                &m.pathway_name,
                "",
                m.complete,
            );
            for r in &m.rows {
                for (c, head) in r.cells.iter().zip(&m.levels) {
                    if let Some(c) = c {
                        line(
                            "coverage",
                            &m.population_name,
                            &r.factor,
                            &head.name,
                            c.people,
                        );
                    }
                }
            }
        }
        for h in &self.awards_held {
            line("credentials held", "Everyone", &h.name, "", h.people);
        }
        for t in &self.targets {
            line(
                "target",
                &t.population_name,
                &t.pathway_name,
                &format!("{}% by {}", t.percent, t.due),
                t.complete,
            );
        }
        for m in &self.months {
            line("attestations", "", &m.month, "", m.attestations);
            line("awards", "", &m.month, "", m.awards);
        }
        line(
            "expiring",
            "",
            &format!("next {} days", self.expiring_days),
            "",
            self.expiring,
        );
        lines.push(String::new());
        lines.join("\r\n")
    }
}
