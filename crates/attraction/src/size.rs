//! Size classes of a lead's investment as zones report them: 亿元以上 and
//! the 3–10亿, 10–20亿 and 20亿以上 classes, each class including its
//! lower bound.

use kfq_domain::{code_enum, Money};

code_enum! {
    SizeClass {
        Under1 = "under_1",
        From1To3 = "from_1_to_3",
        From3To10 = "from_3_to_10",
        From10To20 = "from_10_to_20",
        Over20 = "over_20",
    }
}

const YI: i64 = 100_000_000;

impl SizeClass {
    pub fn of(amount: Money) -> SizeClass {
        match amount.yuan() {
            y if y >= 20 * YI => SizeClass::Over20,
            y if y >= 10 * YI => SizeClass::From10To20,
            y if y >= 3 * YI => SizeClass::From3To10,
            y if y >= YI => SizeClass::From1To3,
            _ => SizeClass::Under1,
        }
    }

    /// 亿元以上项目: every class from one 亿 up.
    pub fn is_over_one_yi(self) -> bool {
        self != SizeClass::Under1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_belong_to_the_class_above() {
        let yi = |n: i64| Money::from_yuan(n * YI);
        assert_eq!(SizeClass::of(Money::from_yuan(YI - 1)), SizeClass::Under1);
        assert_eq!(SizeClass::of(yi(1)), SizeClass::From1To3);
        assert_eq!(SizeClass::of(yi(3)), SizeClass::From3To10);
        assert_eq!(
            SizeClass::of(Money::from_yuan(10 * YI - 1)),
            SizeClass::From3To10
        );
        assert_eq!(SizeClass::of(yi(10)), SizeClass::From10To20);
        assert_eq!(SizeClass::of(yi(20)), SizeClass::Over20);
        assert_eq!(SizeClass::of(yi(150)), SizeClass::Over20);
        assert!(!SizeClass::Under1.is_over_one_yi() && SizeClass::From1To3.is_over_one_yi());
    }
}
