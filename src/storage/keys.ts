const mustEncode = (code: number) =>
  code < 0x20 || (code >= 0x7f && code <= 0x9f) || '%/\\#?'.includes(String.fromCharCode(code));

/**
 * Table keys may not contain `/ \ # ?` or control characters. Teams ids contain `:` `@` `;` and
 * sometimes more, so every key built from outside input goes through {@link encodeKey}.
 * The encoding is `%XX` (like URI encoding) for the forbidden characters and `%` itself, which
 * keeps keys readable, reversible and sortable in the same order for plain ASCII.
 */
export function encodeKey(value: string): string {
  if (value.length === 0) throw new Error('A table key cannot be empty');
  let encoded = '';
  for (const char of value) {
    const code = char.charCodeAt(0);
    encoded += mustEncode(code) ? '%' + code.toString(16).toUpperCase().padStart(2, '0') : char;
  }
  if (encoded.length > 1024) throw new Error('A table key cannot exceed 1 KiB');
  return encoded;
}

export function decodeKey(key: string): string {
  return key.replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
