//! The official holiday arrangements (部分节假日安排) as published each year by the
//! General Office of the State Council. This module owns only the raw table; the
//! meaning of a day is decided in `calendar`.
//!
//! Each year lists its festivals in the order and under the names the notice uses:
//! the day-off block (放假调休, inclusive) and the weekend days worked to make up
//! for it (上班). Dates are checked at compile time: an impossible date in the
//! table stops the build instead of being skipped at run time.

use chrono::NaiveDate;

/// One festival of one year's notice.
pub(crate) struct Festival {
    /// The festival's name as the notice writes it (a combined block keeps the
    /// notice's own wording, e.g. "中秋节、国庆节").
    pub name: &'static str,
    /// First and last day off, inclusive.
    pub off: (NaiveDate, NaiveDate),
    /// Weekend days worked for this festival.
    pub makeup: &'static [NaiveDate],
}

/// One year's notice.
pub(crate) struct Year {
    pub year: i32,
    /// Title, document number where known, and date of the notice.
    pub notice: &'static str,
    pub festivals: &'static [Festival],
}

const fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, day) {
        Some(date) => date,
        None => panic!("impossible date in the holiday table"),
    }
}

const fn f(
    name: &'static str,
    first: NaiveDate,
    last: NaiveDate,
    makeup: &'static [NaiveDate],
) -> Festival {
    Festival {
        name,
        off: (first, last),
        makeup,
    }
}

pub(crate) const CHINA: &[Year] = &[
    // 国务院办公厅关于2023年部分节假日安排的通知（国办发明电〔2022〕16号，2022年12月8日）.
    // The 元旦 block starts on 2022-12-31, which is therefore listed too.
    Year {
        year: 2023,
        notice:
            "国务院办公厅关于2023年部分节假日安排的通知（国办发明电〔2022〕16号，2022年12月8日）",
        festivals: &[
            f("元旦", d(2022, 12, 31), d(2023, 1, 2), &[]),
            f(
                "春节",
                d(2023, 1, 21),
                d(2023, 1, 27),
                &[d(2023, 1, 28), d(2023, 1, 29)],
            ),
            f("清明节", d(2023, 4, 5), d(2023, 4, 5), &[]),
            f(
                "劳动节",
                d(2023, 4, 29),
                d(2023, 5, 3),
                &[d(2023, 4, 23), d(2023, 5, 6)],
            ),
            f("端午节", d(2023, 6, 22), d(2023, 6, 24), &[d(2023, 6, 25)]),
            f(
                "中秋节、国庆节",
                d(2023, 9, 29),
                d(2023, 10, 6),
                &[d(2023, 10, 7), d(2023, 10, 8)],
            ),
        ],
    },
    // 国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号，2023年10月25日）.
    // The notice only "encourages" a day off on 除夕 (2024-02-09): it stays a working day.
    Year {
        year: 2024,
        notice:
            "国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号，2023年10月25日）",
        festivals: &[
            f("元旦", d(2024, 1, 1), d(2024, 1, 1), &[]),
            f(
                "春节",
                d(2024, 2, 10),
                d(2024, 2, 17),
                &[d(2024, 2, 4), d(2024, 2, 18)],
            ),
            f("清明节", d(2024, 4, 4), d(2024, 4, 6), &[d(2024, 4, 7)]),
            f(
                "劳动节",
                d(2024, 5, 1),
                d(2024, 5, 5),
                &[d(2024, 4, 28), d(2024, 5, 11)],
            ),
            f("端午节", d(2024, 6, 10), d(2024, 6, 10), &[]),
            f("中秋节", d(2024, 9, 15), d(2024, 9, 17), &[d(2024, 9, 14)]),
            f(
                "国庆节",
                d(2024, 10, 1),
                d(2024, 10, 7),
                &[d(2024, 9, 29), d(2024, 10, 12)],
            ),
        ],
    },
    // 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024年11月12日）,
    // the first under the revised 《全国年节及纪念日放假办法》 (春节 and 劳动节 one day longer).
    Year {
        year: 2025,
        notice:
            "国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024年11月12日）",
        festivals: &[
            f("元旦", d(2025, 1, 1), d(2025, 1, 1), &[]),
            f(
                "春节",
                d(2025, 1, 28),
                d(2025, 2, 4),
                &[d(2025, 1, 26), d(2025, 2, 8)],
            ),
            f("清明节", d(2025, 4, 4), d(2025, 4, 6), &[]),
            f("劳动节", d(2025, 5, 1), d(2025, 5, 5), &[d(2025, 4, 27)]),
            f("端午节", d(2025, 5, 31), d(2025, 6, 2), &[]),
            f(
                "国庆节、中秋节",
                d(2025, 10, 1),
                d(2025, 10, 8),
                &[d(2025, 9, 28), d(2025, 10, 11)],
            ),
        ],
    },
    // 国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日, as released by Xinhua;
    // the document number was not in the copies consulted）.
    Year {
        year: 2026,
        notice: "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）",
        festivals: &[
            f("元旦", d(2026, 1, 1), d(2026, 1, 3), &[d(2026, 1, 4)]),
            f(
                "春节",
                d(2026, 2, 15),
                d(2026, 2, 23),
                &[d(2026, 2, 14), d(2026, 2, 28)],
            ),
            f("清明节", d(2026, 4, 4), d(2026, 4, 6), &[]),
            f("劳动节", d(2026, 5, 1), d(2026, 5, 5), &[d(2026, 5, 9)]),
            f("端午节", d(2026, 6, 19), d(2026, 6, 21), &[]),
            f("中秋节", d(2026, 9, 25), d(2026, 9, 27), &[]),
            f(
                "国庆节",
                d(2026, 10, 1),
                d(2026, 10, 7),
                &[d(2026, 9, 20), d(2026, 10, 10)],
            ),
        ],
    },
];
