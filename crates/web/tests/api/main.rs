//! Integration tests: the real application on a random port with a fresh
//! database (SQLite, and PostgreSQL when `KFQ_TEST_PG` is set), driven over
//! HTTP as a user would.

mod account;
mod activities;
mod alerts;
mod assessments;
mod attraction;
mod attraction_import;
mod attraction_reports;
mod auth;
mod browser;
mod bulletins;
mod campaigns;
mod chains;
mod concurrency;
mod dispatch;
mod enterprises;
mod failover;
mod formation;
mod helpers;
mod history;
mod indicators;
mod inputs;
mod ledger_import;
mod login_next;
mod monthly;
mod monthly_reports;
mod openapi;
mod orgs;
mod passwords;
mod projects;
mod replicas;
mod scoping;
mod system;
mod users;
mod webhooks;
