//! `dpol lsp`: a client that speaks JSON-RPC over stdio to the real binary,
//! through the capabilities the server announces: whole-program diagnostics
//! as two files change, code actions from structured fixes, formatting,
//! hover, go to definition, references, rename, document symbols,
//! completion; malformed messages that must not stop the server; shutdown
//! and exit.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use serde_json::{json, Value};

/// A hang guard, not a performance check: every wait fails after this.
const PATIENCE: Duration = Duration::from_secs(30);

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
    /// Notifications seen while waiting for responses.
    notifications: Vec<Value>,
}

impl Client {
    fn start(root: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dpol"))
            .args(["lsp", "--stdio"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, messages) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = Some(n.parse::<usize>().unwrap());
                    }
                }
                let mut body = vec![0; length.unwrap()];
                reader.read_exact(&mut body).unwrap();
                if tx
                    .send(serde_json::from_slice::<Value>(&body).unwrap())
                    .is_err()
                {
                    return;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            messages,
            next_id: 1,
            notifications: Vec::new(),
        };
        let root_uri = uri(root);
        let init = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root_uri,
                "workspaceFolders": [{ "uri": root_uri, "name": "w" }],
                "capabilities": { "general": { "positionEncodings": ["utf-16"] } },
            }),
        );
        let caps = &init["result"]["capabilities"];
        for cap in [
            "hoverProvider",
            "definitionProvider",
            "referencesProvider",
            "renameProvider",
            "documentSymbolProvider",
            "documentFormattingProvider",
            "codeActionProvider",
            "completionProvider",
        ] {
            assert!(!caps[cap].is_null(), "no {cap} in {init}");
        }
        assert_eq!(caps["positionEncoding"], "utf-16");
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: &Value) {
        let body = serde_json::to_string(message).unwrap();
        self.raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    fn raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    fn next(&mut self) -> Value {
        match self.messages.recv_timeout(PATIENCE) {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout) => panic!("no message from the server in {PATIENCE:?}"),
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
        }
    }

    /// Sends a request and returns its whole response (`result` or `error`).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let m = self.next();
            if m["id"] == json!(id) && m.get("method").is_none() {
                return m;
            }
            self.notifications.push(m);
        }
    }

    fn result(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params);
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// The diagnostics next published for each of `uris` (waiting for all).
    fn diagnostics(&mut self, uris: &[&str]) -> Vec<Vec<Value>> {
        let mut got: Vec<Option<Vec<Value>>> = vec![None; uris.len()];
        let mut pending: Vec<Value> = std::mem::take(&mut self.notifications);
        pending.reverse();
        while got.iter().any(Option::is_none) {
            let m = pending.pop().unwrap_or_else(|| self.next());
            if m["method"] == "textDocument/publishDiagnostics" {
                if let Some(i) = uris.iter().position(|u| m["params"]["uri"] == *u) {
                    got[i] = Some(m["params"]["diagnostics"].as_array().unwrap().clone());
                }
            } else {
                self.notifications.push(m);
            }
        }
        got.into_iter().map(Option::unwrap).collect()
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } })
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

fn labels(items: &Value) -> Vec<String> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

const ACCOUNTS: &str = "account prod = 111122223333\nregion us-east-1\ntable Orders in prod { key id: number; attrs Title, Price }\n";
const GRANTS: &str = "role App in prod\nApp reads Orders attrs Title\n";

#[test]
fn a_session_through_every_capability() {
    let dir = tempfile::Builder::new()
        .prefix("dpol-lsp-")
        .tempdir()
        .unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    std::fs::write(root.join("accounts.dpol"), ACCOUNTS).unwrap();
    std::fs::write(root.join("grants.dpol"), GRANTS).unwrap();
    let accounts = uri(&root.join("accounts.dpol"));
    let grants = uri(&root.join("grants.dpol"));
    let mut c = Client::start(&root);

    // Open one file: the whole program is checked, every file published.
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": grants, "languageId": "dpol", "version": 1, "text": GRANTS } }),
    );
    let d = c.diagnostics(&[&accounts, &grants]);
    assert!(d[0].is_empty() && d[1].is_empty(), "{d:?}");

    // A misspelt verb: E0101 with a fix, as a code action.
    let change = |c: &mut Client, uri: &str, version: i32, text: &str| {
        c.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
    };
    change(&mut c, &grants, 2, "role App in prod\nApp raeds Orders\n");
    let d = c.diagnostics(&[&grants]).remove(0);
    assert_eq!(codes(&d), ["E0101"], "{d:?}");
    assert_eq!(d[0]["range"]["start"], json!({ "line": 1, "character": 4 }));
    assert!(
        d[0]["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `reads`?"),
        "{d:?}"
    );
    let actions = c.result(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": grants }, "range": d[0]["range"], "context": { "diagnostics": d } }),
    );
    let edit = &actions[0]["edit"]["changes"][&grants][0];
    assert_eq!(edit["newText"], "reads", "{actions}");
    assert_eq!(actions[0]["kind"], "quickfix");

    // An unknown table: E0201, and hovering it explains the code.
    change(&mut c, &grants, 3, "role App in prod\nApp reads Orderz\n");
    let d = c.diagnostics(&[&grants]).remove(0);
    assert_eq!(codes(&d), ["E0201"], "{d:?}");
    let hover = c.result("textDocument/hover", at(&grants, 1, 12));
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("**E0201**: unknown name"), "{text}");
    let actions = c.result(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": grants }, "range": d[0]["range"], "context": { "diagnostics": d } }),
    );
    assert!(
        actions.to_string().contains("\"newText\":\"Orders\""),
        "{actions}"
    );

    // A change in the other file reaches this one: the table goes, E0201 here.
    change(
        &mut c,
        &grants,
        4,
        "role App in prod;App reads Orders attrs Title,Price\n",
    );
    let d = c.diagnostics(&[&grants]).remove(0);
    assert!(d.is_empty(), "{d:?}");
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": accounts, "languageId": "dpol", "version": 1, "text": ACCOUNTS } }),
    );
    // Published again: the file whose version changed; not grants.dpol.
    assert!(c.diagnostics(&[&accounts])[0].is_empty());
    change(
        &mut c,
        &accounts,
        2,
        "account prod = 111122223333\nregion us-east-1\n",
    );
    let d = c.diagnostics(&[&accounts, &grants]);
    assert!(d[0].is_empty(), "{d:?}");
    assert_eq!(codes(&d[1]), ["E0201"], "{d:?}");
    change(&mut c, &accounts, 3, ACCOUNTS);
    let d = c.diagnostics(&[&accounts, &grants]);
    assert!(d[0].is_empty() && d[1].is_empty(), "{d:?}");

    // Formatting: dpol fmt's layout, as one edit.
    let edits = c.result(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": grants }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert_eq!(
        edits[0]["newText"], "role App in prod\nApp reads Orders attrs Title, Price\n",
        "{edits}"
    );
    change(&mut c, &grants, 5, GRANTS);
    let _ = c.diagnostics(&[&grants]);

    // Hover: a name's declaration (in the other file), a verb's actions.
    let hover = c.result("textDocument/hover", at(&grants, 1, 12));
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("table `Orders`, declared at") && text.contains("accounts.dpol:3"),
        "{text}"
    );
    assert!(
        text.contains("table Orders in prod { key id: number; attrs Title, Price }"),
        "{text}"
    );
    let hover = c.result("textDocument/hover", at(&grants, 1, 5));
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("`GetItem`") && text.contains("`Query`"),
        "{text}"
    );
    assert!(!text.contains("`PutItem`"), "{text}");

    // Definition and references across files.
    let defs = c.result("textDocument/definition", at(&grants, 1, 12));
    assert_eq!(defs[0]["uri"], accounts);
    assert_eq!(
        defs[0]["range"]["start"],
        json!({ "line": 2, "character": 6 })
    );
    let mut refs = at(&grants, 1, 12);
    refs["context"] = json!({ "includeDeclaration": true });
    let refs = c.result("textDocument/references", refs);
    assert_eq!(refs.as_array().unwrap().len(), 2, "{refs}");
    let mut only_uses = at(&grants, 0, 12);
    only_uses["context"] = json!({ "includeDeclaration": false });
    let prod = c.result("textDocument/references", only_uses);
    // `prod`: `table … in prod` and `role App in prod`.
    assert_eq!(prod.as_array().unwrap().len(), 2, "{prod}");

    // Rename across files; names the grammar would not read are refused.
    let prepared = c.result("textDocument/prepareRename", at(&grants, 1, 12));
    assert_eq!(prepared["placeholder"], "Orders");
    let mut rename = at(&grants, 1, 12);
    rename["newName"] = json!("Sales");
    let edit = c.result("textDocument/rename", rename.clone());
    assert_eq!(
        edit["changes"][&accounts].as_array().unwrap().len(),
        1,
        "{edit}"
    );
    assert_eq!(edit["changes"][&grants][0]["newText"], "Sales", "{edit}");
    for bad in ["table", "9lives", "App"] {
        rename["newName"] = json!(bad);
        let response = c.request("textDocument/rename", rename.clone());
        assert!(response.get("error").is_some(), "{bad}: {response}");
    }

    // The outline of a file.
    let symbols = c.result(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": accounts } }),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["prod", "Orders"]);

    // Completion: statement words and principals at a line's start, verbs
    // after a principal, attributes after `attrs`, actions after `can`.
    let start = labels(&c.result("textDocument/completion", at(&grants, 2, 0)));
    assert!(
        start.contains(&"table".to_string()) && start.contains(&"App".to_string()),
        "{start:?}"
    );
    change(
        &mut c,
        &grants,
        6,
        "role App in prod\nApp \nApp reads Orders attrs \nApp can \n",
    );
    assert!(!c.diagnostics(&[&grants])[0].is_empty());
    let verbs = labels(&c.result("textDocument/completion", at(&grants, 1, 4)));
    assert!(
        verbs.contains(&"reads".to_string()) && verbs.contains(&"cannot".to_string()),
        "{verbs:?}"
    );
    let attrs = labels(&c.result("textDocument/completion", at(&grants, 2, 23)));
    assert_eq!(attrs, ["id", "Title", "Price"]);
    let actions = labels(&c.result("textDocument/completion", at(&grants, 3, 8)));
    assert!(actions.contains(&"GetItem".to_string()), "{actions:?}");

    // Bad input: an unknown method, bad parameters, malformed messages. The
    // server answers or logs each and goes on.
    let response = c.request("textDocument/unknownThing", json!({}));
    assert_eq!(response["error"]["code"], -32601, "{response}");
    let response = c.request("textDocument/hover", json!({ "position": 3 }));
    assert_eq!(response["error"]["code"], -32602, "{response}");
    c.raw(b"Content-Length: 5\r\n\r\nnope!");
    c.raw(b"this is not a header\r\n\r\n");
    c.raw(b"Content-Length: 2\r\n\r\n\xff\xfe");
    let hover = c.result("textDocument/hover", at(&grants, 0, 14));
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("account `prod`"),
        "{hover}"
    );
    let logged = c
        .notifications
        .iter()
        .filter(|m| m["method"] == "window/logMessage")
        .count();
    assert_eq!(logged, 3, "{:?}", c.notifications);

    // Shutdown, then exit: exit code 0.
    let response = c.request("shutdown", Value::Null);
    assert!(
        response["result"].is_null() && response.get("error").is_none(),
        "{response}"
    );
    c.notify("exit", Value::Null);
    let status = c.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn exit_without_shutdown_is_exit_code_1() {
    let dir = tempfile::Builder::new()
        .prefix("dpol-lsp-")
        .tempdir()
        .unwrap();
    let mut c = Client::start(dir.path());
    c.notify("exit", Value::Null);
    assert_eq!(c.child.wait().unwrap().code(), Some(1));
}

/// A FIFO among the workspace's files is reported (E0110, as `dpol check`
/// reports it), never read: reading it would block the server for good.
#[cfg(unix)]
#[test]
fn a_fifo_in_the_workspace_is_reported_not_read() {
    let dir = tempfile::Builder::new()
        .prefix("dpol-lsp-")
        .tempdir()
        .unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    std::fs::write(root.join("accounts.dpol"), ACCOUNTS).unwrap();
    let made = Command::new("mkfifo")
        .arg(root.join("stuck.dpol"))
        .status()
        .unwrap();
    assert!(made.success());
    let accounts = uri(&root.join("accounts.dpol"));
    let mut c = Client::start(&root);
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": accounts, "languageId": "dpol", "version": 1, "text": ACCOUNTS } }),
    );
    let d = c.diagnostics(&[&accounts]).remove(0);
    assert_eq!(codes(&d), ["E0110"], "{d:?}");
    let response = c.request("shutdown", Value::Null);
    assert!(response.get("error").is_none(), "{response}");
    c.notify("exit", Value::Null);
    assert_eq!(c.child.wait().unwrap().code(), Some(0));
}
