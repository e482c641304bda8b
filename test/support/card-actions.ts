/** The data of the first Action.Execute with `verb` in a card (a test fails when there is none). */
export function actionData(card: unknown, verb: string): Record<string, unknown> {
  const found = allActionData(card, verb)[0];
  if (!found) throw new Error(`No action ${verb} in card`);
  return found;
}

/** The data of every Action.Execute with `verb` in a card, in card order. */
export function allActionData(card: unknown, verb: string): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const record = node as Record<string, unknown>;
    if (record.type === 'Action.Execute' && record.verb === verb) {
      found.push((record.data ?? {}) as Record<string, unknown>);
      return;
    }
    Object.values(record).forEach(walk);
  };
  walk(card);
  return found;
}
