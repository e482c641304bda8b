// Finsam in one resource group: managed identity, storage with the tables, Key Vault,
// monitoring, App Service and the Azure Bot. Deploy with:
//   az deployment group create -g <group> -f infra/main.bicep -p infra/parameters/<env>.bicepparam
targetScope = 'resourceGroup'

@description('Short name of the environment, e.g. dev or prod; part of every resource name.')
@minLength(2)
@maxLength(8)
param environmentName string

@description('Region for everything except the Azure Bot. Sweden Central keeps the data in Sweden.')
param location string = 'swedencentral'

@description('Region of the Azure Bot: westeurope is the Bot Service with data residency in the EU (the bot then uses the European token service, BOT_REGION=europe); global only for a test bot.')
@allowed([
  'westeurope'
  'global'
])
param botLocation string = 'westeurope'

@description('First part of every resource name.')
@minLength(2)
@maxLength(12)
param appName string = 'finsam'

@description('Tenant ids of member organisations whose Teams may use the bot, besides this subscription\'s own tenant.')
param allowedTenantIds array = []

@description('Tenant id to organisation id for members in other tenants, e.g. { \'<FK tenant id>\': \'fk\' }; each tenant is also served.')
param tenantOrganisations object = {}

@description('Teams user ids or Entra object ids that are always administratör.')
param bootstrapAdminIds array = []

@description('The förbund\'s kommuner; empty means the default list in src/config.ts.')
param forbundKommuner array = []

@description('Prefix of every table name.')
param tablePrefix string = 'finsam'

@allowed([
  'debug'
  'info'
  'warn'
  'error'
])
param logLevel string = 'info'

@description('App Service plan SKU (Linux).')
param appServiceSkuName string = 'P0v3'

@minValue(2)
param instanceCount int = 2

@description('Standard_ZRS in production; Standard_LRS is enough for dev.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GZRS'
])
param storageSkuName string = 'Standard_ZRS'

@allowed([
  'F0'
  'S1'
])
param botSkuName string = 'S1'

@minValue(30)
@maxValue(730)
param logRetentionDays int = 90

param enablePurgeProtection bool = true

param schedulerEnabled bool = true

@minValue(1)
@maxValue(3600)
param reminderTickSeconds int = 15

@minValue(1)
@maxValue(10080)
param reminderGraceMinutes int = 360

@minValue(1)
@maxValue(3600)
param reminderLeaseSeconds int = 120

@minValue(1)
@maxValue(300)
param shutdownGraceSeconds int = 20

@minValue(1)
@maxValue(60)
param connectorTimeoutSeconds int = 10

@description('The least time between two updates of the cards posted in a meeting\'s channel, in milliseconds (the first change updates them at once).')
@minValue(0)
@maxValue(10000)
param cardUpdateDelayMs int = 1000

@description('Run the daily gallring (instances coordinate through a lease row per day).')
param retentionEnabled bool = true

@description('Stockholm time (HH:mm) from which the daily gallring runs.')
param retentionDailyAt string = '03:00'

@description('Days a closed case is kept before it is reduced to anonymous statistics (the förbund\'s gallring rules).')
@minValue(1)
@maxValue(36500)
param retentionClosedCaseDays int = 730

@description('Days an audit entry is kept.')
@minValue(1)
@maxValue(36500)
param retentionAuditDays int = 1095

@description('Days a participant who ended (avbrott, avslutad) is kept before removal.')
@minValue(1)
@maxValue(36500)
param retentionParticipantDays int = 1825

@description('Länsdelar of the participant register: [{ id, name, kommuner, coaches (a number, decimals allowed, or one per kommun), participantsPerCoach, planYears or plannedFlow, startDate }]. Empty: the built-in example.')
param lansdelar array = []

@description('Insatser of the participant register: [{ id, name, followUpWeeks }]. Empty: the built-in example.')
param insatser array = []

var namePrefix = '${appName}-${environmentName}'
var suffix = uniqueString(resourceGroup().id, environmentName)
var tags = {
  app: appName
  environment: environmentName
}
var physicalTableNames = [
  for table in loadJsonContent('tables.json'): '${tablePrefix}${toUpper(substring(table, 0, 1))}${substring(table, 1)}'
]

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: '${namePrefix}-id'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    namePrefix: namePrefix
    location: location
    tags: tags
    retentionDays: logRetentionDays
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: take('st${toLower(appName)}${toLower(environmentName)}${suffix}', 24)
    location: location
    tags: tags
    skuName: storageSkuName
    tableNames: physicalTableNames
    dataContributorPrincipalId: identity.outputs.principalId
  }
}

module keyVault 'modules/key-vault.bicep' = {
  name: 'key-vault'
  params: {
    name: take('kv-${toLower(appName)}-${toLower(environmentName)}-${suffix}', 24)
    location: location
    tags: tags
    readerPrincipalId: identity.outputs.principalId
    appInsightsName: monitoring.outputs.appInsightsName
    enablePurgeProtection: enablePurgeProtection
  }
}

module appService 'modules/app-service.bicep' = {
  name: 'app-service'
  params: {
    // The web app's host name is global: the suffix keeps two förbund's deployments apart.
    namePrefix: '${namePrefix}-${take(suffix, 6)}'
    location: location
    tags: tags
    skuName: appServiceSkuName
    instanceCount: instanceCount
    identityId: identity.outputs.id
    appSettings: {
      APP_ENV: 'production'
      LOG_LEVEL: logLevel
      MICROSOFT_APP_ID: identity.outputs.clientId
      MICROSOFT_APP_TYPE: 'UserAssignedMSI'
      MICROSOFT_APP_TENANT_ID: identity.outputs.tenantId
      ALLOWED_TENANT_IDS: join(union([subscription().tenantId], allowedTenantIds), ',')
      TENANT_ORGANISATIONS: string(tenantOrganisations)
      BOT_REGION: botLocation == 'westeurope' ? 'europe' : 'global'
      BOOTSTRAP_ADMIN_IDS: join(bootstrapAdminIds, ',')
      FORBUND_KOMMUNER: join(forbundKommuner, ',')
      STORAGE_ACCOUNT_URL: 'https://${storage.outputs.name}.table.${environment().suffixes.storage}'
      AZURE_CLIENT_ID: identity.outputs.clientId
      TABLE_PREFIX: tablePrefix
      SCHEDULER_ENABLED: schedulerEnabled ? 'true' : 'false'
      REMINDER_TICK_SECONDS: string(reminderTickSeconds)
      REMINDER_GRACE_MINUTES: string(reminderGraceMinutes)
      REMINDER_LEASE_SECONDS: string(reminderLeaseSeconds)
      CONNECTOR_TIMEOUT_SECONDS: string(connectorTimeoutSeconds)
      CARD_UPDATE_DELAY_MS: string(cardUpdateDelayMs)
      SHUTDOWN_GRACE_SECONDS: string(shutdownGraceSeconds)
      RETENTION_ENABLED: retentionEnabled ? 'true' : 'false'
      RETENTION_DAILY_AT: retentionDailyAt
      RETENTION_CLOSED_CASE_DAYS: string(retentionClosedCaseDays)
      RETENTION_AUDIT_DAYS: string(retentionAuditDays)
      RETENTION_PARTICIPANT_DAYS: string(retentionParticipantDays)
      LANSDELAR: empty(lansdelar) ? '' : string(lansdelar)
      INSATSER: empty(insatser) ? '' : string(insatser)
      APPLICATIONINSIGHTS_CONNECTION_STRING: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.telemetrySecretUri})'
    }
  }
}

module bot 'modules/bot.bicep' = {
  name: 'bot'
  params: {
    name: '${namePrefix}-bot-${suffix}'
    tags: tags
    displayName: 'Finsam'
    domain: appService.outputs.defaultHostName
    identityClientId: identity.outputs.clientId
    identityId: identity.outputs.id
    tenantId: identity.outputs.tenantId
    skuName: botSkuName
    location: botLocation
  }
}

@description('BOT_ID for env/.env.<environment> and the Teams app package.')
output botId string = bot.outputs.botId

@description('BOT_DOMAIN for env/.env.<environment> and the Teams app package.')
output botDomain string = appService.outputs.defaultHostName

output webAppName string = appService.outputs.name
output storageAccountName string = storage.outputs.name
output keyVaultName string = keyVault.outputs.name
output appInsightsName string = monitoring.outputs.appInsightsName
output tenantId string = identity.outputs.tenantId
