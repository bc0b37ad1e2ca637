//! Domain rules of kfq. This crate owns the meaning of the data — the organisation
//! tree, roles and what each may see or change, identifiers such as the Unified
//! Social Credit Code, and how audit records are chained. It does no I/O: storage,
//! web and CLI are edges around it.

pub mod access;
pub mod audit;
pub mod credit_code;
pub mod org;
pub mod user;
pub mod validation;

pub use access::{Principal, Role, Visibility};
pub use credit_code::CreditCode;
pub use org::{OrgKind, OrgPath, ZoneLevel, ZoneType};
pub use validation::{FieldError, FieldErrors};
