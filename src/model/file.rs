//! The model file: one self-describing, versioned, checksummed file, written atomically.
//!
//! Layout: `POSTURA\0` magic (8 bytes) · format version (u32 LE) · payload length (u64 LE) ·
//! SHA-256 of the payload (32 bytes) · payload (bincode of [`Model`]).

use super::Model;
use crate::error::{Error, Result};
use sha2::{Digest, Sha256};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

/// The first bytes of every model file.
pub const MAGIC: &[u8; 8] = b"POSTURA\0";
/// Bumped whenever the bytes or the meaning of the features change (3: negation scope adds
/// marked unigrams beside the plain n-grams instead of replacing them; symbols are graphemes, so
/// flags and modified emoji are one token; 4: target-identity features and pairs, character
/// n-grams of handles, the training loss; 7: quotes dropped, role features, known actors as
/// `_other_`, a source as `_source_`; 9: a concessive clause reads reversed, as a negation
/// scope does; 15: "dejar de" negates what follows, as a refusal verb does), so an older model is
/// refused with a clear message instead of being fed features it was not trained on.
pub const FORMAT_VERSION: u32 = 15;
const HEADER_LEN: usize = 8 + 4 + 8 + 32;

/// The model as file bytes.
pub fn to_bytes(model: &Model) -> Result<Vec<u8>> {
    let payload = bincode::serialize(model).map_err(|e| Error::Internal(format!("encoding the model: {e}")))?;
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&Sha256::digest(&payload));
    out.extend_from_slice(&payload);
    Ok(out)
}

/// Checks the header at the start of `bytes` (magic, format version) and returns the payload
/// length it declares.
fn read_header(path: &Path, bytes: &[u8]) -> Result<u64> {
    let bad = |msg: &str| Error::model(path, msg);
    if bytes.is_empty() {
        return Err(bad("the file is empty, not a postura model"));
    }
    if bytes.get(..MAGIC.len()) != Some(&MAGIC[..]) {
        return Err(bad("not a postura model file (wrong magic bytes)"));
    }
    let header = bytes
        .get(..HEADER_LEN)
        .ok_or_else(|| bad("truncated model file (incomplete header)"))?;
    let version = u32::from_le_bytes(header[8..12].try_into().map_err(|_| bad("bad header"))?);
    if version != FORMAT_VERSION {
        return Err(bad(&format!(
            "model format version {version}, but this postura reads version {FORMAT_VERSION}; retrain the model with this version"
        )));
    }
    Ok(u64::from_le_bytes(
        header[12..20].try_into().map_err(|_| bad("bad header"))?,
    ))
}

/// The payload length check: `held` bytes after the header against the `declared` length.
fn check_length(path: &Path, declared: u64, held: u64) -> Result<()> {
    if held < declared {
        return Err(Error::model(
            path,
            format!("truncated model file ({held} of {declared} payload bytes)"),
        ));
    }
    if held > declared {
        return Err(Error::model(
            path,
            "trailing bytes after the model payload (corrupted file?)",
        ));
    }
    Ok(())
}

/// Reads a model from file bytes; `path` only names the source in messages.
pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Model> {
    let bad = |msg: &str| Error::model(path, msg);
    let len = read_header(path, bytes)?;
    let payload = bytes.get(HEADER_LEN..).unwrap_or(&[]);
    check_length(path, len, payload.len() as u64)?;
    if bytes.get(20..HEADER_LEN) != Some(Sha256::digest(payload).as_slice()) {
        return Err(bad("checksum mismatch: the model file is corrupted"));
    }
    let mut model: Model = bincode::deserialize(payload).map_err(|e| bad(&format!("cannot decode the model: {e}")))?;
    model.featurizer.rebuild();
    let d = model.featurizer.vocab.len();
    let k = model.labels.len();
    if k < 2 || Some(model.weights.len()) != (d + 1).checked_mul(k) || !model.featurizer.vocab.is_consistent() {
        return Err(bad("inconsistent model tables (corrupted file?)"));
    }
    // A weight that is not a number would make every probability NaN, read as one label.
    if !model.weights.iter().all(|w| w.is_finite()) {
        return Err(bad("weights that are not finite numbers (corrupted file?)"));
    }
    // Settings that training would refuse could make featurization misbehave: refuse them here.
    let mut settings = model.card.params.clone();
    settings.text = model.featurizer.text.clone();
    settings.features = model.featurizer.features.clone();
    if let Err(e) = settings.check() {
        return Err(bad(&format!("invalid settings in the model ({e}); corrupted file?")));
    }
    Ok(model)
}

/// A file that cannot be read or written, with the kind of failure it is (callers such as the
/// Python package map the kind to an exception) and the command line's message.
fn io_error(path: &Path, kind: ErrorKind, msg: impl Into<String>) -> Error {
    Error::io(path, std::io::Error::new(kind, msg.into()))
}

/// Loads a model file. Only a regular file is read (a pipe could block forever and a device
/// never end), and only as far as its header when that says it is not a model, or not one of
/// the file's own length.
pub fn load(path: &Path) -> Result<Model> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.is_dir() {
        return Err(io_error(
            path,
            ErrorKind::IsADirectory,
            "is a directory, not a model file",
        ));
    }
    if !meta.is_file() {
        return Err(io_error(
            path,
            ErrorKind::Other,
            "is not a regular file (a device, pipe or socket), not a model file",
        ));
    }
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut bytes = Vec::with_capacity(HEADER_LEN);
    (&mut file)
        .take(HEADER_LEN as u64)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    // Not a model, another version, or a length that is not the file's: the header tells.
    let declared = read_header(path, &bytes)?;
    check_length(path, declared, meta.len().saturating_sub(HEADER_LEN as u64))?;
    file.read_to_end(&mut bytes).map_err(|e| Error::io(path, e))?;
    from_bytes(path, &bytes)
}

/// Saves a model atomically: a failed write leaves any previous file intact.
pub fn save(model: &Model, path: &Path) -> Result<()> {
    write_atomic(path, &to_bytes(model)?)
}

/// Where a write to `path` lands: `path` itself, or the file a symbolic link there points to
/// (followed, as `cp` and shells do, so that the link stays a link).
fn resolve_output(path: &Path) -> Result<PathBuf> {
    let mut at = path.to_path_buf();
    // A loop of links ends here instead of forever.
    for _ in 0..40 {
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = std::fs::read_link(&at).map_err(|e| Error::io(path, e))?;
                at = match at.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            _ => return Ok(at),
        }
    }
    Err(io_error(path, ErrorKind::Other, "too many levels of symbolic links"))
}

/// The directory a file at `path` goes in.
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Checks, before any work, that a file can be written at `path` without harm: its directory
/// exists and takes new files; whatever is there now is a regular file (not a directory, a
/// device such as `/dev/null` or a pipe, which a rename would replace) and is not read-only.
/// A symbolic link is followed. Returns the path the write will go to.
pub fn check_writable(path: &Path) -> Result<PathBuf> {
    let target = resolve_output(path)?;
    let dir = parent_dir(&target);
    if !dir.is_dir() {
        return Err(io_error(
            path,
            ErrorKind::NotFound,
            format!("the directory {} does not exist", dir.display()),
        ));
    }
    if let Ok(m) = std::fs::metadata(&target) {
        if m.is_dir() {
            return Err(io_error(path, ErrorKind::IsADirectory, "is a directory: name a file"));
        }
        if !m.is_file() {
            return Err(io_error(
                path,
                ErrorKind::Other,
                "is not a regular file (a device, pipe or socket): postura writes its models and \
                 outputs only as regular files, which it replaces whole",
            ));
        }
        if m.permissions().readonly() {
            return Err(io_error(
                path,
                ErrorKind::PermissionDenied,
                "is read-only: make it writable or write elsewhere; it is unchanged",
            ));
        }
    }
    // The directory must take a new file (the temporary one renamed over the path): try now,
    // so a read-only directory fails before the work and not after it.
    let probe = temp_path(&dir);
    match std::fs::OpenOptions::new().write(true).create_new(true).open(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
        }
        Err(e) => {
            return Err(Error::io(
                path,
                std::io::Error::new(
                    e.kind(),
                    format!(
                        "cannot write in {}: {e}; any previous file there is unchanged",
                        dir.display()
                    ),
                ),
            ));
        }
    }
    Ok(target)
}

/// Checks, before any work, that the output `path` can be written (see [`check_writable`]) and
/// is none of `inputs`: writing a model or a table over the file it is read from would lose it.
pub fn check_output(path: &Path, inputs: &[&Path]) -> Result<()> {
    let target = check_writable(path)?;
    for input in inputs {
        if same_file(&target, input) {
            return Err(Error::usage(format!(
                "the output {} is also an input ({}): writing it would destroy the input; name \
                 another file",
                path.display(),
                input.display()
            )));
        }
    }
    Ok(())
}

/// True when `a` and `b` are the same existing file (through links and different spellings).
fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        ma.dev() == mb.dev() && ma.ino() == mb.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (ma, mb);
        matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
    }
}

/// A temporary file's name in `dir`, short (a target name near the file-name limit still fits)
/// and unique within the process.
fn temp_path(dir: &Path) -> PathBuf {
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    dir.join(format!(".postura-{}-{n}.tmp", std::process::id()))
}

/// Writes `bytes` to a temporary file beside `path`, syncs it, and renames it over `path`, so a
/// failed write leaves any previous file there whole. Checks first as [`check_writable`] does
/// (a symbolic link is followed; a device, pipe or read-only file is refused), and the new file
/// keeps the permissions of the one it replaces.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let target = check_writable(path)?;
    let tmp = temp_path(&parent_dir(&target));
    let keep = std::fs::metadata(&target).ok().map(|m| m.permissions());
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(bytes)?;
        if let Some(perms) = keep {
            f.set_permissions(perms)?;
        }
        f.sync_all()?;
        std::fs::rename(&tmp, &target)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::io(
            path,
            std::io::Error::new(
                e.kind(),
                format!("cannot write: {e}; any previous file there is unchanged"),
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_that_are_not_numbers_are_refused_even_with_a_good_checksum() {
        let mut model = Model::default_model().expect("the default model loads");
        if let Some(w) = model.weights.get_mut(7) {
            *w = f32::NAN as _;
        }
        let bytes = to_bytes(&model).expect("encodes");
        let err = from_bytes(Path::new("forged.postura"), &bytes).expect_err("refused");
        assert!(err.to_string().contains("not finite"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_not_read_as_models() {
        // /dev/zero never ends: reading it whole would exhaust memory.
        let err = load(Path::new("/dev/zero")).expect_err("refused");
        assert!(err.to_string().contains("not a regular file"), "{err}");
    }

    #[test]
    fn a_header_that_declares_another_length_is_refused_before_the_payload_is_read() {
        let dir = tempfile::tempdir().expect("temp dir");
        let model = Model::default_model().expect("the default model loads");
        let mut bytes = to_bytes(&model).expect("encodes");
        bytes.truncate(HEADER_LEN + 10);
        let path = dir.path().join("short.postura");
        std::fs::write(&path, &bytes).expect("written");
        let err = load(&path).expect_err("refused");
        assert!(err.to_string().contains("truncated model file (10 of"), "{err}");
    }
}
