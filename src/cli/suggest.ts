import leven from 'leven';

/**
 * The closest candidate to a mistyped word, if it is close enough to be what was meant: at most
 * two edits or a third of the word's letters off (`daignose` → `diagnose`, `fxi` → `fix`), one for
 * words shorter than three letters, so that `x` suggests nothing.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = leven(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  // A prefix counts too: `diag` → `diagnose`.
  const prefixed = word.length >= 3 ? candidates.find((c) => c.startsWith(word)) : undefined;
  if (bestDistance <= (word.length < 3 ? 1 : Math.max(2, Math.floor(word.length / 3)))) return best;
  return prefixed;
}

export function didYouMean(word: string, candidates: readonly string[], render: (c: string) => string = (c) => c): string {
  const c = closest(word, candidates);
  return c ? `; did you mean ${render(c)}?` : '';
}
