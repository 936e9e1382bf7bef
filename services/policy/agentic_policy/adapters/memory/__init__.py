"""In-memory adapters (tests and the offline CLI): decisions, waivers, violations."""
