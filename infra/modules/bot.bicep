@description('Azure Bot resource name, globally unique.')
param name string

param tags object

@description('Shown in the Bot Service; the Teams name comes from the app package.')
param displayName string

@description('Host name the bot is served from, e.g. finsam-prod-3kd8x2-app.azurewebsites.net.')
param domain string

@description('Client id of the user-assigned managed identity: the bot id.')
param identityClientId string

@description('Resource id of the same managed identity.')
param identityId string

param tenantId string

@description('Where the Bot Service keeps and processes its data: westeurope is the regional (EU) Bot Service; global leaves data residency unrestricted.')
@allowed([
  'westeurope'
  'global'
])
param location string = 'westeurope'

@allowed([
  'F0'
  'S1'
])
param skuName string

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: name
  location: location
  tags: tags
  kind: 'azurebot'
  sku: {
    name: skuName
  }
  properties: {
    displayName: displayName
    endpoint: 'https://${domain}/api/messages'
    msaAppId: identityClientId
    msaAppType: 'UserAssignedMSI'
    msaAppMSIResourceId: identityId
    msaAppTenantId: tenantId
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: location
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
      deploymentEnvironment: 'CommercialDeployment'
    }
  }
}

output botId string = bot.properties.msaAppId
