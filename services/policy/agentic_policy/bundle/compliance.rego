# Compliance: tags, backups, logging, catalogue ownership.
package agentic.compliance

import data.agentic.lib
import rego.v1

rules := {
	"CMP-001": {"severity": "medium", "category": "compliance", "title": "required-tags",
		"description": "Taggable AWS resources carry the owner, data-classification and cost-centre tags.",
		"remediation": "Add the tags to the resource or to the aws provider's default_tags."},
	"CMP-002": {"severity": "medium", "category": "compliance", "title": "backups",
		"description": "Databases keep backups (retention per environment; DynamoDB point-in-time recovery in staging and prod).",
		"remediation": "Set backup_retention_period, or point_in_time_recovery { enabled = true }."},
	"CMP-003": {"severity": "medium", "category": "compliance", "title": "access-logging",
		"description": "Load balancers and S3 buckets write access logs.",
		"remediation": "Enable access_logs on the load balancer / add an aws_s3_bucket_logging for the bucket."},
	"CAT-001": {"severity": "medium", "category": "compliance", "title": "catalog-info-valid",
		"description": "catalog-info.yaml exists at the root and every entity names metadata.name and spec.owner.",
		"remediation": "Add catalog-info.yaml with metadata.name and spec.owner for each entity."},
}

taggable := {t | some t in data.agentic.taggable_resources}

required_tags := data.agentic.required_tags

providers := object.get(object.get(input, "terraform", {}), "providers", [])

default_tags := {k |
	some p in providers
	some b in object.get(p, "default_tags", [])
	is_object(object.get(b, "tags", {}))
	some k in object.keys(object.get(b, "tags", {}))
}

# A tag map computed by an expression (HCL without a plan) cannot be read; it is given the benefit of
# the doubt, and a plan JSON gives the definitive answer through tags_all.
computed_tags if {
	some p in providers
	some b in object.get(p, "default_tags", [])
	is_string(object.get(b, "tags", {}))
}

resource_tags(r) := object.keys(map_or_empty(lib.attr(r, "tags_all", {}))) | object.keys(map_or_empty(lib.attr(r, "tags", {})))

map_or_empty(x) := x if is_object(x)

map_or_empty(x) := {} if not is_object(x)

deny contains lib.result("CMP-001", rules["CMP-001"], concat("", [r.address, " lacks the tags ", concat(", ", sort(missing))]), r.file, r.line, r.address) if {
	some r in lib.resources
	r.type in taggable
	not object.get(r, "mode", "managed") == "data"
	not computed_tags
	not is_string(lib.attr(r, "tags", {}))
	missing := {t | some t in required_tags} - (resource_tags(r) | default_tags)
	count(missing) > 0
}

min_backup_days := data.agentic.limits[lib.environment].min_backup_days

deny contains lib.result("CMP-002", rules["CMP-002"], sprintf("%s keeps backups %v days; %s needs %v", [r.address, days, lib.environment, min_backup_days]), r.file, r.line, r.address) if {
	some r in lib.resources
	r.type in {"aws_db_instance", "aws_rds_cluster"}
	days := lib.attr(r, "backup_retention_period", 0)
	is_number(days)
	days < min_backup_days
}

deny contains lib.result("CMP-002", rules["CMP-002"], sprintf("%s has no point-in-time recovery", [r.address]), r.file, r.line, r.address) if {
	lib.environment in {"staging", "prod"}
	some r in lib.resources_of("aws_dynamodb_table")
	not pitr_enabled(r)
}

pitr_enabled(r) if {
	some b in lib.blocks(r, "point_in_time_recovery")
	b.enabled == true
}

deny contains lib.result("CMP-003", rules["CMP-003"], sprintf("%s has no access logs", [r.address]), r.file, r.line, r.address) if {
	some r in lib.resources
	r.type in {"aws_lb", "aws_alb"}
	not logs_enabled(r)
}

logs_enabled(r) if {
	some b in lib.blocks(r, "access_logs")
	b.enabled == true
}

bucket_logging_configured if count(lib.resources_of("aws_s3_bucket_logging")) > 0

deny contains lib.result("CMP-003", rules["CMP-003"], sprintf("%s has no access logging", [r.address]), r.file, r.line, r.address) if {
	some r in lib.resources_of("aws_s3_bucket")
	count(lib.blocks(r, "logging")) == 0
	not bucket_logging_configured
}

catalogs := object.get(input, "catalog", [])

deny contains lib.result("CAT-001", rules["CAT-001"], "catalog-info.yaml is missing at the repository root", null, null, null) if {
	object.get(input, "repository", false) == true
	count(catalogs) == 0
}

deny contains lib.result("CAT-001", rules["CAT-001"], sprintf("entity %v of %s lacks %s", [i + 1, c.file, field]), c.file, null, null) if {
	some c in catalogs
	some i, entity in c.entities
	object.get(entity, "kind", "") != "Location"
	some field in ["metadata.name", "spec.owner"]
	path := split(field, ".")
	object.get(object.get(entity, path[0], {}), path[1], "") == ""
}

deny contains lib.result("CAT-001", rules["CAT-001"], sprintf("%s is not valid YAML", [c.file]), c.file, null, null) if {
	some c in catalogs
	c.error
}
