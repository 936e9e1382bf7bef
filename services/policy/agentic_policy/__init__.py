"""Policy service: scans generated repositories (secrets + repository rules) and enforces per environment."""
