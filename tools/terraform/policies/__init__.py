"""Security and reliability policies for Terraform resources (AWS, Google Cloud, Azure)."""
