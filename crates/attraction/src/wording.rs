//! The words bulletins use around a 招商 figure: what tells a 省外 签约额
//! from the zone's whole, a count of signings from any count of projects.

/// The figure is of money or projects from outside the province (省外, 省域外).
pub fn says_out_of_province(text: &str) -> bool {
    text.contains("省外") || text.contains("域外")
}

/// The count is of signings (新签约项目3个, 签约项目12个).
pub fn says_signing(text: &str) -> bool {
    text.contains("签约")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_around_a_figure_say_what_it_counts() {
        assert!(says_out_of_province("其中省外签约额"));
        assert!(says_out_of_province("省域外签约项目"));
        assert!(!says_out_of_province("省内签约额"));
        assert!(says_signing("新签约项目"));
        assert!(!says_signing("新开工项目"));
    }
}
