//! A value derived from the rest of its owner (a model, a featurizer) and made once, on first
//! use: never stored, never compared, never copied.

use std::sync::OnceLock;

/// A derived value, made once on first use (`.0.get_or_init`). A clone starts empty (its owner's
/// settings may change before it is made), two owners never differ by it, and it is not saved
/// (owners mark it `#[serde(skip)]`).
pub(crate) struct Derived<T>(pub(crate) OnceLock<T>);

impl<T> Default for Derived<T> {
    fn default() -> Self {
        Derived(OnceLock::new())
    }
}

impl<T> Clone for Derived<T> {
    /// Empty: the clone makes its own on first use.
    fn clone(&self) -> Self {
        Derived::default()
    }
}

impl<T> PartialEq for Derived<T> {
    /// Derived from the rest of its owner: never a difference of its own.
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<T> std::fmt::Debug for Derived<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.get().is_some() {
            "Derived(made)"
        } else {
            "Derived(not made)"
        })
    }
}
