/** The `data` of the first `Action.Execute` with `verb` in a card; throws when there is none. */
export function actionData(card: unknown, verb: string): Record<string, unknown> {
  let found: Record<string, unknown> | undefined;
  const walk = (node: unknown) => {
    if (found || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const record = node as Record<string, unknown>;
    if (record.type === 'Action.Execute' && record.verb === verb) {
      found = (record.data ?? {}) as Record<string, unknown>;
      return;
    }
    Object.values(record).forEach(walk);
  };
  walk(card);
  if (!found) throw new Error(`No action ${verb} in card`);
  return found;
}
