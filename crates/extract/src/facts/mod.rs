//! Facts from the cleaned text of one article: which figure is a total
//! investment, a land area, a project count…, which project, enterprise or zone
//! it belongs to, and which projects have reached a stage. Owns the trigger
//! words of the genre (总投资, 年产值, 利税, 就业, 占地, 建筑面积, 年产, 同比增长,
//! 签约, 开工, 投产 …) and the rules that attach a figure to its subject.
//!
//! `triggers` says what a figure means, `subjects` whom it is about, `stages`
//! which projects reached a stage; this module assembles facts and drops repeats.

mod stages;
mod subjects;
mod triggers;

use stages::Staged;
use subjects::{build_subjects, subject_of, Event, Subject};
use triggers::{classify, indicator_label, modality, Reading};

use crate::entities;
use crate::measures;
use crate::model::{Fact, FactKind, FactKind as K, Modality, Quantity, Stage, Unit, Value};
use crate::text::Clean;
use crate::zones::ZoneMention;

/// What the reader knows about the article a text belongs to.
pub(crate) struct Scope<'a> {
    pub input: &'a [char],
    pub article: usize,
    /// The zone the article's headline names, canonical.
    pub zone: Option<&'a str>,
    /// Zone mentions in this text with their canonical names, in text order.
    pub zones: &'a [(ZoneMention, String)],
    /// "全市开发区"-like phrases in this text, in text order.
    pub all_zones: &'a [(usize, usize)],
}

/// All facts of one cleaned text (an article body, or its titles).
pub(crate) fn extract(clean: &Clean, scope: &Scope<'_>) -> Vec<Fact> {
    let chars = &clean.chars;
    let zone_mentions: Vec<ZoneMention> = scope.zones.iter().map(|(z, _)| z.clone()).collect();
    let mentions = entities::projects(chars, &zone_mentions);
    let companies = entities::companies(chars);
    let mut subjects = build_subjects(chars, &mentions, &companies, scope);
    let measures = measures::scan(chars);

    // Batches are subjects too: "园区现有企业4家，总投资27.3亿元" is about the zone.
    let readings: Vec<Option<Reading>> = measures.iter().map(|m| classify(chars, m)).collect();
    for (m, r) in measures.iter().zip(&readings) {
        if let Some(r) = r {
            if matches!(r.kind, K::ProjectCount | K::EnterpriseCount) {
                subjects.events.push(Event {
                    start: m.start,
                    end: m.end,
                    subject: Subject::Batch,
                });
            }
        }
    }
    subjects.events.sort_by_key(|e| (e.start, e.end));

    let mut facts = Vec::new();
    for (m, r) in measures.iter().zip(readings) {
        let Some(r) = r else { continue };
        let project_level = !r.kind.is_zone_level();
        let (subject, attach) = subject_of(chars, m, project_level, &subjects, &mentions);
        let mut fact = base_fact(scope, r.kind, m.start);
        match (&subject, project_level) {
            (Some(Subject::Project(idx)), true) => {
                let p = &subjects.projects[*idx];
                fact.project = Some(p.name.clone());
                fact.investor = p.investor.clone();
            }
            (Some(Subject::Company(name)), true) => {
                // An enterprise's own tally of enterprises is not the zone's.
                fact.investor = Some(name.clone());
            }
            (Some(Subject::Company(_)), false) if r.kind == K::EnterpriseCount => continue,
            (Some(Subject::Zone(z)), _) => fact.zone = Some(z.clone()),
            _ => {}
        }
        let trigger: String = chars[r.evidence_start..m.start.max(r.evidence_start)]
            .iter()
            .collect();
        let mut amount = m.value;
        if r.negate {
            amount = -amount;
        }
        let unit = r.unit.or(m.unit).unwrap_or(Unit::Yuan);
        let span = clean.span(r.evidence_start.min(m.start), m.end);
        let figure = clean.span(m.start, m.end);
        fact.value = Value::Quantity(Quantity {
            amount,
            unit,
            qualifier: m.qualifier,
            as_written: crate::text::text_of(scope.input, figure),
        });
        fact.label = r
            .label
            .or_else(|| indicator_label(r.kind, &trigger, chars, m));
        fact.modality = modality(chars, m, &trigger);
        fact.span = span;
        fact.confidence = (r.confidence * attach).clamp(0.0, 1.0);
        facts.push(fact);
    }

    for found in stages::stage_facts(chars, &mentions, &subjects, &zone_mentions) {
        let mut fact = base_fact(scope, K::Stage, found.start);
        match found.who {
            Staged::Named(name) => fact.project = Some(name),
            Staged::Project(idx) => {
                let p = &subjects.projects[idx];
                fact.project = Some(p.name.clone());
                fact.investor = p.investor.clone();
            }
        }
        fact.value = Value::Stage { stage: found.stage };
        fact.span = clean.span(found.start, found.end);
        fact.confidence = found.confidence;
        facts.push(fact);
    }
    facts
}

/// The zone a figure at `at` is about when the text names none for it: none
/// after "全市开发区" (a round-up), else the headline's zone, else the zone
/// named last before it.
fn zone_at(scope: &Scope<'_>, at: usize) -> Option<String> {
    let before = &scope.zones[..scope.zones.partition_point(|(z, _)| z.end <= at)];
    let named = before.last();
    // 来到大同经济技术开发区、阳高经济开发区，观摩了12个项目: zones named in a
    // list share what follows; it is none of them alone.
    if let [.., (a, _), (b, _)] = before {
        if scope.zone.is_none() && b.start >= a.end && b.start - a.end <= 1 {
            return None;
        }
    }
    let all = scope.all_zones[..scope.all_zones.partition_point(|r| r.1 <= at)].last();
    // "全市开发区…" since the last zone named: many zones, none in particular.
    if let Some(&(_, all_end)) = all {
        if named.is_none_or(|(z, _)| all_end > z.end) {
            return None;
        }
    }
    scope
        .zone
        .map(str::to_string)
        .or_else(|| named.map(|(_, name)| name.clone()))
}

fn base_fact(scope: &Scope<'_>, kind: FactKind, at: usize) -> Fact {
    Fact {
        kind,
        value: Value::Stage {
            stage: Stage::Signed,
        },
        project: None,
        investor: None,
        zone: zone_at(scope, at),
        label: None,
        modality: Modality::Reported,
        span: crate::model::Span::new(0, 0),
        article: Some(scope.article),
        confidence: 0.0,
    }
}

/// Drops repeated facts of one article: the same kind, value, unit and subject
/// counts once (titles often repeat the body).
pub(crate) fn dedupe(facts: &mut Vec<Fact>) {
    use std::collections::{HashMap, HashSet};
    let mut seen: HashSet<(FactKind, String, Option<String>)> = HashSet::new();
    // Subject → index of its stage fact: one stage per project, the furthest.
    let mut stages: HashMap<String, usize> = HashMap::new();
    let mut keep = vec![true; facts.len()];
    for (i, f) in facts.iter().enumerate() {
        let subject = f
            .project
            .clone()
            .or_else(|| f.investor.clone())
            .or_else(|| f.zone.clone());
        match &f.value {
            Value::Stage { stage } => {
                let key = subject.unwrap_or_default();
                match stages.get(&key).copied() {
                    Some(j) if matches!(facts[j].value, Value::Stage { stage: other } if *stage > other) =>
                    {
                        keep[j] = false;
                        stages.insert(key, i);
                    }
                    Some(_) => keep[i] = false,
                    None => {
                        stages.insert(key, i);
                    }
                }
            }
            Value::Quantity(q) => {
                let value = format!("{}{:?}", q.amount, q.unit);
                keep[i] = seen.insert((f.kind, value, subject));
            }
        }
    }
    let mut k = keep.into_iter();
    facts.retain(|_| k.next().unwrap_or(true));
}

/// Drops title facts whose value and unit the body already states: a headline
/// restates the body's figure, sometimes in other words ("签约15亿元光伏项目"
/// over "项目总投资15亿元"), and the body's reading is the better one.
pub(crate) fn drop_repeated_title_facts(title: &mut Vec<Fact>, body: &[Fact]) {
    let stated: std::collections::HashSet<(Option<FactKind>, String)> = body
        .iter()
        .map(|b| (quantity_free(b), value_key(&b.value)))
        .collect();
    title.retain(|t| !stated.contains(&(quantity_free(t), value_key(&t.value))));
}

/// A stage is compared with its kind; a quantity by value and unit alone.
fn quantity_free(f: &Fact) -> Option<FactKind> {
    matches!(f.value, Value::Stage { .. }).then_some(f.kind)
}

fn value_key(v: &Value) -> String {
    match v {
        Value::Quantity(q) => format!("{}{:?}", q.amount, q.unit),
        Value::Stage { stage } => format!("{stage:?}"),
    }
}
