//! Bulletin reader (see README of the crate).
