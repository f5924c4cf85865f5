// Shared constants and types, imported by the other modules (`import { ... } from 'common.bicep'`).
// Not deployed by itself.

metadata name = 'graph-dlp shared constants and types'
metadata description = 'Built-in role ids, the Graph Change Tracking app id and role-assignment types shared by the modules.'

@export()
@description('Built-in Azure role definition ids (GUIDs) used by graph-dlp. Pinned here once; test/unit/deploy-bicep.test.ts checks them against the role table in the deployment reference.')
var builtInRoleIds = {
  eventHubsDataReceiver: 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde'
  eventHubsDataSender: '2b629674-e913-4c01-ae53-ef4638d8f975'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  keyVaultCryptoUser: '12338af0-0e69-4776-bea7-57ae8d297424'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  keyVaultCertificateUser: 'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba'
  keyVaultCertificatesOfficer: 'a4417e6f-fecd-4de8-b567-7b0420556985'
  acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d'
}

@export()
@description('Global application (client) id of the "Microsoft Graph Change Tracking" first-party app. Its service principal object id differs per tenant.')
var graphChangeTrackingAppId = '0bf30f3b-4a52-48df-9a82-234910c4a086'

@export()
@description('One role assignment at the scope chosen by the module that takes it.')
type roleAssignmentType = {
  @description('Required. Built-in role definition GUID (see builtInRoleIds).')
  roleDefinitionId: string

  @description('Required. Object id of the principal that receives the role.')
  principalId: string

  @description('Required. Principal type; set explicitly so fresh identities and foreign service principals do not hit replication-delay failures.')
  principalType: 'ServicePrincipal' | 'User' | 'Group'

  @description('Optional. Why this assignment exists (shown in the portal).')
  description: string?
}

@export()
@description('One role assignment on a named blob container of the storage module.')
type containerRoleAssignmentType = {
  @description('Required. Name of the blob container (must be one of the containers the module creates).')
  containerName: string

  @description('Required. Built-in role definition GUID (see builtInRoleIds).')
  roleDefinitionId: string

  @description('Required. Object id of the principal that receives the role.')
  principalId: string

  @description('Required. Principal type.')
  principalType: 'ServicePrincipal' | 'User' | 'Group'

  @description('Optional. Why this assignment exists (shown in the portal).')
  description: string?
}
