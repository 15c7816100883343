"""Connected in RepeatsConfig.ready."""
