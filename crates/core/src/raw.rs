//! `Raw`: a JS value as the core sees it. The shell reads options, method
//! arguments and the fields of SchAcc's answers into it (`config`, `response`),
//! so no rule of the core touches a browser type.

/// A JS value as the core sees it: its type, and its contents where the core
/// has a use for them.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Raw {
    /// `undefined` or `null`.
    #[default]
    Absent,
    Text(String),
    Number(f64),
    Bool(bool),
    /// Any other type (object, function, symbol, bigint).
    Other,
}

impl Raw {
    /// The number, where it is above 0 and finite; else 0 (a lifetime that
    /// is no lifetime).
    pub fn positive(&self) -> f64 {
        match self {
            Raw::Number(n) if *n > 0.0 && n.is_finite() => *n,
            _ => 0.0,
        }
    }
}
