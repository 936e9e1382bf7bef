"""Pure policy logic: archive reading, rules, secret detection, enforcement, the scan task."""
