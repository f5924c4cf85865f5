// Event Hubs namespace (Standard, Entra-only, TLS 1.2) with the hub Graph delivers to, the findings hub,
// graph-dlp's consumer group, and role assignments scoped to each hub (never the namespace).

metadata name = 'Event Hubs for graph-dlp'
metadata description = 'Standard namespace (Entra-only, TLS 1.2), notifications and findings hubs, consumer group, hub-scoped role assignments.'

import { roleAssignmentType } from 'common.bicep'

@description('Required. Name of the Event Hubs namespace (lower-case: KEDA and the JS checkpoint store must agree on its casing).')
@minLength(6)
@maxLength(50)
param name string

@description('Optional. Location for all resources.')
param location string = resourceGroup().location

@description('Optional. Tags applied to the namespace.')
param tags object = {}

@description('Optional. Throughput units of the Standard namespace.')
@minValue(1)
@maxValue(20)
param capacity int = 1

@description('Optional. Spread the namespace over availability zones where the region supports it.')
param zoneRedundant bool = true

@description('Optional. Name of the hub Microsoft Graph delivers change notifications to (lower-case).')
@minLength(1)
@maxLength(256)
param notificationsHubName string = 'notifications'

@description('Optional. Name of the hub graph-dlp writes findings to (lower-case).')
@minLength(1)
@maxLength(256)
param findingsHubName string = 'findings'

@description('Optional. Name of graph-dlp\'s consumer group on the notifications hub (lower-case).')
@minLength(1)
@maxLength(50)
param consumerGroupName string = 'graph-dlp'

@description('Optional. Partitions of the notifications hub. Also the upper bound for worker replicas; plan it up front (changing it means recreating the hub).')
@minValue(1)
@maxValue(32)
param partitionCount int = 4

@description('Optional. Partitions of the findings hub.')
@minValue(1)
@maxValue(32)
param findingsPartitionCount int = 2

@description('Optional. Days events are retained (Standard tier: at most 7). This is the replay window.')
@minValue(1)
@maxValue(7)
param messageRetentionInDays int = 7

@description('Optional. Role assignments on the notifications hub (worker: Data Receiver; Graph Change Tracking: Data Sender).')
param notificationsRoleAssignments roleAssignmentType[] = []

@description('Optional. Role assignments on the findings hub (worker: Data Sender).')
param findingsRoleAssignments roleAssignmentType[] = []

resource namespace 'Microsoft.EventHub/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
    capacity: capacity
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    zoneRedundant: zoneRedundant
    isAutoInflateEnabled: false
    kafkaEnabled: false
    publicNetworkAccess: 'Enabled'
  }
}

resource notificationsHub 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' = {
  parent: namespace
  name: notificationsHubName
  properties: {
    partitionCount: partitionCount
    messageRetentionInDays: messageRetentionInDays
  }
}

resource consumerGroup 'Microsoft.EventHub/namespaces/eventhubs/consumergroups@2024-01-01' = {
  parent: notificationsHub
  name: consumerGroupName
  properties: {
    userMetadata: 'graph-dlp worker; checkpoints in blob storage (blobMetadata layout)'
  }
}

resource findingsHub 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' = {
  parent: namespace
  name: findingsHubName
  properties: {
    partitionCount: findingsPartitionCount
    messageRetentionInDays: messageRetentionInDays
  }
}

resource notificationsRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for assignment in notificationsRoleAssignments: {
    name: guid(notificationsHub.id, assignment.principalId, assignment.roleDefinitionId)
    scope: notificationsHub
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleDefinitionId)
      principalId: assignment.principalId
      principalType: assignment.principalType
      description: assignment.?description ?? ''
    }
  }
]

resource findingsRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for assignment in findingsRoleAssignments: {
    name: guid(findingsHub.id, assignment.principalId, assignment.roleDefinitionId)
    scope: findingsHub
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleDefinitionId)
      principalId: assignment.principalId
      principalType: assignment.principalType
      description: assignment.?description ?? ''
    }
  }
]

@description('The name of the namespace.')
output name string = namespace.name

@description('The resource id of the namespace.')
output resourceId string = namespace.id

// serviceBusEndpoint is https://<ns>.servicebus.windows.net:443/ ; keep the host only.
@description('The fully qualified namespace host name, e.g. mynamespace.servicebus.windows.net (no scheme, no port).')
output fullyQualifiedNamespace string = toLower(split(split(namespace.properties.serviceBusEndpoint, '/')[2], ':')[0])

@description('The name of the notifications hub.')
output notificationsHubName string = notificationsHub.name

@description('The name of the findings hub.')
output findingsHubName string = findingsHub.name

@description('The name of the consumer group.')
output consumerGroupName string = consumerGroup.name

@description('The partition count of the notifications hub.')
output partitionCount int = partitionCount
