import { TOKEN_PLACEHOLDER } from '../runtime/redact.ts';
import type { RecordedRequest } from './call-operation.ts';

/** A curl command that sends the recorded request again; the token stays a shell variable ($CONTRACT_TOKEN). */
export function reproduceWithCurl(request: RecordedRequest): string {
  const parts = ['curl', '-sS', '-i', '-X', request.method, shellQuote(request.url)];
  for (const [name, value] of Object.entries(request.headers)) {
    const header = `${name}: ${value}`;
    // Double quotes let the shell expand $CONTRACT_TOKEN; nothing else in such a header needs quoting.
    parts.push('-H', value.includes(TOKEN_PLACEHOLDER) ? `"${header}"` : shellQuote(header));
  }
  if (request.raw !== undefined) {
    // Bytes no HTTP client sends: written to a socket as they are.
    const { hostname, port, protocol } = new URL(request.url);
    return `printf %s ${shellQuote(request.raw)} | nc ${hostname} ${port || (protocol === 'https:' ? 443 : 80)}`;
  }
  if (request.body !== undefined) parts.push('--data-raw', shellQuote(request.body));
  const command = parts.join(' ');
  return request.bodySize === undefined
    ? command
    : `${command}   # the body is cut here: the suite sent ${request.bodySize} characters`;
}

/** POSIX single-quoting: the only character that needs care inside '…' is the single quote itself. */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}
