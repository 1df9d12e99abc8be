// The HTML shell of every Spanlight webview: a nonce CSP, the bundle and its stylesheet, the codicons.
// No trace data ever goes into this HTML — it all arrives by postMessage and is rendered as text.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export interface WebviewBundle {
  /** Base name of dist/webview/<name>.js and .css. */
  name: 'sidebar' | 'detail' | 'replay';
  title: string;
}

/** Webviews may load files from these folders only (DESIGN: localResourceRoots limited to the bundle). */
export function webviewRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')];
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: webviewRoots(extensionUri) };
}

export function renderWebviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, bundle: WebviewBundle): string {
  const nonce = randomBytes(18).toString('base64');
  const asset = (file: string): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', file)).toString();
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
  ].join('; ');
  // The id "vscode-codicon-stylesheet" is how @vscode-elements components find the codicon font.
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp};">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link id="vscode-codicon-stylesheet" rel="stylesheet" nonce="${nonce}" href="${asset('codicon.css')}">
  <link rel="stylesheet" nonce="${nonce}" href="${asset(`${bundle.name}.css`)}">
  <title>${bundle.title}</title>
</head>
<body>
  <div id="app"></div>
  <script nonce="${nonce}" src="${asset(`${bundle.name}.js`)}"></script>
</body>
</html>`;
}
