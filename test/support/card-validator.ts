import { JSDOM } from 'jsdom';

/**
 * Checks an expanded card the way Teams will see it: the `adaptivecards` renderer (under jsdom)
 * must parse it without a single validation event, plus our own rules.
 */
const dom = new JSDOM('<!doctype html><html><body></body></html>');
const globals = globalThis as Record<string, unknown>;
globals.window ??= dom.window;
globals.document ??= dom.window.document;
globals.HTMLElement ??= dom.window.HTMLElement;
globals.navigator ??= dom.window.navigator;
const AC = await import('adaptivecards');

export const MAX_CARD_BYTES = 28 * 1024;
/** Teams' chart elements: unknown to the renderer, so each must carry a fallback it can render. */
const TEAMS_CHARTS = new Set([
  'Chart.Donut',
  'Chart.Pie',
  'Chart.VerticalBar',
  'Chart.VerticalBar.Grouped',
  'Chart.HorizontalBar',
  'Chart.HorizontalBar.Stacked',
  'Chart.Line',
  'Chart.Gauge',
]);
const chartFallbackNotice =
  /^Unknown element type "(Chart\.[A-Za-z.]+)"\. Fallback will be used if present\.$/;
const verbPattern = /^[a-z]+(\.[a-zA-Z]+)+$/;

export function cardProblems(card: unknown): string[] {
  const problems: string[] = [];
  const json = JSON.stringify(card);
  if (json.includes('${')) problems.push('unresolved ${ in the expanded card');
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes >= MAX_CARD_BYTES) problems.push(`payload is ${bytes} bytes (limit ${MAX_CARD_BYTES})`);
  if ((card as { version?: string }).version !== '1.5') problems.push('version is not 1.5');

  const walk = (node: unknown, path: string) => {
    if (Array.isArray(node)) return node.forEach((child, i) => walk(child, `${path}[${i}]`));
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record.type === 'Action.Execute') {
      const verb = record.verb;
      if (typeof verb !== 'string' || !verbPattern.test(verb)) {
        problems.push(`${path}: Action.Execute without a proper verb (${String(verb)})`);
      }
    }
    if (typeof record.type === 'string' && record.type.startsWith('Chart.')) {
      if (!TEAMS_CHARTS.has(record.type)) problems.push(`${path}: unknown chart ${record.type}`);
      const fallback = record.fallback as { type?: unknown } | undefined;
      if (!fallback || typeof fallback !== 'object' || typeof fallback.type !== 'string') {
        problems.push(`${path}: ${record.type} without a fallback element`);
      }
    }
    for (const [key, value] of Object.entries(record)) walk(value, `${path}.${key}`);
  };
  walk(card, '$');

  const context = new AC.SerializationContext();
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card as never, context);
  for (let i = 0; i < context.eventCount; i++) {
    const message = context.getEventAt(i).message;
    const chart = chartFallbackNotice.exec(message)?.[1];
    if (chart && TEAMS_CHARTS.has(chart)) continue;
    problems.push(`renderer: ${message}`);
  }
  const validation = parsed.validateProperties();
  for (const event of validation.validationEvents) problems.push(`renderer: ${event.message}`);
  return problems;
}
