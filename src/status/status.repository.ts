/** The reads `/status` needs, each a count so the answer stays cheap. */
export interface StatusQueries {
  /** Reminders still waiting to be sent with a due time in `[from, to]`. */
  pendingReminders(from: Date, to: Date): Promise<number>;
  /** Conversations Teams refused (the bot was removed) and nobody has written in since. */
  staleConversations(): Promise<number>;
  /** Resolves when storage answers, rejects when it does not. */
  ping(): Promise<void>;
}
