"""Checks shared by the codegen quality gate and the policy engines: findings and tool runners."""
