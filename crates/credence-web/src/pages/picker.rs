//! The statement picker of the evidence form: every assessable statement of a framework,
//! grouped by pathway, then by layer and influencing factor, each with its code, its text
//! and the level it requires, so that a person can find one by reading or by searching.

use credence_domain::Framework;

/// One statement a person can choose.
#[derive(Debug, Clone)]
pub struct PickerStatement {
    pub code: String,
    pub text: String,
    /// The level the pathway requires, in words ("Familiarity").
    pub level: String,
    /// What the search box matches against, in lower case.
    pub search: String,
}

/// The statements of one layer (and factor) of a pathway.
#[derive(Debug, Clone)]
pub struct PickerGroup {
    /// "Layer · factor", or the layer alone where the source gives no factor.
    pub label: String,
    pub statements: Vec<PickerStatement>,
}

/// The statements of one pathway.
#[derive(Debug, Clone)]
pub struct PickerPathway {
    pub name: String,
    pub groups: Vec<PickerGroup>,
    /// How many statements, for the heading.
    pub count: usize,
    /// Whether it holds the chosen statement (and is shown open).
    pub open: bool,
}

impl PickerPathway {
    /// "1 statement", "18 statements".
    pub fn count_text(&self) -> String {
        if self.count == 1 {
            "1 statement".to_owned()
        } else {
            format!("{} statements", self.count)
        }
    }
}

/// The picker's pathways in document order, each with its assessable statements grouped
/// by layer and factor in document order; `chosen` is the statement chosen, if any.
pub fn statement_picker(framework: &Framework, chosen: &str) -> Vec<PickerPathway> {
    framework
        .document()
        .pathways
        .iter()
        .filter_map(|pathway| {
            let mut groups: Vec<PickerGroup> = Vec::new();
            for s in framework.pathway_statements(&pathway.code) {
                let Some(level) = s.level.as_ref() else {
                    continue;
                };
                let label = match &s.factor {
                    Some(factor) => format!("{} · {factor}", s.layer),
                    None => s.layer.clone(),
                };
                let statement = PickerStatement {
                    code: s.code.as_str().to_owned(),
                    text: s.text.clone(),
                    level: framework
                        .level(level)
                        .map_or_else(|| level.as_str().to_owned(), |l| l.name.clone()),
                    search: format!("{} {} {} {}", s.code, s.text, label, pathway.name)
                        .to_lowercase(),
                };
                match groups.iter_mut().find(|g| g.label == label) {
                    Some(group) => group.statements.push(statement),
                    None => groups.push(PickerGroup {
                        label,
                        statements: vec![statement],
                    }),
                }
            }
            let count: usize = groups.iter().map(|g| g.statements.len()).sum();
            let open = groups
                .iter()
                .any(|g| g.statements.iter().any(|s| s.code == chosen));
            (count > 0).then(|| PickerPathway {
                name: pathway.name.clone(),
                groups,
                count,
                open,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::statement_picker;

    #[test]
    fn every_assessable_statement_is_in_one_group_with_its_level() {
        let framework = credence_domain::Framework::from_json(
            credence_domain::bundled::NHS_AI_CONFIDENCE_2022.as_bytes(),
        )
        .expect("the bundled framework");
        let picker = statement_picker(&framework, "T1-01");
        let assessable: Vec<&str> = framework
            .document()
            .statements
            .iter()
            .filter(|s| s.level.is_some())
            .map(|s| s.code.as_str())
            .collect();
        let mut shown: Vec<&str> = picker
            .iter()
            .flat_map(|p| p.groups.iter())
            .flat_map(|g| g.statements.iter())
            .map(|s| s.code.as_str())
            .collect();
        assert_eq!(shown.len(), assessable.len());
        shown.sort_unstable();
        shown.dedup();
        assert_eq!(shown.len(), assessable.len(), "each statement once");
        assert_eq!(
            picker.iter().filter(|p| p.open).count(),
            1,
            "T1-01's pathway is open"
        );
        for p in &picker {
            assert_eq!(
                p.count,
                p.groups.iter().map(|g| g.statements.len()).sum::<usize>()
            );
            for s in p.groups.iter().flat_map(|g| g.statements.iter()) {
                assert!(
                    !s.level.is_empty() && s.level.chars().next().is_some_and(char::is_uppercase),
                    "{}",
                    s.level
                );
                assert!(s.search.contains(&s.code.to_lowercase()));
            }
        }
    }
}
