terraform {
  required_version = ">= 1.9.0"

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.42"
    }
  }
}

provider "azurerm" {
  features {}

  # Shared keys are off by default: data-plane calls authenticate with Entra ID.
  storage_use_azuread = true
}
