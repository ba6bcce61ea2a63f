//! The CSV/TSV loader on any bytes: a table or an input error naming the file, never a panic;
//! a table holds only rows with text (and a label when labels are required), in line order.
#![no_main]

use libfuzzer_sys::fuzz_target;
use postura::data::table::parse_table;
use postura::data::{Columns, LabelMap, LoadOptions};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    // First byte: loader options; the rest: the file.
    let Some((&flags, bytes)) = data.split_first() else {
        return;
    };
    let name = if flags & 1 != 0 { "f.tsv" } else { "f.csv" };
    let opts = LoadOptions {
        delimiter: if flags & 2 != 0 { Some(b';') } else { None },
        columns: Columns {
            group: (flags & 4 != 0).then(|| "group".to_string()),
            ..Columns::default()
        },
        actor_required: flags & 8 != 0,
        constant_actor: (flags & 16 != 0).then(|| "Marta Ruiz".to_string()),
        label_required: flags & 32 != 0,
        label_map: if flags & 64 != 0 {
            LabelMap::parse("a=supportive,b=neutral,c=distancing").unwrap()
        } else {
            LabelMap::default()
        },
        lossy: flags & 128 != 0,
    };
    match parse_table(Path::new(name), bytes, &opts) {
        Ok(table) => {
            assert!(!table.records.is_empty());
            assert!(table.records.windows(2).all(|w| w[0].line < w[1].line));
            for r in &table.records {
                assert!(!r.text.trim().is_empty());
                if opts.label_required {
                    assert!(r.label.as_deref().is_some_and(|l| !l.is_empty()));
                } else {
                    assert!(r.label.is_none(), "labels that are not required are not read");
                }
            }
            let _ = table.warning_summary();
        }
        Err(e) => {
            assert!(e.to_string().starts_with(name));
            assert_eq!(e.exit_code(), 2);
        }
    }
});
