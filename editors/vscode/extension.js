// Starts `om-markdoc lsp` for Markdown files; everything else happens in the server.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const [command, ...args] = vscode.workspace.getConfiguration("om-markdoc").get("command");
  client = new LanguageClient(
    "om-markdoc",
    "om-markdoc",
    { command, args },
    {
      documentSelector: [{ scheme: "file", language: "markdown" }],
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.{md,png,jpg,jpeg,gif,svg,webp}") },
    }
  );
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
