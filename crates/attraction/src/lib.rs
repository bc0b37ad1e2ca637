//! 招商引资 (investment attraction) as rules: a lead's stages and what each
//! one asks for before it may be entered, the time limits a lead is held to,
//! investor names reduced to what finds a duplicate, and the size classes
//! zones report by. Typed inputs, no I/O.

pub mod activity;
pub mod chain;
pub mod first_talk;
pub mod import;
pub mod kpi;
pub mod limits;
pub mod names;
pub mod origin;
pub mod size;
pub mod stage;
pub mod wording;

pub use activity::{ActivityKind, NextStep};
pub use chain::{LinkFacts, Need, Segment};
pub use first_talk::check_first_talk;
pub use limits::{LimitSettings, Limits, Overdue};
pub use names::name_key;
pub use size::SizeClass;
pub use stage::{check_move, ledger_stage, AgreementKind, LeadStage, Origin, Source, StageFacts};
