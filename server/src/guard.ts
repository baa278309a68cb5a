import type { RemoteConsole, ResponseError } from 'vscode-languageserver/node';

/**
 * Wraps a handler so that no input can take the server down: an unexpected error is logged and
 * the request gets `fallback` (no result) instead of an error response the editor would show.
 * A ResponseError the handler returns on purpose (a refused rename) passes through.
 */
export function guard<P, R>(console: RemoteConsole, name: string, fallback: R, handler: (params: P) => R | ResponseError): (params: P) => R | ResponseError {
  return (params: P) => {
    try {
      return handler(params);
    } catch (error) {
      console.error(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return fallback;
    }
  };
}

/** The same for notifications, which have no result. */
export function guardNotification<P>(console: RemoteConsole, name: string, handler: (params: P) => void): (params: P) => void {
  return (params: P) => {
    try {
      handler(params);
    } catch (error) {
      console.error(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  };
}
