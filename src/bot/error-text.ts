import type { AppErrorReason } from '../errors.js';
import { isAppError } from '../errors.js';

const defaults: Record<AppErrorReason, string> = {
  'invalid-input':
    'Det gick inte att tolka det du skrev. Skriv /hjälp för att se hur kommandot används.',
  forbidden: 'Du har inte behörighet att göra det här.',
  'not-found': 'Det du letar efter finns inte (längre).',
  conflict:
    'Någon annan ändrade samma sak precis samtidigt. Inget av det du gjorde sparades – titta på det aktuella läget och försök igen.',
  'already-exists': 'Det finns redan.',
  'storage-unavailable':
    'Lagringen svarar inte just nu, så inget har sparats eller ändrats. Försök igen om en stund.',
  'outcome-unknown':
    'Lagringen slutade svara medan ändringen sparades, så det går inte att säga om den kom med. Försök igen om en stund: samma åtgärd sparas aldrig två gånger.',
  'too-large':
    'Det blir för mycket text för att sparas. Inget har sparats – korta texten och försök igen.',
  'personal-data':
    'Texten verkar innehålla ett personnummer eller samordningsnummer. Sådana uppgifter får inte lämnas här – använd personens kod i stället.',
};

/** The Swedish text a user sees for an error; unexpected errors get a generic apology. */
export function errorText(error: unknown): string {
  if (isAppError(error)) return error.userMessage ?? defaults[error.reason];
  return 'Något oväntat gick fel hos boten, så det går inte att säga säkert om något sparades. Titta på det aktuella läget och försök igen; kontakta förbundets administratör om felet finns kvar.';
}
