//! 导入简报: reading a zone's bulletin (简报) for its articles, projects and
//! figures. The reader is pure CPU over the whole text, so it runs off the
//! async workers.

use kfq_extract::Reading;

use crate::error::Result;
use crate::off_the_workers;

/// The facts of a bulletin's text, with their spans.
pub async fn read(text: &str) -> Result<Reading> {
    let text = text.to_owned();
    off_the_workers(move || kfq_extract::read(&text)).await
}
