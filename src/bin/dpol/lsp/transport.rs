//! JSON-RPC over standard input and output, framed by `Content-Length`
//! headers as the Language Server Protocol says, robust to bad input: a
//! message that is not JSON, not UTF-8 or has no `Content-Length` is handed
//! to the server as a [`MALFORMED`] notification (which logs it to the
//! client) instead of ending the connection, as `lsp_server::Connection::stdio`
//! would.

use std::io::{BufRead, Read as _, Write as _};
use std::thread::JoinHandle;

use lsp_server::{Connection, Message, Notification};

/// The notification the transport gives the server for a message it could
/// not read; `params` is the reason, a string.
pub const MALFORMED: &str = "$/dpol/malformedMessage";

/// The largest message read: a document as large as a source file may be
/// (`DPOL_MAX_FILE_BYTES`, 128 MiB by default), with room for its JSON.
const MAX_MESSAGE: usize = 300 * 1024 * 1024;

/// The server's side of a connection over stdio, and the thread writing
/// its messages (which ends once the connection is dropped and everything
/// sent has been written).
pub fn stdio() -> (Connection, JoinHandle<()>) {
    let (server, client) = Connection::memory();
    let to_server = client.sender;
    let from_server = client.receiver;
    let writer = std::thread::spawn(move || {
        let mut out = std::io::stdout().lock();
        for message in from_server {
            if message.write(&mut out).is_err() {
                break;
            }
        }
        let _ = out.flush();
    });
    // Not joined: it may be blocked reading standard input when the server
    // exits, and ends with the process.
    std::thread::spawn(move || {
        let mut input = std::io::BufReader::new(std::io::stdin().lock());
        loop {
            let message = match read_frame(&mut input) {
                Frame::End => break,
                Frame::Text(text) => match serde_json::from_str::<Message>(&text) {
                    Ok(message) => message,
                    Err(e) => malformed(format!("not a JSON-RPC message ({e})")),
                },
                Frame::Bad(why) => malformed(why),
            };
            if to_server.send(message).is_err() {
                break;
            }
        }
    });
    (server, writer)
}

fn malformed(why: String) -> Message {
    Message::Notification(Notification::new(MALFORMED.to_string(), why))
}

enum Frame {
    Text(String),
    Bad(String),
    End,
}

/// One framed message: headers up to an empty line, then `Content-Length`
/// bytes of body.
fn read_frame(input: &mut impl BufRead) -> Frame {
    let mut length = None;
    let mut bad = None;
    let mut line = String::new();
    loop {
        line.clear();
        match input.read_line(&mut line) {
            Ok(0) | Err(_) => return Frame::End,
            Ok(_) => {}
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            if length.is_some() || bad.is_some() {
                break;
            }
            // Blank lines between messages.
            continue;
        }
        match header.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("Content-Length") => {
                match value.trim().parse::<usize>() {
                    Ok(n) => length = Some(n),
                    Err(_) => {
                        bad = Some(format!("a Content-Length that is not a number: {header:?}"))
                    }
                }
            }
            Some(_) => {}
            None => {
                bad = Some(format!(
                    "a header line that is not `Name: value`: {header:?}"
                ))
            }
        }
    }
    let Some(length) = length else {
        return Frame::Bad(bad.unwrap_or_else(|| "a message without Content-Length".to_string()));
    };
    if length > MAX_MESSAGE {
        let skipped = std::io::copy(&mut input.take(length as u64), &mut std::io::sink());
        return match skipped {
            Ok(_) => Frame::Bad(format!(
                "a message of {length} bytes, over the limit of {MAX_MESSAGE}"
            )),
            Err(_) => Frame::End,
        };
    }
    let mut body = vec![0; length];
    if input.read_exact(&mut body).is_err() {
        return Frame::End;
    }
    match String::from_utf8(body) {
        Ok(text) => Frame::Text(text),
        Err(_) => Frame::Bad("a message body that is not UTF-8".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> Vec<String> {
        let mut reader = std::io::BufReader::new(input);
        let mut out = Vec::new();
        loop {
            match read_frame(&mut reader) {
                Frame::End => return out,
                Frame::Text(t) => out.push(format!("text {t}")),
                Frame::Bad(why) => out.push(format!("bad {why}")),
            }
        }
    }

    #[test]
    fn frames_and_bad_frames() {
        let input = b"Content-Length: 2\r\n\r\n{}Content-Type: x\r\ncontent-length:3\r\n\r\nabc\r\n\r\nnonsense\r\n\r\nContent-Length: x\r\n\r\nContent-Length: 2\r\n\r\n\xff\xfe";
        let got = frames(input);
        assert_eq!(got.len(), 5, "{got:?}");
        assert_eq!(got[0], "text {}");
        assert_eq!(got[1], "text abc");
        assert!(got[2].starts_with("bad a header line"), "{got:?}");
        assert!(
            got[3].starts_with("bad a Content-Length that is not"),
            "{got:?}"
        );
        assert_eq!(got[4], "bad a message body that is not UTF-8");
    }

    #[test]
    fn a_truncated_message_ends_the_input() {
        assert!(frames(b"Content-Length: 10\r\n\r\nabc").is_empty());
    }
}
