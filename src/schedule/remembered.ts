/**
 * A pure function of a key that remembers its answers: the time-zone arithmetic and the Swedish
 * date texts are asked for the same few dates on every click, and each answer costs an `Intl`
 * lookup. At most `limit` answers are kept; then it starts over.
 */
export function remembered<V>(limit: number, compute: (key: string) => V): (key: string) => V {
  const answers = new Map<string, V>();
  return (key) => {
    const known = answers.get(key);
    if (known !== undefined) return known;
    const answer = compute(key);
    if (answers.size >= limit) answers.clear();
    answers.set(key, answer);
    return answer;
  };
}
