"""Terraform validation without an LLM: HCL loading, reference checks, security policies, CLI tools.

The entry point is `tools.terraform.validate.validate_terraform`; `policy_catalogue` lists the checks.
"""
