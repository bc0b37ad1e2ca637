//! What a column's repeated texts read as, kept: a ledger writes the same few
//! categories, natures, stages, yes/no marks and dates row after row.

use std::collections::HashMap;

use kfq_domain::{Category, Nature, Stage};

use crate::value::{Cell, LedgerDate, Outcome};

/// Texts kept per kind of value, and the longest kept: enough for the
/// words and dates a column repeats, little memory whatever the sheet.
const MEMO_TEXTS: usize = 256;
const MEMO_TEXT_BYTES: usize = 64;

/// The outcome of reading each text met so far (up to [`MEMO_TEXTS`]) with
/// one pure reading: the same text reads the same every time.
pub(super) struct Memo<T> {
    answers: HashMap<String, Outcome<T>, foldhash::fast::RandomState>,
}

impl<T: Clone> Memo<T> {
    fn new() -> Memo<T> {
        Memo {
            answers: HashMap::default(),
        }
    }

    /// `read(cell)`, from what is kept when the cell is a text read before.
    pub(super) fn read(
        &mut self,
        cell: &Cell,
        read: impl FnOnce(&Cell) -> Outcome<T>,
    ) -> Outcome<T> {
        let Cell::Text(text) = cell else {
            return read(cell);
        };
        if let Some(answer) = self.answers.get(text.as_str()) {
            return answer.clone();
        }
        let answer = read(cell);
        if self.answers.len() < MEMO_TEXTS && text.len() <= MEMO_TEXT_BYTES {
            self.answers.insert(text.clone(), answer.clone());
        }
        answer
    }
}

/// One memo per kind of value whose reading depends on the text alone (and
/// on the sheet's year, the same for all its rows).
pub(super) struct Memos {
    pub category: Memo<Category>,
    pub nature: Memo<Nature>,
    pub stage: Memo<Stage>,
    pub flag: Memo<bool>,
    pub date: Memo<LedgerDate>,
}

impl Memos {
    pub(super) fn new() -> Memos {
        Memos {
            category: Memo::new(),
            nature: Memo::new(),
            stage: Memo::new(),
            flag: Memo::new(),
            date: Memo::new(),
        }
    }
}
