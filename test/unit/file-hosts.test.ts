import { describe, expect, it } from 'vitest';
import { downloadReceived, isAllowedFileUrl } from '../../src/bot/file-delivery.js';

/**
 * Where the bot may fetch a file a person sent it (and upload one they accepted): in production
 * only Teams' own file hosts, https on SharePoint (the sender's OneDrive for Business); loopback
 * only in local runs. A forged activity cannot point the bot anywhere else, not even by redirect.
 */
const ONEDRIVE =
  'https://contoso-my.sharepoint.com/personal/anna_contoso_se/_layouts/15/download.aspx?UniqueId=1150d938&Translate=false&tempauth=eyJ0';

describe('file hosts', () => {
  it('when the address is https on a SharePoint host, then it is allowed in production', () => {
    for (const url of [
      ONEDRIVE,
      'https://contoso.sharepoint.com/sites/x/Shared%20Documents/lista.xlsx',
      'https://finsam-sormland-my.sharepoint.com/personal/a/Documents/Lägesrapport åäö.docx',
      'https://CONTOSO-MY.SharePoint.com/personal/a/x.csv',
    ]) {
      expect(isAllowedFileUrl(url)).toBe(true);
    }
  });

  it('when the address is anything else, then it is refused in production', () => {
    for (const url of [
      'http://contoso-my.sharepoint.com/personal/a/x.csv',
      'https://contoso-my.sharepoint.com:8443/personal/a/x.csv',
      'https://sharepoint.com/x.csv',
      'https://contoso.sharepoint.com.evil.example/x.csv',
      'https://evil.example/contoso.sharepoint.com/x.csv',
      'https://evil.example/?.sharepoint.com',
      'https://contoso-my.sharepoint.com@evil.example/x.csv',
      'https://user:pass@contoso-my.sharepoint.com/x.csv',
      'https://contoso.sharepoint.us/x.csv',
      'https://169.254.169.254/metadata/identity',
      'http://127.0.0.1:3978/filer/x',
      'http://localhost/x',
      'file:///etc/passwd',
      'ftp://contoso.sharepoint.com/x',
      'javascript:alert(1)',
      '',
      'inte en adress',
    ]) {
      expect(isAllowedFileUrl(url)).toBe(false);
    }
  });

  it('when the run is local, then loopback is allowed besides SharePoint, and nothing else', () => {
    expect(isAllowedFileUrl('http://127.0.0.1:4000/lista.csv', true)).toBe(true);
    expect(isAllowedFileUrl('http://localhost:4000/lista.csv', true)).toBe(true);
    expect(isAllowedFileUrl(ONEDRIVE, true)).toBe(true);
    expect(isAllowedFileUrl('http://10.0.0.5/lista.csv', true)).toBe(false);
    expect(isAllowedFileUrl('https://evil.example/lista.csv', true)).toBe(false);
  });
});

describe('fetching a received file', () => {
  const fakeFetch = (answers: Record<string, Response>) => {
    const asked: string[] = [];
    const get = (async (url: string | URL | Request) => {
      asked.push(String(url));
      return answers[String(url)] ?? new Response('saknas', { status: 404 });
    }) as typeof fetch;
    return { asked, get };
  };

  it('when the address is not allowed, then nothing is fetched at all', async () => {
    const { asked, get } = fakeFetch({});
    for (const downloadUrl of ['http://127.0.0.1:9/x.csv', 'https://evil.example/x.csv']) {
      expect(await downloadReceived({ name: 'x.csv', downloadUrl }, 1000, { get })).toBeUndefined();
    }
    expect(asked).toEqual([]);
  });

  it('when SharePoint redirects within SharePoint, then the file comes; a redirect elsewhere is not followed', async () => {
    const next = 'https://contoso-my.sharepoint.com/personal/a/_api/file?x=1';
    const { asked, get } = fakeFetch({
      [ONEDRIVE]: new Response(null, { status: 302, headers: { location: next } }),
      [next]: new Response('kön;födelseår\n', { status: 200 }),
    });
    const bytes = await downloadReceived({ name: 'x.csv', downloadUrl: ONEDRIVE }, 1000, { get });
    expect(bytes?.toString('utf8')).toBe('kön;födelseår\n');
    expect(asked).toEqual([ONEDRIVE, next]);

    const away = fakeFetch({
      [ONEDRIVE]: new Response(null, {
        status: 302,
        headers: { location: 'http://169.254.169.254/metadata' },
      }),
    });
    expect(
      await downloadReceived({ name: 'x.csv', downloadUrl: ONEDRIVE }, 1000, { get: away.get }),
    ).toBeUndefined();
    expect(away.asked).toEqual([ONEDRIVE]);
  });

  it('when the file is larger than allowed, then it is not taken', async () => {
    const { get } = fakeFetch({ [ONEDRIVE]: new Response('x'.repeat(1001), { status: 200 }) });
    expect(
      await downloadReceived({ name: 'x.csv', downloadUrl: ONEDRIVE }, 1000, { get }),
    ).toBeUndefined();
  });
});
