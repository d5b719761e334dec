output "thing_group_name" {
  description = "Thing group of the core devices (the deployment target)."
  value       = aws_iot_thing_group.this.name
}

output "thing_group_arn" {
  description = "ARN of the thing group, for create-deployment --target-arn."
  value       = aws_iot_thing_group.this.arn
}

output "core_device_thing_names" {
  description = "IoT thing names of the registered core devices (pass one to the Greengrass installer as --thing-name)."
  value       = aws_iot_thing.core[*].name
}

output "core_device_policy_name" {
  description = "IoT policy to attach to each core device's certificate (installer --thing-policy-name)."
  value       = aws_iot_policy.core_device.name
}

output "token_exchange_role_alias" {
  description = "Role alias the devices use for AWS credentials (installer --tes-role-alias-name)."
  value       = aws_iot_role_alias.token_exchange.alias
}

output "token_exchange_role_name" {
  description = "Token exchange role (installer --tes-role-name); add the permissions your component needs to it."
  value       = aws_iam_role.token_exchange.name
}

output "artifact_bucket" {
  description = "Bucket holding the component artifacts and recipes."
  value       = aws_s3_bucket.artifacts.id
}

output "component_recipe" {
  description = "Greengrass component recipe (JSON) of this component version."
  value       = local.recipe_json
}

output "recipe_s3_uri" {
  description = "Where the recipe was uploaded."
  value       = "s3://${aws_s3_bucket.artifacts.id}/${aws_s3_object.recipe.key}"
}

output "publish_component_command" {
  description = "Publishes this component version to Greengrass (the provider has no resource for it)."
  value       = "aws s3 cp s3://${aws_s3_bucket.artifacts.id}/${aws_s3_object.recipe.key} recipe.json && aws greengrassv2 create-component-version --region ${var.region} --inline-recipe fileb://recipe.json"
}

output "deploy_command" {
  description = "Deploys the published component version to every device of the thing group."
  value       = "aws greengrassv2 create-deployment --region ${var.region} --target-arn ${aws_iot_thing_group.this.arn} --deployment-name ${var.name}-${var.component_version} --components '${jsonencode({ (var.component_name) = { componentVersion = var.component_version } })}'"
}
