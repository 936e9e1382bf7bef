# Security: public buckets, encryption at rest, IAM wildcards, open security groups, secret files,
# container images and users.
package agentic.security

import data.agentic.lib
import rego.v1

rules := {
	"SEC-002": {"severity": "critical", "category": "security", "title": "no-env-or-key-files",
		"description": "No .env files or private keys are committed.",
		"remediation": "Delete the file, rotate what it held, and commit an .env.example without values."},
	"SEC-010": {"severity": "critical", "category": "security", "title": "s3-not-public",
		"description": "S3 buckets are never public (no public ACL, public access block fully on).",
		"remediation": "Use a private ACL and an aws_s3_bucket_public_access_block with all four flags true."},
	"SEC-011": {"severity": "high", "category": "security", "title": "encryption-at-rest",
		"description": "Databases, volumes, caches and file systems are encrypted at rest.",
		"remediation": "Set storage_encrypted / encrypted / at_rest_encryption_enabled = true."},
	"SEC-012": {"severity": "critical", "category": "security", "title": "iam-no-full-wildcard",
		"description": "No IAM policy allows every action (`*`).",
		"remediation": "List the actions the service needs; never Action `*`."},
	"SEC-013": {"severity": "high", "category": "security", "title": "iam-no-service-wildcard-on-all-resources",
		"description": "No IAM policy allows a whole service (`svc:*`) on every resource (`*`).",
		"remediation": "Name the actions and scope Resource to the ARNs the service uses."},
	"SEC-014": {"severity": "high", "category": "security", "title": "no-open-ingress",
		"description": "Security groups admit the internet (0.0.0.0/0, ::/0) only on ports 80 and 443.",
		"remediation": "Restrict the CIDR to known networks or put the service behind a load balancer."},
	"DOCKER-001": {"severity": "high", "category": "security", "title": "base-image-pinned",
		"description": "Every FROM names a tag other than latest, or a digest.",
		"remediation": "Pin the base image to a version tag (python:3.12-slim) or a digest (@sha256:...)."},
	"DOCKER-002": {"severity": "high", "category": "security", "title": "non-root-user",
		"description": "The final image runs as a user other than root.",
		"remediation": "Add USER <non-root user> to the final stage."},
}

key_file_suffixes := {".pem", ".key", ".p12", ".pfx"}

key_file_names := {"id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"}

env_templates := {".env.example", ".env.sample", ".env.template", ".env.dist"}

secret_file(path) if {
	name := base_name(path)
	name == ".env"
}

secret_file(path) if {
	name := base_name(path)
	startswith(name, ".env.")
	not name in env_templates
}

secret_file(path) if {
	some suffix in key_file_suffixes
	endswith(lower(path), suffix)
}

secret_file(path) if base_name(path) in key_file_names

base_name(path) := parts[count(parts) - 1] if parts := split(path, "/")

deny contains lib.result("SEC-002", rules["SEC-002"], sprintf("%s looks like a secret file", [path]), path, null, null) if {
	some path in lib.files
	secret_file(path)
}

public_acls := {"public-read", "public-read-write", "authenticated-read"}

deny contains lib.result("SEC-010", rules["SEC-010"], sprintf("%s has the public ACL %s", [r.address, acl]), r.file, r.line, r.address) if {
	some r in lib.resources
	r.type in {"aws_s3_bucket", "aws_s3_bucket_acl"}
	acl := lib.attr(r, "acl", "private")
	acl in public_acls
}

deny contains lib.result("SEC-010", rules["SEC-010"], sprintf("%s leaves %s off", [r.address, flag]), r.file, r.line, r.address) if {
	some r in lib.resources_of("aws_s3_bucket_public_access_block")
	some flag in ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]
	lib.attr(r, flag, false) != true
}

encryption_flags := {
	"aws_db_instance": "storage_encrypted",
	"aws_rds_cluster": "storage_encrypted",
	"aws_ebs_volume": "encrypted",
	"aws_efs_file_system": "encrypted",
	"aws_elasticache_replication_group": "at_rest_encryption_enabled",
}

deny contains lib.result("SEC-011", rules["SEC-011"], sprintf("%s does not set %s = true", [r.address, flag]), r.file, r.line, r.address) if {
	some r in lib.resources
	flag := encryption_flags[r.type]
	lib.attr(r, flag, false) != true
}

policy_types := {"aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"}

# Statements of a policy: JSON policy attributes arrive decoded (an object), policy documents as blocks.
statements(r) := object.get(lib.attr(r, "policy", {}), "Statement", []) if {
	r.type in policy_types
	is_object(lib.attr(r, "policy", ""))
}

statements(r) := [{"Effect": object.get(s, "effect", "Allow"), "Action": object.get(s, "actions", []), "Resource": object.get(s, "resources", []), "Principal": object.get(s, "principals", [])} |
	some s in lib.blocks(r, "statement")
] if r.type == "aws_iam_policy_document"

statements(r) := object.get(lib.attr(r, "policy", {}), "Statement", []) if {
	r.type in {"aws_kms_key", "aws_s3_bucket_policy", "aws_sqs_queue_policy", "aws_sns_topic_policy"}
	is_object(lib.attr(r, "policy", ""))
}

as_list(x) := x if is_array(x)

as_list(x) := [x] if not is_array(x)

policy_bearing := policy_types | {"aws_iam_policy_document", "aws_kms_key", "aws_s3_bucket_policy", "aws_sqs_queue_policy", "aws_sns_topic_policy"}

policy_resources := [r | some r in lib.resources; r.type in policy_bearing]

allowed_actions(r) := [[a, s] |
	some s in as_list(statements(r))
	object.get(s, "Effect", "Allow") == "Allow"
	some a in as_list(object.get(s, "Action", []))
]

deny contains lib.result("SEC-012", rules["SEC-012"], sprintf("%s allows Action `*`", [r.address]), r.file, r.line, r.address) if {
	some r in policy_resources
	some pair in allowed_actions(r)
	pair[0] in {"*", "*:*"}
}

deny contains lib.result("SEC-013", rules["SEC-013"], sprintf("%s allows %s on every resource", [r.address, pair[0]]), r.file, r.line, r.address) if {
	some r in policy_resources
	some pair in allowed_actions(r)
	endswith(pair[0], ":*")
	pair[0] != "*:*"
	"*" in as_list(object.get(pair[1], "Resource", []))
	not resource_policy(pair[1])
}

# In a resource-based policy (it names a Principal: key, bucket, queue policies) Resource "*" means
# the resource the policy is attached to, not every resource.
resource_policy(statement) if count(as_list(object.get(statement, "Principal", []))) > 0

open_cidrs := {"0.0.0.0/0", "::/0"}

web_port(from, to) if {
	from == to
	from in {80, 443}
}

open_ingress contains [r.address, rule] if {
	some r in lib.resources_of("aws_security_group")
	some rule in lib.blocks(r, "ingress")
}

open_ingress contains [r.address, r.values] if {
	some r in lib.resources_of("aws_security_group_rule")
	lib.attr(r, "type", "") == "ingress"
}

cidrs(rule) := array.concat(
	array.concat(object.get(rule, "cidr_blocks", []), object.get(rule, "ipv6_cidr_blocks", [])),
	[c | some k in ["cidr_ipv4", "cidr_ipv6"]; c := object.get(rule, k, "")],
)

open_ingress contains [r.address, r.values] if some r in lib.resources_of("aws_vpc_security_group_ingress_rule")

by_address := {r.address: r | some r in lib.resources}

deny contains lib.result("SEC-014", rules["SEC-014"], sprintf("%s admits %s on ports %v-%v", [r.address, cidr, from, to]), r.file, r.line, r.address) if {
	some pair in open_ingress
	r := by_address[pair[0]]
	some cidr in cidrs(pair[1])
	cidr in open_cidrs
	from := object.get(pair[1], "from_port", -1)
	to := object.get(pair[1], "to_port", -1)
	not web_port(from, to)
}

dockerfiles := object.get(input, "dockerfiles", [])

pinned(image) if contains(image, "@sha256:")

pinned(image) if {
	parts := split(image, "/")
	name := parts[count(parts) - 1]
	tag := split(name, ":")
	count(tag) == 2
	tag[1] != "latest"
	tag[1] != ""
}

deny contains lib.result("DOCKER-001", rules["DOCKER-001"], sprintf("base image %s is not pinned (tag latest or no tag)", [stage.image]), d.file, stage.line, stage.image) if {
	some d in dockerfiles
	some i, stage in d.stages
	stage.image != "scratch"
	not earlier_alias(d, i, stage.image)
	not pinned(stage.image)
}

earlier_alias(d, i, name) if {
	some j, other in d.stages
	j < i
	lower(object.get(other, "alias", "")) == lower(name)
}

deny contains lib.result("DOCKER-002", rules["DOCKER-002"], msg, d.file, null, null) if {
	some d in dockerfiles
	users := [i.value | some i in d.final_instructions; i.cmd == "user"]
	msg := root_user_message(users)
}

root_user_message(users) := "the final stage sets no USER, so it runs as root" if count(users) == 0

root_user_message(users) := sprintf("the final stage runs as %s", [users[count(users) - 1]]) if {
	count(users) > 0
	name := split(users[count(users) - 1], ":")[0]
	name in {"root", "0"}
}
