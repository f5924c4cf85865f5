// Key Vault holding the notification-encryption certificate (and optional secrets): RBAC authorization,
// soft delete and purge protection. Roles are assigned on the vault: certificates are not ARM resources,
// so there is no narrower ARM scope for the certificate the operator creates after deployment.

metadata name = 'Key Vault for graph-dlp'
metadata description = 'RBAC Key Vault with soft delete and purge protection for the Graph notification certificate.'

import { roleAssignmentType } from 'common.bicep'

@description('Required. Name of the vault (3-24 letters, digits and hyphens; globally unique; purge protection blocks reuse during the retention window).')
@minLength(3)
@maxLength(24)
param name string

@description('Optional. Location for all resources.')
param location string = resourceGroup().location

@description('Optional. Tags applied to the vault.')
param tags object = {}

@description('Optional. Vault SKU; premium allows HSM-backed keys.')
@allowed([
  'standard'
  'premium'
])
param sku string = 'standard'

@description('Optional. Days a deleted vault or object can be recovered.')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int = 90

@description('Optional. Role assignments on the vault.')
param roleAssignments roleAssignmentType[] = []

@description('Optional. Resource id of a Log Analytics workspace for the vault\'s audit logs (who read or used the private key); empty for none.')
param logAnalyticsWorkspaceResourceId string = ''

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: sku
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    // Irreversible once on; the service rejects an explicit false afterwards.
    enablePurgeProtection: true
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    publicNetworkAccess: 'Enabled'
  }
}

resource vaultRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for assignment in roleAssignments: {
    name: guid(vault.id, assignment.principalId, assignment.roleDefinitionId)
    scope: vault
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleDefinitionId)
      principalId: assignment.principalId
      principalType: assignment.principalType
      description: assignment.?description ?? ''
    }
  }
]

resource auditLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = if (!empty(logAnalyticsWorkspaceResourceId)) {
  name: 'graph-dlp-audit'
  scope: vault
  properties: {
    workspaceId: logAnalyticsWorkspaceResourceId
    logs: [
      {
        categoryGroup: 'audit'
        enabled: true
      }
    ]
  }
}

@description('The name of the vault.')
output name string = vault.name

@description('The resource id of the vault.')
output resourceId string = vault.id

@description('The vault URI, e.g. https://myvault.vault.azure.net/ (with trailing slash).')
output uri string = vault.properties.vaultUri
