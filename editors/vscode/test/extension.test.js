// Tests extension.js without VS Code (none can be downloaded here): `vscode`
// and the language client are stubs, so the test sees which server the
// extension starts and what it says when the binary is missing. Then the
// JSON-RPC library the language client is built on (vscode-jsonrpc) talks to
// the real `dpol lsp`, when target/release/dpol is built.
'use strict';

const assert = require('assert');
const fs = require('fs');
const Module = require('module');
const path = require('path');
const { spawn } = require('child_process');

const calls = { errors: [], clients: [] };
let settings = {};
const vscodeStub = {
  workspace: {
    getConfiguration: () => ({ get: (key) => settings[key] }),
    createFileSystemWatcher: (glob) => ({ glob }),
  },
  window: {
    showErrorMessage: async (message) => {
      calls.errors.push(message);
      return undefined;
    },
  },
  commands: { executeCommand: async () => undefined },
};
class LanguageClientStub {
  constructor(id, name, server, client) {
    Object.assign(this, { id, name, server, client, started: false, stopped: false });
    calls.clients.push(this);
  }
  async start() {
    this.started = true;
  }
  async stop() {
    this.stopped = true;
  }
}
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === 'vscode') return vscodeStub;
  if (request === 'vscode-languageclient/node') return { LanguageClient: LanguageClientStub };
  return load.call(this, request, ...rest);
};
const extension = require('../extension.js');

async function withTheRealServer(dpol) {
  const rpc = require('vscode-jsonrpc/node');
  const server = spawn(dpol, ['lsp']);
  const connection = rpc.createMessageConnection(
    new rpc.StreamMessageReader(server.stdout),
    new rpc.StreamMessageWriter(server.stdin),
  );
  connection.listen();
  const init = await connection.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {} });
  for (const cap of ['hoverProvider', 'definitionProvider', 'renameProvider', 'completionProvider', 'documentFormattingProvider']) {
    assert.ok(init.capabilities[cap], `no ${cap}`);
  }
  connection.sendNotification('initialized', {});
  const published = new Promise((resolve) => connection.onNotification('textDocument/publishDiagnostics', resolve));
  connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri: 'untitled:Untitled-1', languageId: 'dpol', version: 1, text: 'alice raeds T\n' },
  });
  const diagnostics = (await published).diagnostics;
  assert.equal(diagnostics[0].code, 'E0101');
  assert.match(diagnostics[0].message, /did you mean `reads`\?/);
  await connection.sendRequest('shutdown');
  const exited = new Promise((resolve) => server.on('exit', resolve));
  connection.sendNotification('exit');
  assert.equal(await exited, 0);
  connection.dispose();
}

(async () => {
  // A binary that runs (node answers --version too): the client starts `PATH lsp`.
  settings = { 'server.path': process.execPath };
  await extension.activate({ subscriptions: [] });
  assert.equal(calls.clients.length, 1);
  assert.deepEqual(calls.clients[0].server, { command: process.execPath, args: ['lsp'] });
  assert.ok(calls.clients[0].started);
  assert.deepEqual(calls.clients[0].client.documentSelector.map((s) => s.scheme), ['file', 'untitled']);
  await extension.deactivate();
  assert.ok(calls.clients[0].stopped);

  // A missing binary: one clear message naming the setting, no client.
  settings = { 'server.path': '/nonexistent/dpol' };
  await extension.activate({ subscriptions: [] });
  assert.equal(calls.clients.length, 1);
  assert.equal(calls.errors.length, 1);
  assert.match(calls.errors[0], /cannot start the language server `\/nonexistent\/dpol lsp`: it was not found/);
  assert.match(calls.errors[0], /"dpol\.server\.path"/);

  // Disabled: nothing starts.
  settings = { 'server.enabled': false, 'server.path': process.execPath };
  await extension.activate({ subscriptions: [] });
  assert.equal(calls.clients.length, 1);

  // The default command.
  assert.equal(extension.serverCommand({ get: () => undefined }), 'dpol');
  assert.equal(extension.serverCommand({ get: () => '  ' }), 'dpol');

  const dpol = path.join(__dirname, '../../../target/release/dpol');
  if (fs.existsSync(dpol)) {
    assert.equal(extension.problemRunning(dpol), null);
    await withTheRealServer(dpol);
    console.log('extension.js: ok (stubbed VS Code, and vscode-jsonrpc against target/release/dpol lsp)');
  } else {
    console.log('extension.js: ok (stubbed VS Code); target/release/dpol is not built, so the real server was not tried');
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
