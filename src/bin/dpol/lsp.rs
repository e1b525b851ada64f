//! `dpol lsp`: the language server, over standard input and output.
//!
//! The workspace is every `.dpol` file under the client's workspace folders,
//! read as `dpol check DIR` reads them, with the client's open buffers in
//! place of their files ([`workspace`]). Diagnostics are the whole
//! program's, published once the changes that have arrived are all read
//! (changes that come while a check runs, or together, make one check), for
//! every file whose diagnostics (or open version) changed, with only the
//! changed files parsed again; requests are answered from the program as it
//! is when they arrive. Built on `lsp-server` (messages, the initialize handshake) and
//! `lsp-types` (parameters and capabilities), with a transport of its own
//! that survives malformed messages ([`transport`]).

mod complete;
mod diagnostics;
mod edit;
mod hover;
mod navigate;
mod transport;
mod workspace;

use std::process::ExitCode;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use serde_json::{json, Value};

use workspace::{Encoding, Snapshot, Workspace};

pub fn run() -> ExitCode {
    let (connection, writer) = transport::stdio();
    let clean = match serve(&connection) {
        Ok(clean) => clean,
        Err(e) => {
            eprintln!("dpol lsp: {e}");
            false
        }
    };
    drop(connection);
    let _ = writer.join();
    // The protocol: exit 0 after a shutdown request, 1 without one.
    if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The server's state between messages.
struct Server {
    workspace: Workspace,
    /// The program as of the last change (rebuilt when `stale`).
    snapshot: Option<Snapshot>,
    /// What was last published, by URI: the open document's version and
    /// the diagnostics as JSON text (a file is published again only when
    /// either changes).
    published: std::collections::HashMap<String, (Option<i32>, String)>,
    /// The diagnostics last published, for code actions and hovers.
    diagnostics: Vec<dpol::diag::Diagnostic>,
    /// The files parsed by the last check, kept while their text is the same.
    parsed: dpol::stages::ParseCache,
    /// What AWS calls each declared name, as of the last check (empty when
    /// it found errors).
    aws_names: std::collections::HashMap<String, Vec<String>>,
}

/// Runs the server until `exit`; `Ok(true)` when a shutdown came first.
fn serve(connection: &Connection) -> Result<bool, String> {
    let (id, params) = connection
        .initialize_start()
        .map_err(|e| format!("initialize: {e}"))?;
    let params: lsp_types::InitializeParams =
        serde_json::from_value(params).map_err(|e| format!("initialize parameters: {e}"))?;
    let encoding = negotiate(&params);
    let roots = roots(&params);
    connection
        .initialize_finish(id, initialize_result(encoding))
        .map_err(|e| format!("initialize: {e}"))?;
    let mut server = Server {
        workspace: Workspace {
            roots,
            open: Default::default(),
            encoding,
        },
        snapshot: None,
        published: Default::default(),
        diagnostics: Vec::new(),
        parsed: Default::default(),
        aws_names: Default::default(),
    };
    // Whether a change has not been checked yet: it is, as soon as no
    // message is waiting (the debounce: every change read by then is in
    // one check).
    let mut pending = false;
    let mut shut_down = false;
    loop {
        let message = if pending {
            match connection.receiver.try_recv() {
                Ok(message) => message,
                Err(crossbeam_channel::TryRecvError::Empty) => {
                    server.publish(connection);
                    pending = false;
                    continue;
                }
                Err(crossbeam_channel::TryRecvError::Disconnected) => return Ok(false),
            }
        } else {
            match connection.receiver.recv() {
                Ok(message) => message,
                Err(_) => return Ok(false),
            }
        };
        match message {
            Message::Request(request) => {
                if request.method == lsp_types::request::Shutdown::METHOD {
                    shut_down = true;
                    send(connection, Response::new_ok(request.id, Value::Null));
                    continue;
                }
                if shut_down {
                    send(
                        connection,
                        Response::new_err(
                            request.id,
                            ErrorCode::InvalidRequest as i32,
                            "the server is shutting down".to_string(),
                        ),
                    );
                    continue;
                }
                let response = server.request(request);
                send(connection, response);
            }
            Message::Notification(notification) => {
                if notification.method == lsp_types::notification::Exit::METHOD {
                    return Ok(shut_down);
                }
                if notification.method == transport::MALFORMED {
                    log(
                        connection,
                        &format!(
                            "dpol lsp: ignored a malformed message: {}",
                            notification.params
                        ),
                    );
                    continue;
                }
                if server.notification(notification) {
                    server.snapshot = None;
                    // Never an AWS name of a program that has changed since.
                    server.aws_names.clear();
                    pending = true;
                }
            }
            Message::Response(_) => {}
        }
    }
}

fn send(connection: &Connection, response: Response) {
    let _ = connection.sender.send(Message::Response(response));
}

fn notify(connection: &Connection, method: &str, params: Value) {
    let _ = connection
        .sender
        .send(Message::Notification(Notification::new(
            method.to_string(),
            params,
        )));
}

/// A message in the client's log (`window/logMessage`, type Warning).
fn log(connection: &Connection, message: &str) {
    notify(
        connection,
        lsp_types::notification::LogMessage::METHOD,
        json!({ "type": 2, "message": message }),
    );
}

/// UTF-8 positions when the client offers them, else UTF-16 (the default).
fn negotiate(params: &lsp_types::InitializeParams) -> Encoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    match offered {
        Some(kinds) if kinds.contains(&lsp_types::PositionEncodingKind::UTF8) => Encoding::Utf8,
        _ => Encoding::Utf16,
    }
}

/// The workspace folders (or the deprecated root URI).
fn roots(params: &lsp_types::InitializeParams) -> Vec<std::path::PathBuf> {
    let folders = params.workspace_folders.iter().flatten().map(|f| &f.uri);
    #[allow(deprecated)] // `root_uri` is what clients without folders send
    let root = params.root_uri.iter();
    folders
        .chain(root)
        .filter_map(workspace::path_of)
        .take(16)
        .collect()
}

fn initialize_result(encoding: Encoding) -> Value {
    json!({
        "capabilities": {
            "positionEncoding": if encoding == Encoding::Utf8 { "utf-8" } else { "utf-16" },
            "textDocumentSync": { "openClose": true, "change": 1, "save": false },
            "hoverProvider": true,
            "definitionProvider": true,
            "referencesProvider": true,
            "renameProvider": { "prepareProvider": true },
            "documentSymbolProvider": true,
            "documentFormattingProvider": true,
            "codeActionProvider": { "codeActionKinds": ["quickfix"] },
            "completionProvider": { "triggerCharacters": [" ", ","] },
        },
        "serverInfo": { "name": "dpol", "version": env!("DPOL_VERSION") },
    })
}

impl Server {
    /// The program now.
    fn snapshot(&mut self) -> &Snapshot {
        self.snapshot
            .get_or_insert_with(|| self.workspace.snapshot())
    }

    /// A document's text as the client has it; true (the program changed).
    fn open(&mut self, uri: &lsp_types::Uri, text: String, version: i32) -> bool {
        let open = workspace::Open { text, version };
        self.workspace.open.insert(workspace::key_of(uri), open);
        true
    }

    /// Applies a notification; true when the program changed.
    fn notification(&mut self, n: Notification) -> bool {
        use lsp_types::notification as N;
        match n.method.as_str() {
            N::DidOpenTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(n.params)
                else {
                    return false;
                };
                self.open(
                    &p.text_document.uri,
                    p.text_document.text,
                    p.text_document.version,
                )
            }
            N::DidChangeTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(n.params)
                else {
                    return false;
                };
                // Full sync: the last change holds the whole text.
                let Some(change) = p.content_changes.into_iter().last() else {
                    return false;
                };
                self.open(&p.text_document.uri, change.text, p.text_document.version)
            }
            N::DidCloseTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(n.params)
                else {
                    return false;
                };
                self.workspace
                    .open
                    .remove(&workspace::key_of(&p.text_document.uri))
                    .is_some()
            }
            N::DidChangeWatchedFiles::METHOD | N::DidSaveTextDocument::METHOD => true,
            _ => false,
        }
    }

    /// Answers a request: its result, or an error for unknown methods and
    /// parameters that do not parse.
    fn request(&mut self, request: Request) -> Response {
        use lsp_types::request as R;
        let id = request.id.clone();
        let result = match request.method.as_str() {
            R::HoverRequest::METHOD => self.with(request, hover::hover),
            R::GotoDefinition::METHOD => self.with(request, navigate::definition),
            R::References::METHOD => self.with(request, navigate::references),
            R::PrepareRenameRequest::METHOD => self.with(request, navigate::prepare_rename),
            R::Rename::METHOD => self.with(request, navigate::rename),
            R::DocumentSymbolRequest::METHOD => self.with(request, navigate::symbols),
            R::Formatting::METHOD => self.with(request, edit::format),
            R::CodeActionRequest::METHOD => self.with(request, edit::code_actions),
            R::Completion::METHOD => self.with(request, complete::complete),
            method => Err(Failure::new(
                ErrorCode::MethodNotFound,
                format!("dpol lsp does not handle `{method}`"),
            )),
        };
        match result {
            Ok(value) => Response::new_ok(id, value),
            Err(f) => Response::new_err(id, f.code as i32, f.message),
        }
    }

    /// Parses the request's parameters and runs `handler` on the program now.
    fn with<P: serde::de::DeserializeOwned>(
        &mut self,
        request: Request,
        handler: fn(&Context<'_>, P) -> Result<Value, Failure>,
    ) -> Result<Value, Failure> {
        let params: P = serde_json::from_value(request.params).map_err(|e| {
            Failure::new(
                ErrorCode::InvalidParams,
                format!("invalid parameters for `{}`: {e}", request.method),
            )
        })?;
        let diagnostics = std::mem::take(&mut self.diagnostics);
        let aws_names = std::mem::take(&mut self.aws_names);
        let snapshot = self.snapshot();
        let context = Context {
            snapshot,
            diagnostics: &diagnostics,
            aws_names: &aws_names,
        };
        let result = handler(&context, params);
        self.diagnostics = diagnostics;
        self.aws_names = aws_names;
        result
    }

    /// Checks the program and publishes every file's diagnostics (none for
    /// a clean file, so that old ones disappear).
    fn publish(&mut self, connection: &Connection) {
        let mut published = std::mem::take(&mut self.published);
        let snapshot = self
            .snapshot
            .take()
            .unwrap_or_else(|| self.workspace.snapshot());
        let diagnostics::Checked {
            diagnostics,
            batches,
            aws_names,
        } = diagnostics::check(&snapshot, &self.workspace, &mut self.parsed);
        self.aws_names = aws_names;
        let mut now = std::collections::HashMap::with_capacity(batches.len());
        for (uri, version, list) in batches {
            let key = uri.as_str().to_string();
            let last = published.remove(&key);
            let array = Value::Array(list);
            let json = array.to_string();
            // Only what changed: a file's diagnostics, or its open version.
            let same = last
                .as_ref()
                .is_some_and(|(v, l)| *v == version && *l == json);
            if !same {
                let mut params = serde_json::Map::new();
                params.insert("uri".to_string(), json!(uri));
                params.insert("diagnostics".to_string(), array);
                if let Some(version) = version {
                    params.insert("version".to_string(), json!(version));
                }
                notify(
                    connection,
                    lsp_types::notification::PublishDiagnostics::METHOD,
                    Value::Object(params),
                );
            }
            now.insert(key, (version, json));
        }
        // Files no longer in the program: their diagnostics are cleared.
        for (uri, (_, list)) in published {
            if list != "[]" {
                notify(
                    connection,
                    lsp_types::notification::PublishDiagnostics::METHOD,
                    json!({ "uri": uri, "diagnostics": [] }),
                );
            }
        }
        self.published = now;
        self.diagnostics = diagnostics;
        self.snapshot = Some(snapshot);
    }
}

/// What a request handler sees: the program, and the diagnostics last
/// published.
pub struct Context<'a> {
    pub snapshot: &'a Snapshot,
    pub diagnostics: &'a [dpol::diag::Diagnostic],
    /// What AWS calls each declared name, as of the last published check.
    pub aws_names: &'a std::collections::HashMap<String, Vec<String>>,
}

/// A request that cannot be answered.
pub struct Failure {
    pub code: ErrorCode,
    pub message: String,
}

impl Failure {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Failure {
        Failure {
            code,
            message: message.into(),
        }
    }
}

impl Context<'_> {
    /// The file and byte offset of a text document position.
    pub fn place(
        &self,
        at: &lsp_types::TextDocumentPositionParams,
    ) -> Result<(dpol::source::FileId, usize), Failure> {
        let file = self.file(&at.text_document.uri)?;
        Ok((file, self.snapshot.offset(file, at.position)))
    }

    pub fn file(&self, uri: &lsp_types::Uri) -> Result<dpol::source::FileId, Failure> {
        self.snapshot.file_of(uri).ok_or_else(|| {
            Failure::new(
                ErrorCode::InvalidParams,
                format!("`{}` is not a document of this workspace", uri.as_str()),
            )
        })
    }
}
