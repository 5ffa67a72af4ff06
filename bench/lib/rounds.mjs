// Scenarios that alternate baseline and gateway for several rounds report the round with the median ratio.

/** The round whose `ratio` is the median (the lower middle one for an even count). */
export function medianRound(rounds) {
  const sorted = [...rounds].sort((a, b) => a.ratio - b.ratio);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}
