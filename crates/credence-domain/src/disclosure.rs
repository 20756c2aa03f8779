//! Small-number suppression for published counts of people (statistical disclosure
//! control). Each count is given as the set of people it counts, so the rule can look at
//! what a reader could work out, not only at the numbers:
//!
//! 1. **Primary**: a count under the threshold `k` (zero included) is shown as "fewer
//!    than k".
//! 2. **Differences**: when one published set lies inside another (a cell inside its
//!    population, the Users inside everyone, one heat-map cell inside another), the
//!    difference of the two counts is the count of a group of people, so it must not be
//!    from 1 to k−1: if it is, the smaller set's count is withheld too.
//! 3. **Sums**: for a table whose rows are disjoint parts of a published total (given as
//!    a [`Group`]), the total minus the published rows counts the unpublished ones
//!    together; when that is from 1 to k−1, the smallest published row is withheld too.
//!
//! The rules repeat until nothing changes, so every exact count published is at least k,
//! and no two of them (nor a total and its parts) differ by a small number of people.

use serde::Serialize;

/// A set of people, by their index in the population being described.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct People {
    words: Vec<u64>,
    count: u64,
}

impl People {
    /// An empty set able to hold people `0..n`.
    pub fn with_capacity(n: usize) -> Self {
        Self {
            words: vec![0; n.div_ceil(64)],
            count: 0,
        }
    }

    /// Adds person `i`.
    pub fn insert(&mut self, i: usize) {
        let word = i / 64;
        if word >= self.words.len() {
            self.words.resize(word + 1, 0);
        }
        let bit = 1u64 << (i % 64);
        if self.words[word] & bit == 0 {
            self.words[word] |= bit;
            self.count += 1;
        }
    }

    pub fn contains(&self, i: usize) -> bool {
        self.words
            .get(i / 64)
            .is_some_and(|w| w & (1u64 << (i % 64)) != 0)
    }

    /// How many people.
    pub fn len(&self) -> u64 {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Every person of `self` is in `other`.
    pub fn is_subset(&self, other: &People) -> bool {
        self.words.iter().enumerate().all(|(i, w)| {
            let o = other.words.get(i).copied().unwrap_or(0);
            w & !o == 0
        })
    }

    /// No person is in both.
    pub fn is_disjoint(&self, other: &People) -> bool {
        self.words.iter().zip(&other.words).all(|(a, b)| a & b == 0)
    }
}

/// How a count is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "shown", content = "value", rename_all = "kebab-case")]
pub enum Shown {
    /// The exact count (at least the threshold).
    Exact(u64),
    /// Under the threshold: "fewer than k".
    FewerThan(u64),
    /// Withheld although not small itself, so that a small count cannot be worked out
    /// from it and another published count.
    Withheld,
}

impl Shown {
    /// The exact count, when published.
    pub fn exact(self) -> Option<u64> {
        match self {
            Shown::Exact(n) => Some(n),
            _ => None,
        }
    }

    /// In words: "12", "fewer than 5", "withheld".
    pub fn words(self) -> String {
        match self {
            Shown::Exact(n) => n.to_string(),
            Shown::FewerThan(k) => format!("fewer than {k}"),
            Shown::Withheld => "withheld".to_owned(),
        }
    }
}

/// A published total and the disjoint parts of it that are published as rows (rule 3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The index of the total's set.
    pub total: usize,
    /// The indexes of the parts' sets.
    pub parts: Vec<usize>,
}

/// How each of `sets` may be published under threshold `k` (see the module's rules).
/// `groups` names the tables with totals; a group whose parts are not disjoint subsets of
/// its total gives no exact sum and is left to rule 2.
pub fn suppress(sets: &[&People], k: u64, groups: &[Group]) -> Vec<Shown> {
    let mut shown: Vec<Shown> = sets
        .iter()
        .map(|s| {
            if s.len() < k {
                Shown::FewerThan(k)
            } else {
                Shown::Exact(s.len())
            }
        })
        .collect();
    let exact_groups: Vec<&Group> = groups.iter().filter(|g| group_is_exact(sets, g)).collect();
    loop {
        let mut changed = false;
        for i in 0..sets.len() {
            for j in 0..sets.len() {
                if i == j || shown[i].exact().is_none() || shown[j].exact().is_none() {
                    continue;
                }
                let difference = sets[j].len().saturating_sub(sets[i].len());
                if difference > 0 && difference < k && sets[i].is_subset(sets[j]) {
                    shown[i] = Shown::Withheld;
                    changed = true;
                }
            }
        }
        for group in &exact_groups {
            if shown[group.total].exact().is_none() {
                continue;
            }
            let published: u64 = group.parts.iter().filter_map(|&p| shown[p].exact()).sum();
            let rest = sets[group.total].len().saturating_sub(published);
            if rest > 0 && rest < k {
                let smallest = group
                    .parts
                    .iter()
                    .copied()
                    .filter(|&p| shown[p].exact().is_some())
                    .min_by_key(|&p| sets[p].len());
                match smallest {
                    Some(p) => shown[p] = Shown::Withheld,
                    None => shown[group.total] = Shown::Withheld,
                }
                changed = true;
            }
        }
        if !changed {
            return shown;
        }
    }
}

/// Whether the parts of `group` are disjoint subsets of its total, so that the total minus
/// the parts is an exact count.
fn group_is_exact(sets: &[&People], group: &Group) -> bool {
    let Some(total) = sets.get(group.total) else {
        return false;
    };
    group.parts.iter().enumerate().all(|(n, &p)| {
        sets.get(p).is_some_and(|part| {
            part.is_subset(total)
                && group.parts[n + 1..]
                    .iter()
                    .all(|&q| sets.get(q).is_some_and(|other| part.is_disjoint(other)))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(members: &[usize]) -> People {
        let mut s = People::with_capacity(64);
        for &m in members {
            s.insert(m);
        }
        s
    }

    fn range(a: usize, b: usize) -> People {
        set(&(a..b).collect::<Vec<_>>())
    }

    /// What a reader can work out: no exact count under k, no two nested exact counts
    /// differing by 1..k-1, no exact total minus exact disjoint parts from 1 to k-1.
    fn nothing_small_is_derivable(sets: &[&People], k: u64, groups: &[Group], shown: &[Shown]) {
        for (i, s) in shown.iter().enumerate() {
            if let Some(n) = s.exact() {
                assert!(n >= k, "cell {i} published as {n}");
                assert_eq!(n, sets[i].len());
            }
        }
        for i in 0..sets.len() {
            for j in 0..sets.len() {
                if let (Some(a), Some(b)) = (shown[i].exact(), shown[j].exact()) {
                    if i != j && sets[i].is_subset(sets[j]) {
                        let d = b - a;
                        assert!(d == 0 || d >= k, "{j} - {i} = {d}");
                    }
                }
            }
        }
        for g in groups.iter().filter(|g| group_is_exact(sets, g)) {
            if let Some(total) = shown[g.total].exact() {
                let parts: u64 = g.parts.iter().filter_map(|&p| shown[p].exact()).sum();
                let rest = total - parts;
                assert!(rest == 0 || rest >= k, "group rest {rest}");
            }
        }
    }

    #[test]
    fn small_counts_are_fewer_than_k() {
        let all = range(0, 20);
        let few = range(0, 3);
        let none = People::with_capacity(20);
        let shown = suppress(&[&all, &few, &none], 5, &[]);
        assert_eq!(
            shown,
            vec![Shown::Exact(20), Shown::FewerThan(5), Shown::FewerThan(5)]
        );
        assert_eq!(shown[1].words(), "fewer than 5");
    }

    #[test]
    fn a_cell_close_to_its_population_is_withheld() {
        // 20 people, 17 of them in the cell: 20 - 17 = 3 would name the three who are not.
        let all = range(0, 20);
        let most = range(0, 17);
        let shown = suppress(&[&all, &most], 5, &[]);
        assert_eq!(shown, vec![Shown::Exact(20), Shown::Withheld]);
        // Everyone in the cell says nothing about anyone outside it: published.
        let everyone = range(0, 20);
        let shown = suppress(&[&all, &everyone], 5, &[]);
        assert_eq!(shown, vec![Shown::Exact(20), Shown::Exact(20)]);
    }

    #[test]
    fn a_row_total_with_one_small_part_withholds_another_part() {
        // 23 people in three disjoint rows of 10, 10 and 3: 23 - 10 - 10 = 3.
        let all = range(0, 23);
        let a = range(0, 10);
        let b = range(10, 20);
        let c = range(20, 23);
        let groups = [Group {
            total: 0,
            parts: vec![1, 2, 3],
        }];
        let sets = [&all, &a, &b, &c];
        let shown = suppress(&sets, 5, &groups);
        assert_eq!(shown[3], Shown::FewerThan(5));
        assert_eq!(
            shown.iter().filter(|s| **s == Shown::Withheld).count(),
            1,
            "{shown:?}"
        );
        nothing_small_is_derivable(&sets, 5, &groups, &shown);
    }

    #[test]
    fn no_small_count_can_be_derived_from_many_random_tables() {
        // A small deterministic generator: the test is the same on every run.
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..300 {
            let n = (next() % 40 + 1) as usize;
            let all = range(0, n);
            let mut sets = vec![all];
            for _ in 0..(next() % 8 + 1) {
                let mut s = People::with_capacity(n);
                let p = next() % 100;
                for i in 0..n {
                    if next() % 100 < p {
                        s.insert(i);
                    }
                }
                sets.push(s);
            }
            // A partition of everyone into three rows, as a grouped table.
            let start = sets.len();
            let cut1 = (next() as usize) % (n + 1);
            let cut2 = cut1 + (next() as usize) % (n - cut1 + 1);
            sets.push(range(0, cut1));
            sets.push(range(cut1, cut2));
            sets.push(range(cut2, n));
            let groups = vec![Group {
                total: 0,
                parts: vec![start, start + 1, start + 2],
            }];
            let refs: Vec<&People> = sets.iter().collect();
            for k in [3, 5, 10] {
                let shown = suppress(&refs, k, &groups);
                nothing_small_is_derivable(&refs, k, &groups, &shown);
            }
        }
    }
}
