// AcrPull for the worker identity on an existing container registry (deployed at the registry's resource group).

metadata name = 'AcrPull for graph-dlp'
metadata description = 'AcrPull role for the worker identity on an existing registry.'

import { builtInRoleIds } from 'common.bicep'

@description('Required. Name of the existing Azure Container Registry in this module\'s resource group.')
@minLength(5)
@maxLength(50)
param registryName string

@description('Required. Object id of the identity that pulls the image.')
param principalId string

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: registryName
}

resource acrPullRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, principalId, builtInRoleIds.acrPull)
  scope: registry
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoleIds.acrPull)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'graph-dlp worker pulls its image'
  }
}

@description('The registry login server, e.g. myregistry.azurecr.io.')
output loginServer string = registry.properties.loginServer
