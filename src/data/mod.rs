//! Data in: labeled statements from CSV/TSV files (columns, label maps, file:line errors) and
//! articles for batch labeling.

pub mod articles;
pub mod date;
pub mod table;

pub use table::{Columns, LabelMap, LoadOptions, Record, Table, load_table};
