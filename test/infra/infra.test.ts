import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ENVIRONMENT_VARIABLES,
  isOptionalVariable,
  loadConfig,
  type ConfigError,
} from '../../src/config.js';
import { TABLE_NAMES } from '../../src/storage/table-store.js';
import { botRegionSettings } from '../../src/bot/bot-region.js';

/**
 * What can be checked about the Bicep templates without a Bicep compiler: names, parameters,
 * outputs and app settings are consistent with each other and with the code that reads them.
 */
const INFRA = 'infra';
const read = (path: string) => readFileSync(path, 'utf8');
const main = read(join(INFRA, 'main.bicep'));
const moduleFiles = readdirSync(join(INFRA, 'modules')).map((file) => join(INFRA, 'modules', file));
const paramFiles = readdirSync(join(INFRA, 'parameters')).map((f) => join(INFRA, 'parameters', f));
const allTemplates = [join(INFRA, 'main.bicep'), ...moduleFiles];

interface Param {
  readonly name: string;
  readonly hasDefault: boolean;
}

function withoutComments(bicep: string): string {
  return bicep.replace(/^\s*\/\/.*$/gm, '');
}

function paramsOf(bicep: string): Param[] {
  return [...withoutComments(bicep).matchAll(/^param (\w+) \w+( = .+)?$/gm)].map((m) => ({
    name: m[1]!,
    hasDefault: m[2] !== undefined,
  }));
}

function outputsOf(bicep: string): string[] {
  return [...bicep.matchAll(/^output (\w+) \w+ = /gm)].map((m) => m[1]!);
}

/** The text of the balanced `{ … }` block that opens at or after `from`. */
function blockAt(text: string, from: number): string {
  const start = text.indexOf('{', from);
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '{' || text[i] === '[') depth++;
    if (text[i] === '}' || text[i] === ']') depth--;
    if (depth === 0) return text.slice(start, i + 1);
  }
  throw new Error(`Unbalanced block at ${from}`);
}

/** Keys at the first level of an object block, with the source text of each value. */
function keysOf(block: string): Map<string, string> {
  const keys = new Map<string, string>();
  let depth = 0;
  for (const line of block.split('\n')) {
    const match = /^\s*(\w+): (.*)$/.exec(line);
    if (match && depth === 1) keys.set(match[1]!, match[2]!.trim());
    for (const char of line) {
      if (char === '{' || char === '[') depth++;
      if (char === '}' || char === ']') depth--;
    }
  }
  return keys;
}

const KEYWORDS = new Set([
  'param',
  'var',
  'resource',
  'module',
  'output',
  'existing',
  'for',
  'in',
  'if',
  'true',
  'false',
  'null',
  'string',
  'int',
  'bool',
  'object',
  'array',
  'targetScope',
  'using',
]);

/** The expression text of a line: string literals reduced to their `${…}` interpolations. */
function expressionsOf(line: string): string {
  return line.replace(/'(?:[^'\\]|\\.)*'/g, (literal) =>
    [...literal.matchAll(/\$\{([^}]*)\}/g)].map((m) => ` ${m[1]} `).join(' '),
  );
}

/** Identifiers a template refers to but never declares (param, var, resource, module, loop). */
function undeclaredIn(bicep: string): string[] {
  const text = withoutComments(bicep);
  const declared = new Set([
    ...[...text.matchAll(/^(?:param|var|resource|module|output) (\w+)/gm)].map((m) => m[1]!),
    ...[...text.matchAll(/\bfor (\w+) in\b/g)].map((m) => m[1]!),
  ]);
  const missing = new Set<string>();
  for (const line of text.split('\n')) {
    if (/^\s*@/.test(line)) continue;
    const code = expressionsOf(line);
    for (const match of code.matchAll(/(?<![.\w])([A-Za-z_]\w*)\b(?!\s*[:(])/g)) {
      const name = match[1]!;
      if (!KEYWORDS.has(name) && !declared.has(name)) missing.add(name);
    }
  }
  return [...missing];
}

interface ModuleUse {
  readonly symbol: string;
  readonly path: string;
  readonly params: Map<string, string>;
}

function modulesOf(bicep: string): ModuleUse[] {
  return [...bicep.matchAll(/^module (\w+) '([^']+)' = /gm)].map((m) => {
    const body = blockAt(bicep, m.index);
    const paramsAt = body.indexOf('params:');
    return {
      symbol: m[1]!,
      path: m[2]!,
      params: paramsAt < 0 ? new Map() : keysOf(blockAt(body, paramsAt)),
    };
  });
}

const modules = modulesOf(main);
const appServiceModule = modules.find((m) => m.path === 'modules/app-service.bicep')!;
const appSettingsSource = main.slice(main.indexOf('appSettings: {'));
const appSettings = keysOf(blockAt(appSettingsSource, 0));

describe('the Bicep templates hang together', () => {
  it('when main.bicep uses a module, then the file exists, every parameter it passes is declared and every required one is passed', () => {
    expect(modules.map((m) => m.path).sort()).toEqual(
      moduleFiles.map((file) => file.replace(`${INFRA}/`, '')).sort(),
    );
    for (const use of modules) {
      const declared = paramsOf(read(join(INFRA, use.path)));
      const names = declared.map((p) => p.name);
      for (const passed of use.params.keys()) {
        expect(names, `${use.path} declares ${passed}`).toContain(passed);
      }
      for (const required of declared.filter((p) => !p.hasDefault)) {
        expect([...use.params.keys()], `${use.symbol} passes ${required.name}`).toContain(
          required.name,
        );
      }
    }
  });

  it('when main.bicep reads a module output, then the module declares it', () => {
    const bySymbol = new Map(modules.map((m) => [m.symbol, outputsOf(read(join(INFRA, m.path)))]));
    const references = [...main.matchAll(/\b(\w+)\.outputs\.(\w+)/g)];
    expect(references.length).toBeGreaterThan(10);
    for (const [, symbol, output] of references) {
      expect(bySymbol.get(symbol!), `${symbol}.outputs.${output}`).toContain(output);
    }
  });

  it('when a template refers to a name, then it declares it (a typo would not compile)', () => {
    for (const file of allTemplates) {
      expect(undeclaredIn(read(file)), file).toEqual([]);
    }
    expect(undeclaredIn("param a string\nvar b = '${a}-${c}'\noutput d string = e.id\n")).toEqual([
      'c',
      'e',
    ]);
  });

  it('when a template declares a parameter, then it uses it', () => {
    for (const file of allTemplates) {
      const text = withoutComments(read(file));
      for (const { name } of paramsOf(text)) {
        const uses = text.match(new RegExp(`\\b${name}\\b`, 'g')) ?? [];
        expect(uses.length, `${file}: ${name} is used`).toBeGreaterThan(1);
      }
    }
  });

  it('when a parameters file sets a value, then main.bicep declares it, and every required parameter is set', () => {
    expect(paramFiles.map((file) => file.split('/').pop()).sort()).toEqual([
      'dev.bicepparam',
      'prod.bicepparam',
    ]);
    const declared = paramsOf(main);
    for (const file of paramFiles) {
      const text = read(file);
      const using = /^using '([^']+)'/m.exec(text)?.[1];
      expect(using && existsSync(resolve(dirname(file), using)), `${file} uses main.bicep`).toBe(
        true,
      );
      const set = [...withoutComments(text).matchAll(/^param (\w+) = /gm)].map((m) => m[1]!);
      for (const name of set) {
        expect(
          declared.map((p) => p.name),
          `${file}: ${name}`,
        ).toContain(name);
      }
      for (const required of declared.filter((p) => !p.hasDefault)) {
        expect(set, `${file} sets ${required.name}`).toContain(required.name);
      }
    }
  });

  it('when the storage module creates tables, then they are exactly the tables the code uses', () => {
    expect(JSON.parse(read(join(INFRA, 'tables.json')))).toEqual([...TABLE_NAMES]);
    expect(main).toContain("loadJsonContent('tables.json')");
  });
});

describe('the app settings match what src/config.ts reads', () => {
  it('when the templates set an app setting, then the config reads that variable', () => {
    expect(appServiceModule.params.get('appSettings')).toBe('{');
    expect(appSettings.size).toBeGreaterThan(10);
    for (const name of appSettings.keys()) {
      expect(ENVIRONMENT_VARIABLES, `config reads ${name}`).toContain(name);
    }
  });

  it('when the config reads a variable the templates do not set, then it is optional and documented in the README', () => {
    const readme = read('README.md');
    const unset = ENVIRONMENT_VARIABLES.filter((name) => !appSettings.has(name));
    expect(unset.sort()).toEqual([
      'HOST',
      'MICROSOFT_APP_PASSWORD',
      'PORT',
      'STORAGE_CONNECTION_STRING',
    ]);
    for (const name of unset) expect(isOptionalVariable(name), name).toBe(true);
    for (const name of ENVIRONMENT_VARIABLES) {
      expect(readme, `README documents ${name}`).toMatch(new RegExp(`^\\|[^\\n]*\`${name}\``, 'm'));
    }
  });

  it('when the app settings are given values of the shape the templates produce, then the production config loads', () => {
    const shapes: Record<string, string> = {
      MICROSOFT_APP_ID: '11111111-2222-4333-8444-555555555555',
      MICROSOFT_APP_TENANT_ID: '6f1c2a44-5b7e-4d0e-9a6b-0c3f8e2d1a55',
      AZURE_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
      ALLOWED_TENANT_IDS:
        '6f1c2a44-5b7e-4d0e-9a6b-0c3f8e2d1a55,0b0b0b0b-1111-4222-8333-444455556666',
      BOOTSTRAP_ADMIN_IDS: 'a0000000-0000-4000-8000-000000000001',
      FORBUND_KOMMUNER: '',
      // Bicep's string() of the array parameters: compact JSON.
      LANSDELAR:
        '[{"id":"norra","name":"Norra","kommuner":["Eskilstuna","Strängnäs"],"coaches":{"Eskilstuna":4.5,"Strängnäs":2},"participantsPerCoach":20,"planYears":3,"startDate":"2025-01-01"}]',
      INSATSER: '[{"id":"sikta","name":"Sikta mot arbetslivet","followUpWeeks":6}]',
      TENANT_ORGANISATIONS: '{"0b0b0b0b-1111-4222-8333-444455556666":"fk"}',
      STORAGE_ACCOUNT_URL: 'https://stfinsamprodabc.table.core.windows.net',
      APPLICATIONINSIGHTS_CONNECTION_STRING:
        'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://swedencentral-0.in.applicationinsights.azure.com/',
    };
    const defaults = new Map(
      [...main.matchAll(/^param (\w+) string = '([^']*)'$/gm)].map((m) => [m[1]!, m[2]!]),
    );
    const env: Record<string, string> = {};
    for (const [name, source] of appSettings) {
      const literal = /^'([^'$]*)'$/.exec(source)?.[1] ?? defaults.get(source);
      const value = literal ?? shapes[name] ?? (/^string\(\w+\)$/.test(source) ? '30' : undefined);
      const ternary = /\? '(\w+)' : '(\w+)'$/.exec(source)?.[1];
      env[name] = ternary ?? value ?? `no sample for ${name}`;
    }
    const config = loadConfig(env);
    expect(config.env).toBe('production');
    expect(config.auth.kind).toBe('UserAssignedMSI');
    expect(config.storage).toMatchObject({
      kind: 'accountUrl',
      managedIdentityClientId: env.MICROSOFT_APP_ID,
    });
    expect(appSettings.get('AZURE_CLIENT_ID')).toBe(appSettings.get('MICROSOFT_APP_ID'));
    expect(config.telemetry.connectionString).toBeDefined();
    expect(config.scheduler.enabled).toBe(true);
    expect(config.program.lansdelar.map((l) => l.id)).toEqual(['norra']);
    expect(config.retention.periods.endedParticipants).toBe(30);
    expect(config.botRegion).toBe('europe');
    expect(config.tenantOrganisations).toEqual({ '0b0b0b0b-1111-4222-8333-444455556666': 'fk' });
  });

  it('when an operations setting is malformed, then the config refuses it in Swedish', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ AZURE_CLIENT_ID: 'finsam-id' }).join()).toMatch(
      /AZURE_CLIENT_ID: ska vara ett GUID/,
    );
    expect(
      problems({ APPLICATIONINSIGHTS_CONNECTION_STRING: 'https://example.se' }).join(),
    ).toMatch(
      /APPLICATIONINSIGHTS_CONNECTION_STRING: ska vara en anslutningssträng till Application Insights/,
    );
    expect(problems({ SHUTDOWN_GRACE_SECONDS: '0' }).join()).toMatch(/SHUTDOWN_GRACE_SECONDS/);
    expect(loadConfig({ SHUTDOWN_GRACE_SECONDS: '45' }).shutdownGraceMs).toBe(45_000);
  });

  it('when the Teams app package needs values, then the deployment outputs them', () => {
    const placeholders = new Set(
      [...read('manifest/manifest.json').matchAll(/\$\{\{([A-Z_]+)\}\}/g)].map((m) => m[1]!),
    );
    const outputs = outputsOf(main).map((name) => name.replace(/([A-Z])/g, '_$1').toUpperCase());
    expect([...placeholders].sort()).toEqual(['BOT_DOMAIN', 'BOT_ID']);
    for (const key of placeholders) expect(outputs).toContain(key);
  });
});

describe('the templates keep secrets out and identity in', () => {
  const everything = [...allTemplates, ...paramFiles].map((file) => read(file)).join('\n');

  it('when the templates are searched, then no account key, key listing or key-based connection string appears', () => {
    for (const forbidden of [
      /listKeys\s*\(/i,
      /listConnectionStrings/i,
      /AccountKey=/i,
      /SharedAccessKey/i,
      /primaryKey/i,
      /MultiTenant/i,
    ]) {
      expect(everything).not.toMatch(forbidden);
    }
  });

  it('when storage is declared, then shared keys are off and the identity gets Storage Table Data Contributor', () => {
    const storage = read(join(INFRA, 'modules', 'storage.bicep'));
    expect(storage).toContain('allowSharedKeyAccess: false');
    expect(storage).toContain("'0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'");
    expect(storage).toContain("principalType: 'ServicePrincipal'");
  });

  it('when the bot and the app are declared, then they use the user-assigned identity, Node 20, two instances and Sweden Central', () => {
    const bot = read(join(INFRA, 'modules', 'bot.bicep'));
    const app = read(join(INFRA, 'modules', 'app-service.bicep'));
    expect(bot).toContain("msaAppType: 'UserAssignedMSI'");
    expect(appSettings.get('MICROSOFT_APP_TYPE')).toBe("'UserAssignedMSI'");
    expect(app).toContain("linuxFxVersion: 'NODE|20-lts'");
    expect(app).toMatch(/@minValue\(2\)\s+@description\([^)]*\)\s+param instanceCount int/);
    expect(main).toMatch(/@minValue\(2\)\s+param instanceCount int = 2/);
    expect(main).toContain("param location string = 'swedencentral'");
    expect(app).toContain("healthCheckPath: '/readyz'");
    expect(appSettings.get('APPLICATIONINSIGHTS_CONNECTION_STRING')).toMatch(
      /^'@Microsoft\.KeyVault\(SecretUri=/,
    );
  });

  it('when App Service starts the app, then it runs the command of npm run serve, with the heap capped', () => {
    const app = read(join(INFRA, 'modules', 'app-service.bicep'));
    const serve = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts
      .serve;
    expect(serve).toMatch(/^node --max-old-space-size=\d+ dist\/index\.js$/);
    expect(app).toContain(`appCommandLine: '${serve}'`);
  });

  it('when the bot is deployed, then the Bot Service is in the Europe region, the app uses its token service, and everything else is in Sweden Central', () => {
    const bot = withoutComments(read(join(INFRA, 'modules', 'bot.bicep')));
    expect(main).toMatch(
      /@allowed\(\[\s*'westeurope'\s*'global'\s*\]\)\s*param botLocation string = 'westeurope'/,
    );
    expect(bot).toMatch(/param location string = 'westeurope'/);
    expect(bot).not.toContain("location: 'global'");
    const resources = [...bot.matchAll(/^resource \w+ '[^']+' = \{/gm)];
    expect(resources.length).toBe(2);
    for (const resource of resources) {
      expect(keysOf(blockAt(bot, resource.index!)).get('location')).toBe('location');
    }
    const botModule = blockAt(main, main.indexOf("module bot 'modules/bot.bicep'"));
    expect(botModule).toMatch(/^\s*location: botLocation$/m);
    expect(appSettings.get('BOT_REGION')).toBe("botLocation == 'westeurope' ? 'europe' : 'global'");
    expect(loadConfig({ BOT_REGION: 'europe' }).botRegion).toBe('europe');
    expect(botRegionSettings('europe')).toMatchObject({
      OAuthUrl: 'https://europe.token.botframework.com',
      ToBotFromChannelOpenIdMetadataUrl:
        'https://login.botframework.com/v1/.well-known/openidconfiguration',
      ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
      ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
      ToChannelFromBotOAuthScope: 'https://api.botframework.com',
    });
    expect(botRegionSettings('global')).toEqual({});
    const otherModules = [...main.matchAll(/^module (\w+) 'modules\/([\w-]+)\.bicep'/gm)].filter(
      (m) => m[1] !== 'bot',
    );
    expect(otherModules.length).toBeGreaterThanOrEqual(5);
    for (const module of otherModules) {
      const block = blockAt(main, module.index!);
      const params = keysOf(blockAt(block, block.indexOf('params:')));
      expect(params.get('location'), `${module[1]} location`).toBe('location');
    }
  });
});
