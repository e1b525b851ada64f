//! The sources as they are at a git revision: `git ls-tree -r -z` lists the
//! blobs under the paths, `git cat-file --batch` reads them all in one
//! process. Names travel NUL-terminated and unquoted, so no file name (spaces,
//! quotes, newlines, non-ASCII, a leading dash) is lost or misread, and the
//! revision always follows `--end-of-options`, so it is never an option.
//! (`--end-of-options` needs git 2.24 or later.)

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use dpol::diag::{Code, Diagnostic};
use dpol::source::SourceMap;

/// One `.dpol` blob of the listing.
struct Entry {
    oid: String,
    /// The path as git prints it (relative to the current directory), raw bytes.
    path: Vec<u8>,
}

/// Reads the `*.dpol` files under `paths` as they are at git revision `rev`,
/// named `REV:PATH`. Paths missing at that revision are simply absent: the
/// program did not have them then. A `.dpol` symbolic link or a submodule
/// under the paths is an error, and so is a submodule whose checkout holds
/// `.dpol` files: their sources cannot be read at `rev`.
pub fn load_revision(
    rev: &str,
    paths: &[PathBuf],
) -> Result<(SourceMap, Vec<Diagnostic>), Diagnostic> {
    let failed = |what: &str, detail: String| unreadable(rev, what, detail);
    let mut args: Vec<std::ffi::OsString> = ["ls-tree", "-r", "-z", "--end-of-options", rev, "--"]
        .iter()
        .map(Into::into)
        .collect();
    args.extend(paths.iter().map(|p| p.as_os_str().to_owned()));
    let listing = Command::new("git")
        .args(&args)
        .output()
        .map_err(|e| failed("git did not run", e.to_string()))?;
    if !listing.status.success() {
        return Err(failed(
            "git ls-tree failed",
            String::from_utf8_lossy(&listing.stderr).trim().to_string(),
        ));
    }
    let limit = dpol::load::limit::max_file_bytes()?;
    let (mut entries, submodules) =
        dpol_blobs(&listing.stdout).map_err(|e| failed("git ls-tree", e))?;
    if let Some(module) = submodules.iter().find(|m| holds_sources(m)) {
        return Err(failed(
            "a submodule",
            format!(
                "`{}` holds .dpol files, which dpol cannot read inside a submodule at a revision; \
                 name the other source directories instead",
                String::from_utf8_lossy(module)
            ),
        ));
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    let contents = read_blobs(&entries).map_err(|e| failed("git cat-file", e))?;
    let mut sources = SourceMap::new();
    let mut diags = Vec::new();
    for (entry, bytes) in entries.iter().zip(contents) {
        let name = format!("{rev}:{}", String::from_utf8_lossy(&entry.path));
        if bytes.len() as u64 > limit {
            return Err(dpol::load::limit::too_large(
                &name,
                bytes.len() as u64,
                limit,
            ));
        }
        dpol::load::add_bytes(&mut sources, &mut diags, name, None, bytes);
    }
    Ok((sources, diags))
}

/// Whether the checkout of the submodule at `path` (relative to the current
/// directory) holds `.dpol` files.
fn holds_sources(path: &[u8]) -> bool {
    let path = PathBuf::from(String::from_utf8_lossy(path).into_owned());
    let mut found = Vec::new();
    // A checkout that cannot be walked counts as holding sources: say so
    // rather than leave them out.
    path.is_dir() && (dpol::load::walk::collect(&path, &mut found).is_err() || !found.is_empty())
}

/// The `.dpol` blobs of a `git ls-tree -r -z` listing
/// (`MODE SP TYPE SP OID TAB PATH NUL`) and the paths of its submodules, or
/// what stops the read.
type Listing = (Vec<Entry>, Vec<Vec<u8>>);

fn dpol_blobs(listing: &[u8]) -> Result<Listing, String> {
    let mut entries = Vec::new();
    let mut submodules = Vec::new();
    for record in listing.split(|&b| b == 0).filter(|r| !r.is_empty()) {
        let tab = record
            .iter()
            .position(|&b| b == b'\t')
            .ok_or_else(|| "a listing line without a tab".to_string())?;
        let (meta, path) = (&record[..tab], &record[tab + 1..]);
        let meta = String::from_utf8_lossy(meta);
        let mut fields = meta.split(' ');
        let (mode, kind, oid) = match (fields.next(), fields.next(), fields.next()) {
            (Some(mode), Some(kind), Some(oid)) => (mode, kind, oid),
            _ => return Err(format!("an unexpected listing line `{meta}`")),
        };
        let shown = String::from_utf8_lossy(path);
        match kind {
            "commit" => submodules.push(path.to_vec()),
            "blob" if path.ends_with(b".dpol") && mode == "120000" => {
                return Err(format!(
                    "`{shown}` is a symbolic link: dpol does not follow links inside a revision"
                ))
            }
            "blob" if path.ends_with(b".dpol") => entries.push(Entry {
                oid: oid.to_string(),
                path: path.to_vec(),
            }),
            _ => {}
        }
    }
    Ok((entries, submodules))
}

/// The contents of every entry, in order, from one `git cat-file --batch`.
fn read_blobs(entries: &[Entry]) -> Result<Vec<Vec<u8>>, String> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let mut child = Command::new("git")
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("git did not run: {e}"))?;
    let request: String = entries.iter().map(|e| format!("{}\n", e.oid)).collect();
    let mut stdin = child.stdin.take().ok_or("no pipe to git")?;
    // Written from another thread, so that git never waits on a full stdout
    // pipe while dpol waits on a full stdin pipe.
    let writer = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|e| format!("git did not finish: {e}"))?;
    match writer.join() {
        Ok(Ok(())) => {}
        _ => return Err("git stopped reading its input".to_string()),
    }
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).trim().to_string());
    }
    parse_batch(&output.stdout, entries.len())
}

/// `count` objects of `git cat-file --batch` output: `OID SP TYPE SP SIZE LF
/// CONTENTS LF` each.
fn parse_batch(mut out: &[u8], count: usize) -> Result<Vec<Vec<u8>>, String> {
    let mut blobs = Vec::with_capacity(count);
    for _ in 0..count {
        let end = out
            .iter()
            .position(|&b| b == b'\n')
            .ok_or("output cut short")?;
        let header = String::from_utf8_lossy(&out[..end]).into_owned();
        let size = match header.split(' ').collect::<Vec<_>>().as_slice() {
            [_, "blob", size] => size
                .parse::<usize>()
                .map_err(|_| format!("a bad header `{header}`"))?,
            _ => return Err(format!("an unexpected object `{header}`")),
        };
        let body = out.get(end + 1..end + 1 + size).ok_or("output cut short")?;
        blobs.push(body.to_vec());
        out = out.get(end + 2 + size..).unwrap_or_default();
    }
    Ok(blobs)
}

/// E0104: revision `rev` cannot be read: a step (`what`) failed.
fn unreadable(rev: &str, what: &str, detail: String) -> Diagnostic {
    Diagnostic::global(
        Code::ReadError,
        format!("cannot read revision `{rev}`: {what}: {detail}"),
    )
}

#[cfg(test)]
mod tests {
    use super::{dpol_blobs, parse_batch};

    #[test]
    fn listing_keeps_names_as_bytes_refuses_links_and_lists_submodules() {
        let listing = b"100644 blob aaa\td\xc3\xa9ny rules.dpol\x00100644 blob bbb\tREADME.md\x00\
100755 blob ccc\tnew\nline.dpol\0";
        let (entries, _) = dpol_blobs(listing).unwrap();
        let paths: Vec<&[u8]> = entries.iter().map(|e| e.path.as_slice()).collect();
        assert_eq!(paths, [&b"d\xc3\xa9ny rules.dpol"[..], b"new\nline.dpol"]);
        assert!(dpol_blobs(b"120000 blob aaa\tlink.dpol\0").is_err());
        let (_, submodules) = dpol_blobs(b"160000 commit aaa\tvendor\0").unwrap();
        assert_eq!(submodules, [b"vendor".to_vec()]);
        assert!(dpol_blobs(b"120000 blob aaa\tlink.txt\0")
            .unwrap()
            .0
            .is_empty());
    }

    #[test]
    fn batch_output_is_split_by_sizes() {
        let out = b"aaa blob 3\nab\n\nbbb blob 0\n\n";
        assert_eq!(
            parse_batch(out, 2).unwrap(),
            vec![b"ab\n".to_vec(), Vec::new()]
        );
        assert!(parse_batch(b"aaa missing\n", 1).is_err());
        assert!(parse_batch(b"aaa blob 9\nab\n", 1).is_err());
    }
}
