// Log Analytics workspace for Container Apps console/system logs (via diagnostic settings, Entra-only ingestion).

metadata name = 'Log Analytics for graph-dlp'
metadata description = 'Workspace with local auth disabled.'

@description('Required. Name of the Log Analytics workspace.')
@minLength(4)
@maxLength(63)
param name string

@description('Optional. Location for all resources.')
param location string = resourceGroup().location

@description('Optional. Tags applied to the workspace.')
param tags object = {}

@description('Optional. Days to keep logs in the workspace.')
@minValue(30)
@maxValue(730)
param retentionInDays int = 30

@description('Optional. Daily ingestion cap in GB; -1 means no cap.')
param dailyQuotaGb int = -1

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
    features: {
      // Shared-key ingestion off: the Container Apps environment ships logs with destination 'azure-monitor'
      // plus diagnostic settings, which keep working with local auth disabled.
      disableLocalAuth: true
      enableLogAccessUsingOnlyResourcePermissions: true
    }
    workspaceCapping: {
      dailyQuotaGb: dailyQuotaGb
    }
  }
}

@description('The name of the workspace.')
output name string = workspace.name

@description('The resource id of the workspace.')
output resourceId string = workspace.id

@description('The workspace (customer) id used in queries.')
output workspaceId string = workspace.properties.customerId
