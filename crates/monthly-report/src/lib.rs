//! 月通报: the monthly bulletin's figures, computed from the ledger as it stood
//! at the end of a month ([`ProjectAsOf`], loaded by the store from history).
//! Every figure comes with the [`Trace`] that selects the projects behind it,
//! so a page can link each total to its list. Pure: no I/O, no clock.

mod figures;
mod snapshot;
mod trace;

pub use figures::{
    compile, compile_judged, rank_by_completion, Bulletin, CategoryLine, FactorLine, RagCounts,
    RankLine, RedLine, StageLine, Totals,
};
pub use kfq_calendar::Period;
pub use snapshot::{BlockerAsOf, ProjectAsOf, Unit};
pub use trace::Trace;
