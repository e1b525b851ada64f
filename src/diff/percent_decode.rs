//! `%XX` decoding, for IAM documents as the IAM API sends them and for ARNs
//! spelled in file names.

/// Decodes every `%XX` escape of `text`; `None` when an escape is malformed
/// or the result is not UTF-8. `+` stays `+`.
pub(crate) fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some((&first, tail)) = rest.split_first() {
        if first == b'%' {
            let hex = tail.get(..2)?;
            out.push(hex_value(hex[0])? * 16 + hex_value(hex[1])?);
            rest = &tail[2..];
        } else {
            out.push(first);
            rest = tail;
        }
    }
    String::from_utf8(out).ok()
}

fn hex_value(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|v| u8::try_from(v).ok())
}

#[cfg(test)]
mod tests {
    use super::percent_decode;

    #[test]
    fn decodes_escapes_and_rejects_bad_ones() {
        assert_eq!(
            percent_decode("%7B%22Version%22%3A%222012-10-17%22%7D%0A").as_deref(),
            Some("{\"Version\":\"2012-10-17\"}\n")
        );
        assert_eq!(
            percent_decode("table%2fOrders+x").as_deref(),
            Some("table/Orders+x")
        );
        assert_eq!(percent_decode("%E2%9A%A0").as_deref(), Some("⚠"));
        assert_eq!(percent_decode("50%"), None);
        assert_eq!(percent_decode("%4"), None);
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%+1"), None);
        assert_eq!(percent_decode("%FF"), None);
    }
}
