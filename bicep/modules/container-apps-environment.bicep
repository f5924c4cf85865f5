// Container Apps managed environment (Consumption workload profile). Logs go to Log Analytics through
// diagnostic settings (destination 'azure-monitor'), which works with the workspace's local auth disabled.

metadata name = 'Container Apps environment for graph-dlp'
metadata description = 'Consumption workload profile; logs to Log Analytics via diagnostic settings.'

@description('Required. Name of the managed environment.')
@minLength(2)
@maxLength(60)
param name string

@description('Optional. Location for all resources.')
param location string = resourceGroup().location

@description('Optional. Tags applied to the environment.')
param tags object = {}

@description('Required. Resource id of the Log Analytics workspace that receives console and system logs.')
param logAnalyticsWorkspaceResourceId string

@description('Optional. Resource id of an infrastructure subnet (delegated to Microsoft.App/environments) for VNet integration; empty for none.')
param infrastructureSubnetResourceId string = ''

@description('Optional. Zone redundancy; requires a VNet (infrastructureSubnetResourceId).')
param zoneRedundant bool = false

resource environment 'Microsoft.App/managedEnvironments@2025-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'azure-monitor'
    }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
    ]
    zoneRedundant: zoneRedundant
    vnetConfiguration: empty(infrastructureSubnetResourceId)
      ? null
      : {
          infrastructureSubnetId: infrastructureSubnetResourceId
          internal: true
        }
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'graph-dlp-logs'
  scope: environment
  properties: {
    workspaceId: logAnalyticsWorkspaceResourceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

@description('The name of the environment.')
output name string = environment.name

@description('The resource id of the environment.')
output resourceId string = environment.id
