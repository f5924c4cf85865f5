// Storage account for checkpoints/ownership, dead-letters and blob findings: Entra-only (no shared keys),
// TLS 1.2, no public blob access, no versioning (the checkpoint store writes metadata in place).

metadata name = 'Checkpoint storage for graph-dlp'
metadata description = 'Keyless StorageV2 account with checkpoint, dead-letter, findings and control containers and container-scoped role assignments.'

import { containerRoleAssignmentType } from 'common.bicep'

@description('Required. Name of the storage account (3-24 lower-case letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Optional. Location for all resources.')
param location string = resourceGroup().location

@description('Optional. Tags applied to the account.')
param tags object = {}

@description('Optional. Redundancy of the account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param skuName string = 'Standard_LRS'

@description('Optional. Blob containers to create (lower-case). graph-dlp uses checkpoints, deadletters and findings.')
param containerNames string[] = [
  'checkpoints'
  'deadletters'
  'findings'
]

@description('Optional. Days deleted containers can be restored (0 disables container soft delete).')
@minValue(0)
@maxValue(365)
param containerDeleteRetentionDays int = 7

@description('Optional. Role assignments scoped to single containers.')
param containerRoleAssignments containerRoleAssignmentType[] = []

resource account 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' = {
  parent: account
  name: 'default'
  properties: {
    // Versioning and blob soft delete make the checkpoint store's metadata writes slow (azure-sdk-for-js#10132).
    isVersioningEnabled: false
    deleteRetentionPolicy: {
      enabled: false
    }
    containerDeleteRetentionPolicy: {
      enabled: containerDeleteRetentionDays > 0
      days: containerDeleteRetentionDays > 0 ? containerDeleteRetentionDays : null
    }
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = [
  for containerName in containerNames: {
    parent: blobService
    name: containerName
    properties: {
      publicAccess: 'None'
    }
  }
]

resource containerRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for assignment in containerRoleAssignments: {
    name: guid(account.id, assignment.containerName, assignment.principalId, assignment.roleDefinitionId)
    scope: containers[indexOf(containerNames, assignment.containerName)]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleDefinitionId)
      principalId: assignment.principalId
      principalType: assignment.principalType
      description: assignment.?description ?? ''
    }
  }
]

@description('The name of the storage account.')
output name string = account.name

@description('The resource id of the storage account.')
output resourceId string = account.id

@description('The blob endpoint without a trailing slash, e.g. https://myaccount.blob.core.windows.net.')
output blobUrl string = 'https://${account.name}.blob.${environment().suffixes.storage}'

@description('The containers created.')
output containerNames string[] = containerNames
