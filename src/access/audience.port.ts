/** Teams refreshes a card on its own for at most this many people (`refresh.userIds`). */
export const MAX_VIEWERS = 60;

/**
 * The audience of a channel card: the people who get their own view of it, chosen by role
 * (samordnare, administratörer, then the representatives of `organisations`), at most
 * {@link MAX_VIEWERS}. `first` comes before everyone else.
 */
export type Audience = (
  organisations?: readonly string[],
  first?: readonly string[],
) => Promise<readonly string[]>;
