using '../main.bicep'

param environmentName = 'prod'
param location = 'swedencentral'
param appServiceSkuName = 'P0v3'
param instanceCount = 2
param storageSkuName = 'Standard_ZRS'
param botSkuName = 'S1'
param logLevel = 'info'
param logRetentionDays = 90
param enablePurgeProtection = true
// Member organisations in other Microsoft 365 tenants, e.g. a kommun with its own tenant.
param allowedTenantIds = []
// Entra object ids of the first administratörer; more are added with /roller.
param bootstrapAdminIds = []
param forbundKommuner = []
