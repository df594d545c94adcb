//! The fewest-edits alignment of two digit strings: how the heard digits line up with the
//! expected ones, and the first reading of a number with its second.

/// One step of the fewest-edits alignment of two digit strings `a` and `b`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Edit {
    /// `a[i]` and `b[j]` are aligned (equal or one for the other).
    Pair(usize, usize),
    /// `a[i]` has nothing in `b`.
    OnlyA(usize),
    /// `b[j]` has nothing in `a`.
    OnlyB(usize),
}

/// The fewest-edits alignment of `a` and `b`, in order.
pub(crate) fn align(a: &[u8], b: &[u8]) -> Vec<Edit> {
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let sub = d[i - 1][j - 1] + usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = sub.min(d[i - 1][j] + 1).min(d[i][j - 1] + 1);
        }
    }
    let mut out = Vec::with_capacity(n.max(m));
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        if i > 0 && j > 0 && d[i][j] == d[i - 1][j - 1] + usize::from(a[i - 1] != b[j - 1]) {
            out.push(Edit::Pair(i - 1, j - 1));
            i -= 1;
            j -= 1;
        } else if i > 0 && d[i][j] == d[i - 1][j] + 1 {
            out.push(Edit::OnlyA(i - 1));
            i -= 1;
        } else {
            out.push(Edit::OnlyB(j - 1));
            j -= 1;
        }
    }
    out.reverse();
    out
}
