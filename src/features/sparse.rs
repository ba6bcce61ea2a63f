//! Compressed sparse row matrices: the feature matrix the solver and the predictor read.

/// Rows of (column, value) pairs, columns sorted within each row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CsrMatrix {
    /// Number of columns.
    pub n_cols: usize,
    /// Where each row starts in `indices` and `values` (rows + 1 entries).
    pub indptr: Vec<usize>,
    /// Column of each stored value.
    pub indices: Vec<u32>,
    /// The stored values.
    pub values: Vec<f32>,
}

impl CsrMatrix {
    /// An empty matrix with `n_cols` columns.
    pub fn new(n_cols: usize) -> Self {
        CsrMatrix {
            n_cols,
            indptr: vec![0],
            indices: Vec::new(),
            values: Vec::new(),
        }
    }

    /// Builds a matrix from rows already sorted by column.
    #[cfg(test)]
    pub(crate) fn from_rows(n_cols: usize, rows: Vec<Vec<(u32, f32)>>) -> Self {
        let mut m = CsrMatrix::new(n_cols);
        let nnz = rows.iter().map(Vec::len).sum();
        m.indices.reserve(nnz);
        m.values.reserve(nnz);
        for row in rows {
            m.push_row(&row);
        }
        m
    }

    /// Appends a row of (column, value) pairs.
    pub(crate) fn push_row(&mut self, row: &[(u32, f32)]) {
        for &(c, v) in row {
            self.indices.push(c);
            self.values.push(v);
        }
        self.indptr.push(self.indices.len());
    }

    /// Number of rows.
    pub(crate) fn n_rows(&self) -> usize {
        self.indptr.len().saturating_sub(1)
    }

    /// Number of stored values.
    pub(crate) fn nnz(&self) -> usize {
        self.indices.len()
    }

    /// The columns and values of row `i` (empty past the end).
    pub fn row(&self, i: usize) -> (&[u32], &[f32]) {
        match (self.indptr.get(i), self.indptr.get(i + 1)) {
            (Some(&a), Some(&b)) => (&self.indices[a..b], &self.values[a..b]),
            _ => (&[], &[]),
        }
    }

    /// A new matrix holding the given rows, in the given order.
    #[cfg(test)]
    pub(crate) fn select_rows(&self, rows: &[usize]) -> CsrMatrix {
        let mut m = CsrMatrix::new(self.n_cols);
        for &r in rows {
            let (idx, val) = self.row(r);
            m.indices.extend_from_slice(idx);
            m.values.extend_from_slice(val);
            m.indptr.push(m.indices.len());
        }
        m
    }

    /// The transpose (columns become rows), built by counting sort: rows of the result list
    /// the original row indices in increasing order.
    pub(crate) fn transpose(&self) -> CsrMatrix {
        let mut counts = vec![0usize; self.n_cols + 1];
        for &c in &self.indices {
            if let Some(x) = counts.get_mut(c as usize + 1) {
                *x += 1;
            }
        }
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        let indptr = counts.clone();
        let mut next = counts;
        let mut indices = vec![0u32; self.nnz()];
        let mut values = vec![0f32; self.nnz()];
        for r in 0..self.n_rows() {
            let (idx, val) = self.row(r);
            for (&c, &v) in idx.iter().zip(val) {
                if let Some(slot) = next.get_mut(c as usize) {
                    indices[*slot] = r as u32;
                    values[*slot] = v;
                    *slot += 1;
                }
            }
        }
        CsrMatrix {
            n_cols: self.n_rows(),
            indptr,
            indices,
            values,
        }
    }

    /// The dense form (rows × cols), for the linfa reference solver on small data.
    pub(crate) fn to_dense(&self) -> ndarray::Array2<f64> {
        let mut d = ndarray::Array2::zeros((self.n_rows(), self.n_cols));
        for i in 0..self.n_rows() {
            let (idx, val) = self.row(i);
            for (&c, &v) in idx.iter().zip(val) {
                if let Some(x) = d.get_mut((i, c as usize)) {
                    *x = f64::from(v);
                }
            }
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_round_trip_and_select() {
        let m = CsrMatrix::from_rows(4, vec![vec![(0, 1.0), (3, 2.0)], vec![], vec![(2, 5.0)]]);
        assert_eq!(m.n_rows(), 3);
        assert_eq!(m.nnz(), 3);
        assert_eq!(m.row(0), (&[0u32, 3][..], &[1.0f32, 2.0][..]));
        assert_eq!(m.row(1).0.len(), 0);
        assert_eq!(m.row(9).0.len(), 0);
        let s = m.select_rows(&[2, 0]);
        assert_eq!(s.row(0), (&[2u32][..], &[5.0f32][..]));
        assert_eq!(s.row(1).0, &[0, 3]);
        let t = m.transpose();
        assert_eq!(t.n_rows(), 4);
        assert_eq!(t.n_cols, 3);
        assert_eq!(t.row(0), (&[0u32][..], &[1.0f32][..]));
        assert_eq!(t.row(2), (&[2u32][..], &[5.0f32][..]));
        assert_eq!(t.row(3), (&[0u32][..], &[2.0f32][..]));
        assert_eq!(t.transpose(), m);
        let d = m.to_dense();
        assert_eq!(d[(0, 3)], 2.0);
        assert_eq!(d[(2, 2)], 5.0);
        assert_eq!(d.sum(), 8.0);
    }
}
