# Cost: instance sizes, storage and replica counts per environment (limits in data.json).
package agentic.cost

import data.agentic.lib
import rego.v1

rules := {
	"COST-001": {"severity": "medium", "category": "cost", "title": "instance-size-limit",
		"description": "Instance, database and cache node sizes stay within the environment's allowance.",
		"remediation": "Pick a smaller size, or ask the platform team to raise the environment's limit."},
	"COST-002": {"severity": "medium", "category": "cost", "title": "storage-limit",
		"description": "Volumes and database storage stay within the environment's GiB allowance.",
		"remediation": "Reduce the size, or ask the platform team to raise the environment's limit."},
	"COST-003": {"severity": "medium", "category": "cost", "title": "replica-limit",
		"description": "Workload replicas and autoscaling maxima stay within the environment's allowance.",
		"remediation": "Lower replicas / maxReplicas for this environment."},
}

limits := data.agentic.limits[lib.environment]

size_attributes := {
	"aws_instance": "instance_type",
	"aws_launch_template": "instance_type",
	"aws_db_instance": "instance_class",
	"aws_rds_cluster_instance": "instance_class",
	"aws_elasticache_cluster": "node_type",
	"aws_elasticache_replication_group": "node_type",
}

deny contains lib.result("COST-001", rules["COST-001"], concat("", [sprintf("%s uses %s; %s allows sizes ", [r.address, kind, lib.environment]), concat(", ", limits.instance_sizes)]), r.file, r.line, r.address) if {
	some r in lib.resources
	kind := lib.attr(r, size_attributes[r.type], "")
	is_string(kind)
	not contains(kind, "${")
	parts := split(kind, ".")
	count(parts) >= 2
	not parts[count(parts) - 1] in limits.instance_sizes
}

storage_attributes := {
	"aws_ebs_volume": "size",
	"aws_db_instance": "allocated_storage",
	"aws_rds_cluster": "allocated_storage",
}

deny contains lib.result("COST-002", rules["COST-002"], sprintf("%s asks for %v GiB; %s allows %v", [r.address, size, lib.environment, limits.max_storage_gb]), r.file, r.line, r.address) if {
	some r in lib.resources
	some key in [storage_attributes[r.type], "max_allocated_storage"]
	size := lib.attr(r, key, 0)
	is_number(size)
	size > limits.max_storage_gb
}

# Each manifest is judged against the limits of the environment it ships to (deploy/<env>/...).
deny contains lib.result("COST-003", rules["COST-003"], sprintf("%s %s asks for %v replicas; %s allows %v", [m.object.kind, lib.name_of(m), n, env, max_replicas]), m.file, null, lib.name_of(m)) if {
	some m in lib.manifests
	n := replicas(m.object)
	is_number(n)
	env := lib.environment_of(m.file)
	max_replicas := data.agentic.limits[env].max_replicas
	n > max_replicas
}

replicas(obj) := object.get(obj.spec, "maxReplicas", 0) if obj.kind == "HorizontalPodAutoscaler"

replicas(obj) := object.get(object.get(obj, "spec", {}), "replicas", 0) if obj.kind in lib.workload_kinds
