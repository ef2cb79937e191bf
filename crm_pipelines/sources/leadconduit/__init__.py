"""ActiveProspect LeadConduit: one row per lead (the `source` event of each submission)."""
