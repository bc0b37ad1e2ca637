//! Bulletin reader: work in progress, not yet part of the build.
