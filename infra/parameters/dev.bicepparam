using '../main.bicep'

param environmentName = 'dev'
param location = 'swedencentral'
param appServiceSkuName = 'B1'
param instanceCount = 2
param storageSkuName = 'Standard_LRS'
param botSkuName = 'F0'
param logLevel = 'debug'
param logRetentionDays = 30
param enablePurgeProtection = false
param allowedTenantIds = []
param bootstrapAdminIds = []
