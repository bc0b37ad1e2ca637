//! Domain rules of kfq. This crate owns the meaning of the data — the organisation
//! tree, roles and what each may see or change, identifiers such as the Unified
//! Social Credit Code, how audit records are chained, exact money, the project
//! lifecycle, investment arithmetic and the red/yellow/green rules. It does no I/O: storage,
//! web and CLI are edges around it.

pub mod access;
pub mod audit;
pub mod campaign;
mod code_enum;
pub mod credit_code;
pub mod investment;
pub mod money;
pub mod org;
pub mod password;
pub mod progress;
pub mod project;
pub mod project_fields;
pub mod rag;
pub mod rank;
pub mod throttle;
pub mod user;
pub mod validation;

pub use access::{
    Assessment, LeadSight, LeadWrite, Oversight, OwnAccount, Principal, Role, UnitAdmin, UnitWrite,
    Visibility, ZoneWrite,
};
pub use code_enum::Coded;
pub use credit_code::CreditCode;
pub use money::{Money, Mu};
pub use org::{OrgKind, OrgPath, ZoneLevel, ZoneType};
pub use project::{BlockerFactor, BlockerStatus, Category, Nature, Stage};
pub use rag::{Rag, RagRules};
pub use validation::{FieldError, FieldErrors};
