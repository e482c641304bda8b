import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_KOMMUNER,
  LOCAL_DEVELOPMENT_STORAGE,
  loadConfig,
} from '../../src/config.js';

const tenant = '6f1c2a44-5b7e-4d0e-9a6b-0c3f8e2d1a55';
const appId = '11111111-2222-4333-8444-555555555555';
const production = {
  APP_ENV: 'production',
  MICROSOFT_APP_ID: appId,
  MICROSOFT_APP_TYPE: 'UserAssignedMSI',
  MICROSOFT_APP_TENANT_ID: tenant,
  ALLOWED_TENANT_IDS: tenant,
  STORAGE_ACCOUNT_URL: 'https://finsam.table.core.windows.net',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('when nothing is set, then the bot runs locally on loopback against local Azurite without auth', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'local',
      host: '127.0.0.1',
      port: 3978,
      auth: { kind: 'none' },
      allowedTenantIds: [],
      storage: { kind: 'connectionString', connectionString: LOCAL_DEVELOPMENT_STORAGE },
      tablePrefix: 'finsam',
    });
    expect(config.kommuner).toEqual(DEFAULT_KOMMUNER);
  });

  it('when production is fully configured with a managed identity, then it loads', () => {
    const config = loadConfig(production);
    expect(config.auth).toEqual({ kind: 'UserAssignedMSI', appId, tenantId: tenant });
    expect(config.storage).toEqual({
      kind: 'accountUrl',
      accountUrl: 'https://finsam.table.core.windows.net',
    });
    expect(config.host).toBe('0.0.0.0');
  });

  it('when production lacks credentials, tenants and storage, then every problem is listed at once', () => {
    const problems = problemsOf({ APP_ENV: 'production' });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/MICROSOFT_APP_ID saknas/);
    expect(problems.join('\n')).toMatch(/ALLOWED_TENANT_IDS/);
    expect(problems.join('\n')).toMatch(/STORAGE_ACCOUNT_URL eller STORAGE_CONNECTION_STRING/);
  });

  it('when a single-tenant bot has no secret, then it is refused', () => {
    const problems = problemsOf({ ...production, MICROSOFT_APP_TYPE: 'SingleTenant' });
    expect(problems).toEqual([
      'MICROSOFT_APP_PASSWORD krävs när MICROSOFT_APP_TYPE är SingleTenant.',
    ]);
  });

  it('when production points at Azurite, then it is refused', () => {
    const { STORAGE_ACCOUNT_URL: _url, ...rest } = production;
    const problems = problemsOf({
      ...rest,
      STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
    });
    expect(problems.join('\n')).toMatch(/lokal utvecklingslagring/);
  });

  it.each([
    ['PORT', 'abc'],
    ['MICROSOFT_APP_ID', 'not-a-guid'],
    ['ALLOWED_TENANT_IDS', `${tenant},nonsense`],
    ['TABLE_PREFIX', '9bad-prefix'],
    ['LOG_LEVEL', 'loud'],
    ['APP_ENV', 'staging'],
  ])('when %s is "%s", then the error names the variable', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toContain(name);
  });

  it('when tenants and kommuner are listed with spaces and mixed case, then they are normalised', () => {
    const config = loadConfig({
      ALLOWED_TENANT_IDS: ` ${tenant.toUpperCase()} , `,
      FORBUND_KOMMUNER: 'Strängnäs, Eskilstuna',
    });
    expect(config.allowedTenantIds).toEqual([tenant]);
    expect(config.kommuner).toEqual(['Strängnäs', 'Eskilstuna']);
  });
});

describe('the länsdelar and insatser of the participant register', () => {
  const norra = {
    id: 'norra',
    name: 'Norra',
    kommuner: ['Eskilstuna', 'Strängnäs'],
    coaches: { Eskilstuna: 4.5, Strängnäs: 2 },
    participantsPerCoach: 20,
    planYears: 3,
    startDate: '2025-01-01',
  };

  it('when coaches are fractional, per kommun or in total, then the plan loads as written', () => {
    const config = loadConfig({
      LANSDELAR: JSON.stringify([
        norra,
        {
          ...norra,
          id: 'vastra',
          name: 'Västra',
          kommuner: ['Flen'],
          coaches: 2.5,
          planYears: 1.5,
        },
        {
          ...norra,
          id: 'sodra',
          name: 'Södra',
          kommuner: ['Trosa'],
          coaches: 1,
          plannedFlow: 55,
          planYears: undefined,
        },
      ]),
    });
    expect(
      config.program.lansdelar.map((l) => [l.id, l.coaches, l.planYears, l.plannedFlow]),
    ).toEqual([
      ['norra', { Eskilstuna: 4.5, Strängnäs: 2 }, 3, undefined],
      ['vastra', 2.5, 1.5, undefined],
      ['sodra', 1, undefined, 55],
    ]);
  });

  it('when a länsdel is wrong in several ways, then every problem is named in Swedish with where it is', () => {
    const problems = problemsOf({
      LANSDELAR: JSON.stringify([
        { ...norra, coaches: 'fyra', startDate: '2025-13-01' },
        { ...norra, id: 'x', participantsPerCoach: -1, planYears: undefined, coaches: { Flen: 2 } },
      ]),
    }).join('\n');
    expect(problems).toContain('LANSDELAR, post 1, coaches: ska vara ett antal coacher');
    expect(problems).toContain('LANSDELAR, post 1, startDate: Datumet ska skrivas ÅÅÅÅ-MM-DD');
    expect(problems).toContain('LANSDELAR, post 2, id: ska vara 2–40 tecken');
    expect(problems).toContain('LANSDELAR, post 2, participantsPerCoach: ska vara större än 0');
    expect(problems).toContain('LANSDELAR, post 2, planYears: ange planYears');
    expect(problems).toContain(
      'LANSDELAR, post 2, coaches: coacher per kommun får bara gälla länsdelens kommuner',
    );
    expect(problems).not.toMatch(/Invalid|expected|received/);
  });

  it('when LANSDELAR is not JSON or INSATSER has a fractional interval, then it says so in Swedish', () => {
    const problems = problemsOf({
      LANSDELAR: '[{id: norra}]',
      INSATSER: '[{"id":"sikta","name":"Sikta mot arbetslivet","followUpWeeks":6.5}]',
    }).join('\n');
    expect(problems).toContain('LANSDELAR: ska vara en JSON-lista');
    expect(problems).toContain('INSATSER, post 1, followUpWeeks: ska vara ett helt antal veckor');
  });

  it('when the bot is started with a bad LANSDELAR, then it exits with 78 and a Swedish message, without a stack trace', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
      env: {
        PATH: process.env.PATH,
        LANSDELAR: JSON.stringify([{ ...norra, coaches: -4.5 }]),
        PORT: '0',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(78);
    expect(run.stderr).toContain('Konfigurationen är ogiltig');
    expect(run.stderr).toContain('LANSDELAR, post 1, coaches');
    expect(run.stderr).toContain('Boten startas inte.');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
