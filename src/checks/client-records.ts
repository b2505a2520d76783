/** How checks that read the gateway's log name a client and cite its record. */
import type { LogHandshake } from '../facts/types.js';
import type { DiagnosisView } from '../diagnosis/view.js';

export const BROWSER_CLIENTS = new Set(['openclaw-control-ui', 'webchat-ui', 'webchat']);

export function clientName(h: LogHandshake): string {
  return `${h.client ?? 'a client'}${h.origin ? ` from ${h.origin}` : ''}${h.remote ? ` (${h.remote})` : ''}`;
}

export function clientEvidence(view: DiagnosisView, h: LogHandshake): string[] {
  return [`log ${view.facts.log?.file ?? ''}: ${h.time} ${clientName(h)}: ${h.reason ?? h.kind}`.trim()];
}

export function isControlUi(h: LogHandshake): boolean {
  return BROWSER_CLIENTS.has(h.client ?? '') || h.clientMode === 'webchat';
}

export function recordsOf(view: DiagnosisView, kind: LogHandshake['kind']): LogHandshake[] {
  return view.latestClientRecords.filter((h) => h.kind === kind);
}

/** The record is one of these kinds. */
export function isKind(h: LogHandshake, ...kinds: LogHandshake['kind'][]): boolean {
  return kinds.includes(h.kind);
}
