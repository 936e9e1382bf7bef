# Operational: naming, required labels, resource limits, probes, pinned dependencies, README,
# container health checks.
package agentic.operational

import data.agentic.lib
import rego.v1

rules := {
	"OPS-001": {"severity": "medium", "category": "operational", "title": "naming-convention",
		"description": "Kubernetes names are lower-case DNS labels; Terraform resource names are snake_case.",
		"remediation": "Rename to [a-z][a-z0-9-]* (Kubernetes) or [a-z][a-z0-9_]* (Terraform)."},
	"OPS-002": {"severity": "medium", "category": "operational", "title": "required-labels",
		"description": "Workloads and services carry the required app.kubernetes.io labels.",
		"remediation": "Add the labels listed in the message to metadata.labels."},
	"OPS-003": {"severity": "medium", "category": "operational", "title": "resource-limits",
		"description": "Every container sets CPU and memory requests and limits.",
		"remediation": "Set resources.requests and resources.limits (cpu and memory) on the container."},
	"OPS-004": {"severity": "medium", "category": "operational", "title": "probes",
		"description": "Every long-running container has liveness and readiness probes.",
		"remediation": "Add livenessProbe and readinessProbe (e.g. GET /health and GET /ready)."},
	"DOCKER-003": {"severity": "medium", "category": "operational", "title": "healthcheck-present",
		"description": "The final image declares a HEALTHCHECK.",
		"remediation": "Add HEALTHCHECK CMD ... to the final stage."},
	"DEPS-001": {"severity": "medium", "category": "operational", "title": "requirements-pinned",
		"description": "Every Python requirement is pinned with == (no wildcard).",
		"remediation": "Pin the requirement: package==1.2.3."},
	"DOC-001": {"severity": "low", "category": "operational", "title": "readme-present",
		"description": "The repository has a README.md at its root.",
		"remediation": "Add a README.md saying what the service does and how to run it."},
}

deny contains lib.result("OPS-001", rules["OPS-001"], sprintf("%s name '%s' is not a lower-case DNS label", [m.object.kind, name]), m.file, null, name) if {
	some m in lib.manifests
	name := lib.name_of(m)
	not regex.match(`^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$`, name)
}

deny contains lib.result("OPS-001", rules["OPS-001"], sprintf("Terraform name %s is not snake_case", [r.address]), r.file, r.line, r.address) if {
	some r in lib.resources
	not regex.match(`^[a-z][a-z0-9_]*$`, r.name)
}

labelled_kinds := lib.workload_kinds | {"Service"}

deny contains lib.result("OPS-002", rules["OPS-002"], concat("", [m.object.kind, " ", lib.name_of(m), " lacks labels ", concat(", ", sort(missing))]), m.file, null, lib.name_of(m)) if {
	some m in lib.manifests
	m.object.kind in labelled_kinds
	missing := {l | some l in data.agentic.required_labels} - object.keys(lib.labels_of(m))
	count(missing) > 0
}

long_running := {"Deployment", "StatefulSet", "DaemonSet", "Rollout"}

deny contains lib.result("OPS-003", rules["OPS-003"], sprintf("container %s of %s %s lacks %s", [c.name, m.object.kind, lib.name_of(m), need]), m.file, null, lib.name_of(m)) if {
	some m in lib.workloads
	some c in lib.containers(m)
	some need in ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory"]
	part := split(need, ".")
	not resource_set(c, part[0], part[1])
}

resource_set(c, kind, name) if object.get(object.get(c, "resources", {}), kind, {})[name] != null

deny contains lib.result("OPS-004", rules["OPS-004"], sprintf("container %s of %s %s has no %s", [c.name, m.object.kind, lib.name_of(m), probe]), m.file, null, lib.name_of(m)) if {
	some m in lib.workloads
	m.object.kind in long_running
	some c in object.get(lib.pod_spec(m), "containers", [])
	some probe in ["livenessProbe", "readinessProbe"]
	not c[probe]
}

deny contains lib.result("DOCKER-003", rules["DOCKER-003"], "the final stage has no HEALTHCHECK", d.file, null, null) if {
	some d in object.get(input, "dockerfiles", [])
	checks := [i | some i in d.final_instructions; i.cmd == "healthcheck"]
	not active_healthcheck(checks)
}

active_healthcheck(checks) if {
	count(checks) > 0
	upper(trim_space(checks[count(checks) - 1].value)) != "NONE"
}

# A requirement line: comments, blank lines and pip options (-r, -c, -e, --index-url ...) are not.
requirement(text) := trim_space(split(text, "#")[0]) if {
	t := trim_space(split(text, "#")[0])
	t != ""
	not startswith(t, "-")
}

deny contains lib.result("DEPS-001", rules["DEPS-001"], sprintf("%s is not pinned with ==", [req]), r.file, r.line, null) if {
	some r in object.get(input, "requirements", [])
	req := requirement(r.text)
	not pinned(req)
}

pinned(req) if {
	some clause in split(split(req, ";")[0], ",")
	regex.match(`^[A-Za-z0-9._\-\[\], ]*==\s*[^*\s]+$`, trim_space(clause))
}

pinned(req) if {
	some clause in split(split(req, ";")[0], ",")
	contains(clause, "==")
	not contains(clause, "*")
	regex.match(`==\s*[0-9A-Za-z.+!-]+\s*$`, clause)
}

deny contains lib.result("DOC-001", rules["DOC-001"], "README.md is missing at the repository root", null, null, null) if {
	object.get(input, "repository", false) == true
	not "README.md" in lib.files
}
