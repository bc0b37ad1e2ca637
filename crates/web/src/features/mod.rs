//! The features of the web edge, one folder each: its pages, its API twins and
//! its routes side by side (templates in `templates/<feature>/`). Each feature
//! registers its own routes here; the OpenAPI document lists their paths.

pub mod account;
pub mod assessments;
pub mod attraction;
pub mod bulletins;
pub mod campaigns;
pub mod dispatch;
pub mod enterprises;
pub mod home;
pub mod indicators;
pub mod ledger;
pub mod ledger_import;
pub mod monthly_reports;
pub mod notifications;
pub mod orgs;
pub mod users;

use crate::routes::Routes;

/// The routes of every feature.
pub fn routes() -> Routes {
    Routes::new()
        .merge(home::routes())
        .merge(orgs::routes())
        .merge(enterprises::routes())
        .merge(attraction::routes())
        .merge(bulletins::routes())
        .merge(campaigns::routes())
        .merge(assessments::routes())
        .merge(dispatch::routes())
        .merge(monthly_reports::routes())
        .merge(ledger_import::routes())
        .merge(indicators::routes())
        .merge(notifications::routes())
        .merge(ledger::routes())
        .merge(users::routes())
        .merge(account::routes())
}
