// User-assigned managed identity of the worker: Event Hubs, Blob, Key Vault, image pull and the KEDA scaler all use it.

metadata name = 'graph-dlp worker identity'
metadata description = 'User-assigned managed identity.'

@description('Required. Name of the user-assigned managed identity.')
@minLength(3)
@maxLength(128)
param name string

@description('Optional. Location for all resources.')
param location string = resourceGroup().location

@description('Optional. Tags applied to the identity.')
param tags object = {}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

@description('The name of the identity.')
output name string = identity.name

@description('The resource id of the identity (used on the container app, its registry and its scale rule).')
output resourceId string = identity.id

@description('The object (principal) id of the identity, used in role assignments.')
output principalId string = identity.properties.principalId

@description('The client id of the identity; the container gets it as AZURE_CLIENT_ID.')
output clientId string = identity.properties.clientId
