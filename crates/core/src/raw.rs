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
