# Helpers shared by every category: the result shape and common lookups.
package agentic.lib

import rego.v1

# result builds one violation: the rule's metadata plus where and what.
result(rule, meta, message, file, line, resource) := {
	"id": rule,
	"severity": meta.severity,
	"category": meta.category,
	"description": meta.description,
	"remediation": meta.remediation,
	"message": message,
	"file": file,
	"line": line,
	"resource": resource,
}

environment := object.get(input, "environment", "prod")

# The environment a file ships to: a directory of its path named after an environment of the limits
# table (deploy/prod/manifests.yaml → prod), else the environment being evaluated.
path_dirs(file) := array.slice(split(file, "/"), 0, count(split(file, "/")) - 1)

path_environments(file) := {dir | some dir in path_dirs(file); data.agentic.limits[dir]}

environment_of(file) := env if {
	envs := path_environments(file)
	count(envs) == 1
	some env in envs
}

environment_of(file) := environment if count(path_environments(file)) != 1

resources := object.get(object.get(input, "terraform", {}), "resources", [])

resource_types := {r.type | some r in resources}

resources_by_type := {kind: [r | some r in resources; r.type == kind] | some kind in resource_types}

resources_of(kind) := object.get(resources_by_type, kind, [])

attr(r, key, default_value) := object.get(object.get(r, "values", {}), key, default_value)

# blocks returns a nested block as a list whatever shape the source gave (object or list of objects).
blocks(r, key) := [b | some b in attr(r, key, [])] if is_array(attr(r, key, []))

blocks(r, key) := [attr(r, key, {})] if is_object(attr(r, key, []))

manifests := object.get(input, "kubernetes", [])

workload_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "Rollout"}

workloads := [m | some m in manifests; m.object.kind in workload_kinds]

# pod_spec of a workload (CronJob nests one level deeper, handled by the kinds above only).
pod_spec(m) := object.get(object.get(object.get(m.object, "spec", {}), "template", {}), "spec", {})

containers(m) := array.concat(
	object.get(pod_spec(m), "containers", []),
	object.get(pod_spec(m), "initContainers", []),
)

name_of(m) := object.get(object.get(m.object, "metadata", {}), "name", "?")

labels_of(m) := object.get(object.get(m.object, "metadata", {}), "labels", {})

files := object.get(input, "files", [])
