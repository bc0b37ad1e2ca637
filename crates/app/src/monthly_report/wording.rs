//! The words of a monthly report a person edits before issuing it (导语,
//! 下步工作, 主送, 抄送): proposed from the figures and the unit, taken as
//! typed within their limits, kept with the issue.

use kfq_domain::{FieldErrors, OrgKind};

use super::files::{gap_words, rate};
use super::Report;
use crate::i18n::Catalog;

/// The words of a report a person may edit before issuing it: the opening
/// paragraph (导语), the text of 四、下步工作 (a paragraph a line), the
/// addressees (主送) and the copies (抄送). The rest is the figures'.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Wording {
    /// None written when empty.
    pub lead: String,
    pub next_steps: String,
    pub addressee: String,
    /// No 抄送 line when empty.
    pub copy_to: String,
}

/// The longest each part may be, in characters: a page of text at most.
const LEAD_MAX: usize = 1000;
const NEXT_STEPS_MAX: usize = 5000;
const ADDRESSEE_MAX: usize = 200;
const COPY_TO_MAX: usize = 300;

impl Wording {
    /// What the report proposes: a 导语 for the unit and month, 下步工作
    /// drawn from the figures, the unit's departments (a zone) or the zones
    /// and departments below (a city or province) as 主送, the unit above as 抄送.
    pub fn proposed(r: &Report) -> Wording {
        let catalog = Catalog::zh();
        let f = &r.figures;
        let n = |count: usize| count.to_string();
        let behind = f
            .zones
            .iter()
            .chain(&f.departments)
            .filter(|l| l.totals.gap_tenths.is_some_and(|g| g < 0))
            .count();
        let next_steps = [
            catalog.format(
                "monthly_report.docx.next_pace",
                &[
                    ("whole", r.whole()),
                    ("completion", &rate(f.overall.completion_tenths)),
                    ("gap", &gap_words(catalog, f.overall.gap_tenths)),
                    ("behind", &n(behind)),
                ],
            ),
            catalog.format(
                "monthly_report.docx.next_blockers",
                &[("red", &n(f.rag.red)), ("overdue", &n(f.overdue_blockers))],
            ),
            catalog.t("monthly_report.docx.next_dispatch").to_owned(),
        ]
        .join("\n");
        let addressee = match r.org.kind() {
            OrgKind::Zone => "monthly_report.addressee.zone",
            _ => "monthly_report.addressee.above",
        };
        Wording {
            lead: catalog.format(
                "monthly_report.docx.lead",
                &[
                    ("year", &r.period.year().to_string()),
                    ("month", &r.period.month().to_string()),
                    ("whole", r.whole()),
                ],
            ),
            next_steps,
            addressee: catalog.t(addressee).to_owned(),
            copy_to: r.superior.clone().unwrap_or_default(),
        }
    }

    /// The words of the report as it stands: those kept with its issue
    /// (when issued at this cut-off, after the words were kept), else proposed.
    pub fn of(r: &Report) -> Wording {
        let proposed = Wording::proposed(r);
        let Some(issued) = r.issued.as_ref().filter(|i| i.as_of == r.as_of) else {
            return proposed;
        };
        let kept = |text: &Option<String>, proposed: String| text.clone().unwrap_or(proposed);
        Wording {
            lead: kept(&issued.lead, proposed.lead),
            next_steps: kept(&issued.next_steps, proposed.next_steps),
            addressee: kept(&issued.addressee, proposed.addressee),
            copy_to: kept(&issued.copy_to, proposed.copy_to),
        }
    }

    /// The words as typed over `proposed`, unchecked: a part not given
    /// keeps the proposal; one given is taken as typed (trimmed, line ends
    /// made `\n`).
    pub fn as_typed(
        proposed: Wording,
        lead: Option<&str>,
        next_steps: Option<&str>,
        addressee: Option<&str>,
        copy_to: Option<&str>,
    ) -> Wording {
        let take = |typed: Option<&str>, proposed: String| {
            typed.map_or(proposed, |t| {
                t.replace("\r\n", "\n")
                    .replace('\r', "\n")
                    .trim()
                    .to_owned()
            })
        };
        Wording {
            lead: take(lead, proposed.lead),
            next_steps: take(next_steps, proposed.next_steps),
            addressee: take(addressee, proposed.addressee),
            copy_to: take(copy_to, proposed.copy_to),
        }
    }

    /// The words as typed over `proposed` ([`Wording::as_typed`]), checked:
    /// 主送 and 下步工作 may not be blank; each part has its longest.
    pub fn typed(
        proposed: Wording,
        lead: Option<&str>,
        next_steps: Option<&str>,
        addressee: Option<&str>,
        copy_to: Option<&str>,
    ) -> std::result::Result<Wording, FieldErrors> {
        let wording = Wording::as_typed(proposed, lead, next_steps, addressee, copy_to);
        let mut errors = FieldErrors::new();
        for (field, text, max, key) in [
            (
                "lead",
                &wording.lead,
                LEAD_MAX,
                "error.monthly_report.lead_long",
            ),
            (
                "next_steps",
                &wording.next_steps,
                NEXT_STEPS_MAX,
                "error.monthly_report.next_steps_long",
            ),
            (
                "addressee",
                &wording.addressee,
                ADDRESSEE_MAX,
                "error.monthly_report.addressee_long",
            ),
            (
                "copy_to",
                &wording.copy_to,
                COPY_TO_MAX,
                "error.monthly_report.copy_to_long",
            ),
        ] {
            if text.chars().count() > max {
                errors.add(field, key);
            }
        }
        if wording.addressee.is_empty() {
            errors.add("addressee", "error.monthly_report.addressee_blank");
        }
        if wording.next_steps.is_empty() {
            errors.add("next_steps", "error.monthly_report.next_steps_blank");
        }
        errors.into_result().map(|()| wording)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proposed() -> Wording {
        Wording {
            lead: "导语".into(),
            next_steps: "（一）甲。\n（二）乙。".into(),
            addressee: "各部门".into(),
            copy_to: "市商务局".into(),
        }
    }

    #[test]
    fn words_not_given_keep_the_proposal_and_given_ones_are_taken_as_typed() {
        let typed = Wording::typed(proposed(), Some(""), Some(" 一段\r\n二段\r"), None, None);
        assert_eq!(
            typed,
            Ok(Wording {
                lead: String::new(),
                next_steps: "一段\n二段".into(),
                ..proposed()
            })
        );
        assert_eq!(
            Wording::typed(proposed(), None, None, None, None),
            Ok(proposed())
        );
    }

    #[test]
    fn blank_addressee_or_next_steps_and_overlong_words_are_refused() {
        let fields = |r: std::result::Result<Wording, FieldErrors>| -> Vec<(String, &str)> {
            r.unwrap_err()
                .0
                .into_iter()
                .map(|e| (e.field, e.key))
                .collect()
        };
        assert_eq!(
            fields(Wording::typed(
                proposed(),
                None,
                Some(" \n "),
                Some(""),
                None
            )),
            [
                (
                    "addressee".to_string(),
                    "error.monthly_report.addressee_blank"
                ),
                (
                    "next_steps".to_string(),
                    "error.monthly_report.next_steps_blank"
                ),
            ]
        );
        let long = "字".repeat(LEAD_MAX + 1);
        let copy = "字".repeat(COPY_TO_MAX + 1);
        assert_eq!(
            fields(Wording::typed(
                proposed(),
                Some(&long),
                None,
                None,
                Some(&copy)
            )),
            [
                ("lead".to_string(), "error.monthly_report.lead_long"),
                ("copy_to".to_string(), "error.monthly_report.copy_to_long"),
            ]
        );
        let just = "字".repeat(LEAD_MAX);
        assert!(Wording::typed(proposed(), Some(&just), None, None, None).is_ok());
    }
}
