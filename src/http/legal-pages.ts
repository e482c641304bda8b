/**
 * The pages the Teams app package links to (`privacyUrl`, `termsOfUseUrl`), in Swedish, served
 * by the bot itself so the links work in every environment.
 */
const page = (title: string, paragraphs: readonly string[]) =>
  `<!doctype html>
<html lang="sv">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} – Finsam</title>
<style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#242424}</style>
</head>
<body>
<h1>${title}</h1>
${paragraphs.map((text) => `<p>${text}</p>`).join('\n')}
</body>
</html>
`.normalize('NFC');

export const privacyPage = page('Integritet', [
  'Finsam är samordningsförbundets bot i Microsoft Teams för gemensamma möten, ärendekö och uppföljning. Samordningsförbundet är personuppgiftsansvarigt.',
  'Boten sparar inga personnummer, samordningsnummer eller namn på deltagare. Deltagare och ärenden anges bara med koder som boten ger ut. Text som innehåller ett personnummer eller samordningsnummer tas inte emot.',
  'För personal sparas Teams-id, visningsnamn, organisation och roll, samt vem som gjorde vad och när (loggbok). Uppgifterna lagras i Azure i Sverige och gallras enligt förbundets beslut.',
  'Frågor om personuppgifter besvaras av samordningsförbundets dataskyddsombud.',
]);

export const termsPage = page('Villkor', [
  'Finsam får användas av personal i samordningsförbundet och dess medlemsorganisationer i förbundets gemensamma arbete.',
  'Skriv aldrig personnummer, samordningsnummer, namn eller andra uppgifter som kan identifiera en deltagare. Använd deltagarens kod.',
  'Det du skriver i en kanal syns för alla i kanalen, också för medlemmar från andra organisationer.',
]);
