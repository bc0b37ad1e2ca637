//! Settings the ledger runs on, as use cases: a zone's red/yellow/green
//! thresholds, industry chains and milestone template (its administration's),
//! and the working-day calendar (the system administrator's, for everyone).

use chrono::NaiveDate;
use kfq_domain::{FieldErrors, OrgKind, Principal, RagRules, UnitAdmin};
use kfq_store::{Actor, OrgUnit, Store, TemplateNode};

use crate::error::{Error, Result};

/// A zone whose ledger settings the caller may change, with the proof of it.
#[derive(Debug, Clone)]
pub struct SettingsTarget {
    zone: OrgUnit,
    proof: UnitAdmin,
}

impl SettingsTarget {
    /// Out of sight or not a zone: not found; in sight but not the caller's
    /// to administer: forbidden.
    pub async fn check(store: &Store, principal: &Principal, id: i64) -> Result<SettingsTarget> {
        let zone = visible_zone(store, principal, id).await?;
        let proof = principal
            .unit_admin(&zone.org_path())
            .ok_or(Error::Forbidden)?;
        Ok(SettingsTarget { zone, proof })
    }
}

/// A zone the caller sees (else not found).
pub async fn visible_zone(store: &Store, principal: &Principal, id: i64) -> Result<OrgUnit> {
    let unit = store.org(&principal.org_visibility(), id).await?;
    if unit.kind() != OrgKind::Zone {
        return Err(Error::NotFound);
    }
    Ok(unit)
}

/// What a settings form changes; a part left out stays as it is.
#[derive(Debug, Clone, Default)]
pub struct SettingsChange {
    pub rag: Option<RagRules>,
    pub industry_chain: Option<String>,
    pub milestone_template: Option<Vec<TemplateNode>>,
}

/// Saves every part given. All parts are checked before any is written, so
/// a refused part leaves the others as they were.
pub async fn update(
    store: &Store,
    actor: &Actor,
    target: &SettingsTarget,
    change: &SettingsChange,
) -> Result<()> {
    if let Some(rules) = &change.rag {
        let mut errors = FieldErrors::new();
        errors.check("milestone_days", rules.check());
        errors.into_result()?;
    }
    let scope = (target.zone.id, &target.zone.org_path());
    if let Some(rules) = &change.rag {
        store
            .set_rag_rules(actor, &target.proof, scope, rules)
            .await?;
    }
    if let Some(name) = &change.industry_chain {
        store
            .add_industry_chain(actor, &target.proof, scope, name)
            .await?;
    }
    if let Some(nodes) = &change.milestone_template {
        store
            .set_milestone_template(actor, &target.proof, scope, nodes)
            .await?;
    }
    Ok(())
}

/// Makes `date` a working day (`Some((true, note))`), a day off
/// (`Some((false, note))`), or what the official calendar says (`None`).
pub async fn set_calendar_day(
    store: &Store,
    principal: &Principal,
    actor: &Actor,
    date: NaiveDate,
    change: Option<(bool, &str)>,
) -> Result<()> {
    // The calendar is every zone's: the proof of administering everything.
    let proof = principal.system_admin().ok_or(Error::Forbidden)?;
    let date = date.to_string();
    Ok(store
        .set_calendar_override(actor, &proof, &principal.unit_path, &date, change)
        .await?)
}

/// A milestone template as typed, one node a line: "key 名称 工作日".
pub fn parse_template(text: &str) -> Result<Vec<TemplateNode>, &'static str> {
    let nodes: Vec<TemplateNode> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let parts: Vec<&str> = line.split_whitespace().collect();
            match parts.as_slice() {
                [key, name, days] if key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') => {
                    Some(TemplateNode {
                        key: (*key).to_owned(),
                        name: (*name).to_owned(),
                        working_days: days.parse().ok().filter(|d| *d <= 1000)?,
                    })
                }
                _ => None,
            }
        })
        .collect::<Option<_>>()
        .ok_or("error.template")?;
    let mut keys: Vec<&str> = nodes.iter().map(|n| n.key.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    if nodes.is_empty() || keys.len() != nodes.len() {
        return Err("error.template");
    }
    Ok(nodes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_read_line_by_line() {
        let nodes =
            parse_template("land 土地摘牌 0\nconstruction_permit 施工许可 25\n\nstart 开工 5")
                .unwrap();
        assert_eq!(nodes.len(), 3);
        assert_eq!(nodes[1].working_days, 25);
        assert_eq!(parse_template("land 土地摘牌"), Err("error.template"));
        assert_eq!(
            parse_template("land 土地 1\nland 摘牌 2"),
            Err("error.template")
        );
        assert_eq!(parse_template("土地 土地摘牌 1"), Err("error.template"));
        assert_eq!(parse_template(""), Err("error.template"));
    }
}
