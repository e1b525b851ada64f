// The dpol extension's code: for `.dpol` files it starts the language server,
// `dpol lsp` (the `dpol.server.path` setting names the binary), which gives
// diagnostics as you type, hover, go to definition, references, rename, the
// outline, completion, quick fixes and formatting. The highlighting, snippets
// and Markdown fences need no code (package.json).
'use strict';

const { spawnSync } = require('child_process');
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

/** The dpol binary to run: the `dpol.server.path` setting, else `dpol` on PATH. */
function serverCommand(config) {
  const path = config.get('server.path');
  return typeof path === 'string' && path.trim() !== '' ? path.trim() : 'dpol';
}

/** Why `command` cannot be run (`dpol --version`), or null when it can. */
function problemRunning(command) {
  const probe = spawnSync(command, ['--version'], { encoding: 'utf8', timeout: 10000 });
  if (probe.error) {
    return probe.error.code === 'ENOENT' ? 'it was not found' : probe.error.message;
  }
  if (probe.status !== 0) {
    return `\`${command} --version\` exited with ${probe.status}`;
  }
  return null;
}

async function activate(context) {
  const config = vscode.workspace.getConfiguration('dpol');
  if (config.get('server.enabled') === false) {
    return;
  }
  const command = serverCommand(config);
  const problem = problemRunning(command);
  if (problem) {
    const open = 'Open settings';
    const choice = await vscode.window.showErrorMessage(
      `dpol: cannot start the language server \`${command} lsp\`: ${problem}. ` +
        'Install dpol (`cargo install --locked --path <dpol checkout>`) or set "dpol.server.path".',
      open,
    );
    if (choice === open) {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'dpol.server.path');
    }
    return;
  }
  const serverOptions = { command, args: ['lsp'] };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'dpol' },
      { scheme: 'untitled', language: 'dpol' },
    ],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.dpol') },
  };
  client = new LanguageClient('dpol', 'dpol language server', serverOptions, clientOptions);
  context.subscriptions.push({ dispose: () => (client ? client.stop() : undefined) });
  await client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate, serverCommand, problemRunning };
