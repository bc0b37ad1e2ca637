//! `read` on arbitrary UTF-8 must not panic, and its spans must lie inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let reading = kfq_extract::read(text);
    let chars = text.chars().count();
    for fact in &reading.facts {
        assert!(fact.span.start <= fact.span.end && fact.span.end <= chars);
    }
    for article in &reading.articles {
        assert!(article.span.start <= article.span.end && article.span.end <= chars);
    }
});
