//! Gold annotations and the scorer: precision and recall per fact kind. A read
//! fact matches a gold fact when kind, normalised value, unit and subject (the
//! project if there is one, else the enterprise, else the zone) are all equal.
//! Owns the gold file format; reads no files itself (callers pass the JSON).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::model::{Fact, FactKind, Modality, Qualifier, Stage, Unit, Value};
use crate::numbers::Decimal;
use crate::zones::canonical_name;

/// One gold file: the facts a careful reader finds in one bulletin.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GoldFile {
    /// File name of the bulletin the facts are read from.
    pub seed: String,
    pub facts: Vec<GoldFact>,
}

/// A fact as annotated by hand.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GoldFact {
    pub kind: FactKind,
    /// Normalised amount (money in whole 元); absent for a stage.
    #[serde(default)]
    pub amount: Option<Decimal>,
    #[serde(default)]
    pub stage: Option<Stage>,
    pub unit: Unit,
    #[serde(default)]
    pub qualifier: Option<Qualifier>,
    #[serde(default)]
    pub project: Option<String>,
    #[serde(default)]
    pub investor: Option<String>,
    #[serde(default)]
    pub zone: Option<String>,
    #[serde(default)]
    pub modality: Option<Modality>,
    /// The words of the bulletin the fact is read from.
    pub text: String,
}

/// What must agree for a fact to count.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    pub kind: FactKind,
    pub value: String,
    pub unit: Unit,
    pub subject: String,
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn subject(project: Option<&str>, investor: Option<&str>, zone: Option<&str>) -> String {
    match (project, investor, zone) {
        (Some(p), _, _) => format!("project:{}", squeeze(p)),
        (None, Some(i), _) => format!("enterprise:{}", squeeze(i)),
        (None, None, Some(z)) => format!("zone:{}", canonical_name(z)),
        _ => "none".to_string(),
    }
}

impl Key {
    pub fn of_fact(f: &Fact) -> Key {
        let (value, unit) = match &f.value {
            Value::Quantity(q) => (q.amount.to_string(), q.unit),
            Value::Stage { stage } => (format!("{stage:?}"), Unit::Stage),
        };
        Key {
            kind: f.kind,
            value,
            unit,
            subject: subject(
                f.project.as_deref(),
                f.investor.as_deref(),
                f.zone.as_deref(),
            ),
        }
    }

    pub fn of_gold(g: &GoldFact) -> Key {
        let value = match (g.amount, g.stage) {
            (Some(a), _) => a.to_string(),
            (None, Some(s)) => format!("{s:?}"),
            (None, None) => String::new(),
        };
        Key {
            kind: g.kind,
            value,
            unit: g.unit,
            subject: subject(
                g.project.as_deref(),
                g.investor.as_deref(),
                g.zone.as_deref(),
            ),
        }
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} {:?} @ {}",
            self.kind.name(),
            self.value,
            self.unit,
            self.subject
        )
    }
}

/// Counts for one kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub true_positive: usize,
    pub false_positive: usize,
    pub false_negative: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        let read = self.true_positive + self.false_positive;
        if read == 0 {
            1.0
        } else {
            self.true_positive as f64 / read as f64
        }
    }

    pub fn recall(&self) -> f64 {
        let gold = self.true_positive + self.false_negative;
        if gold == 0 {
            1.0
        } else {
            self.true_positive as f64 / gold as f64
        }
    }

    fn add(&mut self, other: Counts) {
        self.true_positive += other.true_positive;
        self.false_positive += other.false_positive;
        self.false_negative += other.false_negative;
    }
}

/// The outcome of comparing read facts with gold facts.
#[derive(Clone, Debug, Default)]
pub struct Score {
    pub per_kind: BTreeMap<FactKind, Counts>,
    pub missed: Vec<Key>,
    pub spurious: Vec<Key>,
    pub attachment: Attachment,
}

/// Zone attachment: of the gold facts that name a zone and whose figure was
/// read at all (same kind, value and unit, whatever the subject), how many
/// were read with that zone. A reader that finds every figure but gives it to
/// the neighbouring article's zone scores high recall of figures and low here.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Attachment {
    pub right: usize,
    pub found: usize,
}

impl Attachment {
    pub fn rate(&self) -> f64 {
        if self.found == 0 {
            1.0
        } else {
            self.right as f64 / self.found as f64
        }
    }
}

/// Pairs gold facts that name a zone with read facts of the same figure,
/// same-zone pairs first, and counts how many pairs agree on the zone.
pub fn attachment(gold: &[GoldFact], read: &[Fact]) -> Attachment {
    let figure = |k: &Key| (k.kind, k.value.clone(), k.unit);
    let zone_of = |z: Option<&str>| z.map(canonical_name);
    let mut read: Vec<Option<(Key, Option<String>)>> = read
        .iter()
        .map(|f| Some((Key::of_fact(f), zone_of(f.zone.as_deref()))))
        .collect();
    let gold: Vec<(Key, String)> = gold
        .iter()
        .filter_map(|g| Some((Key::of_gold(g), canonical_name(g.zone.as_deref()?))))
        .collect();
    let mut out = Attachment::default();
    let mut unpaired = Vec::new();
    for (key, zone) in &gold {
        let same = read.iter().position(|r| {
            r.as_ref()
                .is_some_and(|(k, z)| figure(k) == figure(key) && z.as_ref() == Some(zone))
        });
        match same {
            Some(i) => {
                read[i] = None;
                out.right += 1;
                out.found += 1;
            }
            None => unpaired.push(key),
        }
    }
    for key in unpaired {
        let other = read
            .iter()
            .position(|r| r.as_ref().is_some_and(|(k, _)| figure(k) == figure(key)));
        if let Some(i) = other {
            read[i] = None;
            out.found += 1;
        }
    }
    out
}

impl Score {
    pub fn overall(&self) -> Counts {
        let mut total = Counts::default();
        for c in self.per_kind.values() {
            total.add(*c);
        }
        total
    }

    pub fn merge(&mut self, other: Score) {
        for (k, c) in other.per_kind {
            self.per_kind.entry(k).or_default().add(c);
        }
        self.missed.extend(other.missed);
        self.spurious.extend(other.spurious);
        self.attachment.right += other.attachment.right;
        self.attachment.found += other.attachment.found;
    }

    /// A plain-text table: kind, gold, read, matched, precision, recall.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{:<22} {:>5} {:>5} {:>5} {:>9} {:>7}",
            "kind", "gold", "read", "match", "precision", "recall"
        );
        let row = |out: &mut String, name: &str, c: &Counts| {
            let _ = writeln!(
                out,
                "{:<22} {:>5} {:>5} {:>5} {:>9.3} {:>7.3}",
                name,
                c.true_positive + c.false_negative,
                c.true_positive + c.false_positive,
                c.true_positive,
                c.precision(),
                c.recall()
            );
        };
        for (k, c) in &self.per_kind {
            row(&mut out, k.name(), c);
        }
        row(&mut out, "overall", &self.overall());
        let _ = writeln!(
            out,
            "zone attachment {}/{} = {:.3}",
            self.attachment.right,
            self.attachment.found,
            self.attachment.rate()
        );
        out
    }
}

/// Compares read facts with gold facts as multisets of [`Key`]s.
pub fn score(gold: &[GoldFact], read: &[Fact]) -> Score {
    let mut remaining: Vec<Key> = gold.iter().map(Key::of_gold).collect();
    let mut result = Score {
        attachment: attachment(gold, read),
        ..Score::default()
    };
    for f in read {
        let key = Key::of_fact(f);
        let counts = result.per_kind.entry(key.kind).or_default();
        match remaining.iter().position(|g| *g == key) {
            Some(i) => {
                remaining.swap_remove(i);
                counts.true_positive += 1;
            }
            None => {
                counts.false_positive += 1;
                result.spurious.push(key);
            }
        }
    }
    for key in remaining {
        result.per_kind.entry(key.kind).or_default().false_negative += 1;
        result.missed.push(key);
    }
    result
}

/// Reads a bulletin and scores it against its gold file's JSON.
pub fn score_bulletin(text: &str, gold_json: &str) -> Result<Score, serde_json::Error> {
    let gold = parse_gold(gold_json)?;
    Ok(score(&gold.facts, &crate::read(text).facts))
}

/// Parses a gold file's JSON.
pub fn parse_gold(json: &str) -> Result<GoldFile, serde_json::Error> {
    serde_json::from_str(json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_needs_kind_value_unit_and_subject() {
        let gold: GoldFile = parse_gold(
            r#"{"seed":"x","facts":[
                {"kind":"total_investment","amount":"1860000000","unit":"yuan","zone":"运城经开区","text":"总投资18.6亿元"},
                {"kind":"jobs","amount":"500","unit":"person","qualifier":"over","project":"某项目","text":"就业500余人"}
            ]}"#,
        )
        .unwrap();
        let reading = crate::read(
            "## 运城经济技术开发区集中开工\n\n本刊讯 此次开工的12个项目总投资18.6亿元。（张三）",
        );
        let s = score(&gold.facts, &reading.facts);
        let total = s.per_kind[&FactKind::TotalInvestment];
        assert_eq!(total.true_positive, 1);
        assert_eq!(s.per_kind[&FactKind::Jobs].false_negative, 1);
        assert_eq!(s.per_kind[&FactKind::ProjectCount].false_positive, 1);
    }
}
