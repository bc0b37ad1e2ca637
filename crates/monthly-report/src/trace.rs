//! What selects the projects behind a figure: every total of the bulletin
//! names one, and the trace page lists exactly those projects and months.

use kfq_domain::{BlockerFactor, Category, Rag, Stage};

use crate::{Period, ProjectAsOf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Trace {
    All,
    Stage(Stage),
    Category(Category),
    Zone(i64),
    /// 0: projects without a department.
    Department(i64),
    /// 0: projects without a liaison leader.
    Liaison(i64),
    /// First reached 开工 in the month.
    NewStarts,
    /// First reached 投产 in the month.
    NewProduction,
    SignedInYear,
    StartedInYear,
    ProducingInYear,
    /// 当年签约、当年开工、当年投产.
    FastPath,
    Rag(Rag),
    /// With a blocker of this factor open and past its deadline.
    Overdue(BlockerFactor),
    /// With any blocker open and past its deadline.
    AnyOverdue,
    /// Cancelled or suspended: left out of the totals, rates and rankings.
    LeftOut,
}

impl Trace {
    /// The code used in links: "stage:started", "zone:12", "new_starts".
    pub fn code(self) -> String {
        match self {
            Trace::All => "all".into(),
            Trace::Stage(s) => format!("stage:{}", s.code()),
            Trace::Category(c) => format!("category:{}", c.code()),
            Trace::Zone(id) => format!("zone:{id}"),
            Trace::Department(id) => format!("department:{id}"),
            Trace::Liaison(id) => format!("liaison:{id}"),
            Trace::NewStarts => "new_starts".into(),
            Trace::NewProduction => "new_production".into(),
            Trace::SignedInYear => "signed_in_year".into(),
            Trace::StartedInYear => "started_in_year".into(),
            Trace::ProducingInYear => "producing_in_year".into(),
            Trace::FastPath => "fast_path".into(),
            Trace::Rag(r) => format!("rag:{}", r.code()),
            Trace::Overdue(f) => format!("overdue:{}", f.code()),
            Trace::AnyOverdue => "overdue".into(),
            Trace::LeftOut => "left_out".into(),
        }
    }

    pub fn parse(code: &str) -> Option<Trace> {
        let simple = match code {
            "all" | "" => Some(Trace::All),
            "new_starts" => Some(Trace::NewStarts),
            "new_production" => Some(Trace::NewProduction),
            "signed_in_year" => Some(Trace::SignedInYear),
            "started_in_year" => Some(Trace::StartedInYear),
            "producing_in_year" => Some(Trace::ProducingInYear),
            "fast_path" => Some(Trace::FastPath),
            "overdue" => Some(Trace::AnyOverdue),
            "left_out" => Some(Trace::LeftOut),
            _ => None,
        };
        if simple.is_some() {
            return simple;
        }
        let (kind, value) = code.split_once(':')?;
        let id = || value.parse::<i64>().ok().filter(|id| *id >= 0);
        match kind {
            "stage" => Stage::from_code(value).map(Trace::Stage),
            "category" => Category::from_code(value).map(Trace::Category),
            "zone" => id().map(Trace::Zone),
            "department" => id().map(Trace::Department),
            "liaison" => id().map(Trace::Liaison),
            "rag" => Rag::from_code(value).map(Trace::Rag),
            "overdue" => BlockerFactor::from_code(value).map(Trace::Overdue),
            _ => None,
        }
    }

    /// Whether the figure this trace names counts the project; `rag` is
    /// the project's status at the period's close.
    pub fn admits(self, p: &ProjectAsOf, period: Period, rag: Option<Rag>) -> bool {
        let day = period.last_day();
        let in_year = |stage| {
            p.reached_on(stage)
                .is_some_and(|d| d.year() == period.year())
        };
        match self {
            Trace::All => p.counted(),
            Trace::LeftOut => !p.counted(),
            Trace::Stage(s) => p.stage == s,
            Trace::Category(c) => p.counted() && p.category == c,
            Trace::Zone(id) => p.counted() && p.zone.id == id,
            Trace::Department(id) => p.counted() && p.department.as_ref().map_or(0, |u| u.id) == id,
            Trace::Liaison(id) => p.counted() && p.liaison.as_ref().map_or(0, |u| u.id) == id,
            Trace::NewStarts => p.reached_in(Stage::Started, period),
            Trace::NewProduction => p.reached_in(Stage::Producing, period),
            Trace::SignedInYear => in_year(Stage::Signed) && p.stands_at(Stage::Signed),
            Trace::StartedInYear => in_year(Stage::Started) && p.stands_at(Stage::Started),
            Trace::ProducingInYear => in_year(Stage::Producing) && p.stands_at(Stage::Producing),
            Trace::FastPath => p.fast_path(period.year()),
            Trace::Rag(r) => p.counted() && rag == Some(r),
            Trace::Overdue(f) => p
                .blockers
                .iter()
                .any(|b| b.factor == f && b.overdue_on(day)),
            Trace::AnyOverdue => p.blockers.iter().any(|b| b.overdue_on(day)),
        }
    }
}

use chrono::Datelike;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        let all = [
            Trace::All,
            Trace::Stage(Stage::PreConstruction),
            Trace::Category(Category::Social),
            Trace::Zone(12),
            Trace::Department(0),
            Trace::Liaison(7),
            Trace::NewStarts,
            Trace::NewProduction,
            Trace::SignedInYear,
            Trace::StartedInYear,
            Trace::ProducingInYear,
            Trace::FastPath,
            Trace::Rag(Rag::Red),
            Trace::Overdue(BlockerFactor::Eia),
            Trace::AnyOverdue,
            Trace::LeftOut,
        ];
        for t in all {
            assert_eq!(Trace::parse(&t.code()), Some(t), "{}", t.code());
        }
        for bad in ["stage:flying", "zone:-1", "zone:x", "nothing", "rag:blue"] {
            assert_eq!(Trace::parse(bad), None, "{bad}");
        }
    }
}
