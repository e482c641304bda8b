/** A stored value and its opaque version (an ETag); a conditional update hands the version back. */
export interface Versioned<T> {
  readonly value: T;
  readonly version: string;
}

export interface Page<T> {
  readonly items: T[];
  /** Pass back to get the next page; absent on the last page. */
  readonly cursor?: string;
}
