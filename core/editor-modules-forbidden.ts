// core/tsconfig.json resolves `vscode` and the LSP packages to this file, so importing any of them
// from core/ fails to typecheck here. Editor code belongs in client/ or server/.
const rule: 'core/ must not import vscode or LSP packages' = 'a file in core/src imports one (npm run lint shows where)';
export {};
