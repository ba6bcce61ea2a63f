//! Cross-validation splits: stratified k-fold, grouped so that rows sharing a group (one
//! headline with several targets) never fall on both sides. Deterministic for a seed.

use std::collections::BTreeMap;

/// Row indices of one fold's training and test sides.
#[derive(Debug, Clone, PartialEq)]
pub struct Fold {
    /// The rows to train on.
    pub train: Vec<usize>,
    /// The held-out rows.
    pub test: Vec<usize>,
}

/// A small, fast, seedable generator (SplitMix64), so splits need no extra crate.
pub(crate) struct SplitMix64(pub(crate) u64);

impl SplitMix64 {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Splits rows into `k` folds. `labels[i]` is row i's label index; `groups[i]`, when given, its
/// group key. Groups are dealt (largest first, ties shuffled by `seed`) to the fold where their
/// labels are least represented, which keeps each fold's label mix close to the whole.
pub fn stratified_group_folds(labels: &[usize], groups: Option<&[String]>, k: usize, seed: u64) -> Vec<Fold> {
    let n = labels.len();
    let n_labels = labels.iter().copied().max().map_or(0, |m| m + 1);
    // Group key → rows, in first-seen order.
    let mut by_group: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let row_keys: Vec<String> = match groups {
        Some(g) => g.to_vec(),
        None => (0..n).map(|i| i.to_string()).collect(),
    };
    for (i, key) in row_keys.iter().enumerate() {
        by_group.entry(key.as_str()).or_default().push(i);
    }
    let mut units: Vec<Vec<usize>> = by_group.into_values().collect();
    let mut rng = SplitMix64(seed);
    rng.shuffle(&mut units);
    units.sort_by_key(|u| std::cmp::Reverse(u.len()));
    let totals: Vec<f64> = (0..n_labels)
        .map(|l| labels.iter().filter(|&&x| x == l).count() as f64)
        .collect();
    let mut fold_counts = vec![vec![0f64; n_labels]; k];
    let mut fold_sizes = vec![0usize; k];
    let mut assignment = vec![0usize; n];
    for unit in units {
        let mut unit_counts = vec![0f64; n_labels];
        for &r in &unit {
            unit_counts[labels[r]] += 1.0;
        }
        // Choose the fold where this unit's labels are least filled, relative to the label totals.
        let best = (0..k)
            .min_by(|&a, &b| {
                let score = |f: usize| -> f64 {
                    (0..n_labels)
                        .filter(|&l| unit_counts[l] > 0.0 && totals[l] > 0.0)
                        .map(|l| (fold_counts[f][l] + unit_counts[l]) / totals[l])
                        .sum()
                };
                score(a)
                    .total_cmp(&score(b))
                    .then(fold_sizes[a].cmp(&fold_sizes[b]))
                    .then(a.cmp(&b))
            })
            .unwrap_or(0);
        for &r in &unit {
            assignment[r] = best;
            fold_counts[best][labels[r]] += 1.0;
        }
        fold_sizes[best] += unit.len();
    }
    (0..k)
        .map(|f| Fold {
            train: (0..n).filter(|&i| assignment[i] != f).collect(),
            test: (0..n).filter(|&i| assignment[i] == f).collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_partition_rows_and_stratify() {
        let labels: Vec<usize> = (0..100).map(|i| if i < 70 { 0 } else { 1 }).collect();
        let folds = stratified_group_folds(&labels, None, 5, 7);
        assert_eq!(folds.len(), 5);
        let mut all: Vec<usize> = folds.iter().flat_map(|f| f.test.clone()).collect();
        all.sort();
        assert_eq!(all, (0..100).collect::<Vec<_>>());
        for f in &folds {
            assert_eq!(f.test.len(), 20);
            assert_eq!(f.test.iter().filter(|&&i| labels[i] == 1).count(), 6);
            assert_eq!(f.train.len() + f.test.len(), 100);
        }
    }

    #[test]
    fn groups_never_straddle_folds() {
        let labels: Vec<usize> = (0..60).map(|i| i % 3).collect();
        let groups: Vec<String> = (0..60).map(|i| format!("h{}", i / 4)).collect();
        let folds = stratified_group_folds(&labels, Some(&groups), 3, 1);
        for f in &folds {
            for &t in &f.test {
                assert!(!f.train.iter().any(|&r| groups[r] == groups[t]));
            }
        }
    }

    #[test]
    fn same_seed_same_folds() {
        let labels: Vec<usize> = (0..50).map(|i| i % 2).collect();
        assert_eq!(
            stratified_group_folds(&labels, None, 5, 3),
            stratified_group_folds(&labels, None, 5, 3)
        );
    }
}
